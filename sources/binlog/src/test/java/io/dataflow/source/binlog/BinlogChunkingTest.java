package io.dataflow.source.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BinlogChunkingTest {
    @Test
    void compositeKeyBoundsAreSpelledOutForEveryOptimizer() {
        assertThat(KeyRanges.rowCompare(List.of("a"), 0, true)).isEqualTo("`a` >= ?");
        assertThat(KeyRanges.rowCompare(List.of("a", "b"), 0, true)).isEqualTo("(`a` > ? OR (`a` = ? AND `b` >= ?))");
        assertThat(KeyRanges.rowCompare(List.of("a", "b", "c"), 0, false))
                .isEqualTo("(`a` < ? OR (`a` = ? AND (`b` < ? OR (`b` = ? AND `c` < ?))))");
        assertThat(KeyRanges.rowCompareValues(List.of("x", "1", "z"), 0)).containsExactly("x", "x", "1", "1", "z");
    }
}
