package io.dataflow.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.source.binlog.BinlogChunkLoaderAccess;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinlogChunkingTest {
    @Test
    void compositeKeyBoundsAreSpelledOutForEveryOptimizer() {
        assertThat(BinlogChunkLoaderAccess.rowCompare(List.of("a"), true)).isEqualTo("`a` >= ?");
        assertThat(BinlogChunkLoaderAccess.rowCompare(List.of("a", "b"), true)).isEqualTo("(`a` > ? OR (`a` = ? AND `b` >= ?))");
        assertThat(BinlogChunkLoaderAccess.rowCompare(List.of("a", "b", "c"), false))
                .isEqualTo("(`a` < ? OR (`a` = ? AND (`b` < ? OR (`b` = ? AND `c` < ?))))");
        assertThat(BinlogChunkLoaderAccess.rowCompareValues(List.of("x", "1", "z"))).containsExactly("x", "x", "1", "1", "z");
    }
}
