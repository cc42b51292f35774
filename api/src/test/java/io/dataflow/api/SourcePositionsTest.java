package io.dataflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.SourcePositions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourcePositionsTest {
    @Test
    void stringOrderIsNumericOrderAndFullLoadSortsFirst() {
        List<String> inOrder = List.of(
                SourcePositions.fullLoad(0xffff_ffffL, 1),
                SourcePositions.fullLoad(0xffff_ffffL, 2),
                SourcePositions.fullLoad(0xffff_ffffL, 10),
                SourcePositions.change(0, 5, 0),
                SourcePositions.change(9, 0xa, 0),
                SourcePositions.change(9, 0xa, 1),
                SourcePositions.change(9, 0x100, 0),
                SourcePositions.change(0x10, 1, 0),
                SourcePositions.change(Long.MAX_VALUE, 1, 0));
        List<String> sorted = new ArrayList<>(inOrder);
        sorted.sort(null);
        assertThat(sorted).containsExactlyElementsOf(inOrder);
        assertThat(SourcePositions.change(1, 2, 3)).isEqualTo("1-0000000000000001-0000000000000002-0003");
    }

    @Test
    void binlogPositionsAreWhatTheirFormatSays() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 10_000; i++) {
            long file = random.nextInt(1 << 20);
            long tx = random.nextLong() & Long.MAX_VALUE;
            long event = i % 3 == 0 ? random.nextInt() & 0xffffffffL : random.nextInt(1000);
            long row = i % 5 == 0 ? random.nextInt(1 << 20) : random.nextInt(300);
            assertThat(SourcePositions.binlogChange(file, tx, event, row))
                    .isEqualTo(String.format(java.util.Locale.ROOT, "1-%016x-%016x-%08x-%04x", file, tx, event, row));
        }
    }
}
