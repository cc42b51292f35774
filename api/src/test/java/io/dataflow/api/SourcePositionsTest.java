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
}
