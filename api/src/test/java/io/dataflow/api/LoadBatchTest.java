package io.dataflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflow.api.LogicalType.Kind;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadBatchTest {
    static final TableSchema S = new TableSchema(new TableId("s", "t"), List.of(
            new Column("b", LogicalType.of(Kind.BOOLEAN), true),
            new Column("i16", LogicalType.of(Kind.INT16), true),
            new Column("i32", LogicalType.of(Kind.INT32), true),
            new Column("i64", LogicalType.of(Kind.INT64), true),
            new Column("dec", LogicalType.decimal(5, 2), true),
            new Column("f32", LogicalType.of(Kind.FLOAT32), true),
            new Column("f64", LogicalType.of(Kind.FLOAT64), true),
            new Column("s", LogicalType.of(Kind.STRING), true),
            new Column("bin", LogicalType.of(Kind.BYTES), true),
            new Column("day", LogicalType.of(Kind.DATE), true),
            new Column("ts", LogicalType.of(Kind.TIMESTAMP_TZ), true),
            new Column("arr", LogicalType.arrayOf(LogicalType.of(Kind.INT32)), true)), List.of());

    @Test
    void javaValuesRoundTripThroughTheColumnStorage() {
        Object[] values = {true, (short) -7, 42, Long.MIN_VALUE, new BigDecimal("123.45"), 1.25f, -0.5e300, "héllo 😀",
            new byte[] {1, 2, 3}, LocalDate.of(-43, 3, 15), 1_700_000_000_000_000L, Arrays.asList(1, null)};
        LoadBatch b = new LoadBatch(S, 2, 7, 99);
        int r = b.addRow(5);
        for (int c = 0; c < values.length; c++) {
            b.set(r, c, values[c]);
        }
        Object[] back = b.row(r);
        assertThat(back).usingRecursiveComparison().isEqualTo(values);
        assertThat(back[1]).isInstanceOf(Short.class);
        assertThat(back[5]).isInstanceOf(Float.class);
        assertThat(b.longs(9)[r]).isEqualTo(LocalDate.of(-43, 3, 15).toEpochDay());
        ChangeEvent e = b.event(r);
        assertThat(e.op()).isEqualTo(Op.READ);
        assertThat(e.position()).isEqualTo(SourcePositions.fullLoad(7, 5));
        assertThat(e.commitTimeMicros()).isEqualTo(99);
        assertThat(e.fullLoad()).isTrue();
    }

    @Test
    void aNewRowStartsAllNullAndBytesAreRangesOfTheGivenArray() {
        LoadBatch b = new LoadBatch(S, 2, 0, 0);
        int r0 = b.addRow(1);
        b.set(r0, 3, 1L);
        byte[] wire = "xxabcxx".getBytes(StandardCharsets.UTF_8);
        b.setBytes(r0, 7, wire, 2, 3);
        int r1 = b.addRow(2);
        assertThat(b.row(r1)).containsOnlyNulls();
        assertThat(b.value(r0, 7)).isEqualTo("abc");
        assertThat(b.isNull(r0, 0)).isTrue();
        assertThat(b.isFull()).isTrue();
        assertThatThrownBy(() -> b.addRow(3)).hasMessageContaining("full");
        b.clear();
        assertThat(b.size()).isZero();
        int again = b.addRow(3);
        assertThat(b.isNull(again, 3)).as("a reused row does not keep the old value").isTrue();
    }

    @Test
    void positionBytesEqualThePositionString() {
        byte[] out = new byte[SourcePositions.FULL_LOAD_LENGTH];
        SourcePositions.fullLoad(0xabcdefL, (3L << 40) | 17, out);
        assertThat(new String(out, StandardCharsets.US_ASCII)).isEqualTo(SourcePositions.fullLoad(0xabcdefL, (3L << 40) | 17));
        SourcePositions.fullLoad(-1, Long.MAX_VALUE, out);
        assertThat(new String(out, StandardCharsets.US_ASCII)).isEqualTo(SourcePositions.fullLoad(-1, Long.MAX_VALUE));
        long[] ordinals = {0, 1, 0xfedcba9876543210L, Long.MAX_VALUE, 255, 256};
        byte[] many = new byte[ordinals.length * SourcePositions.FULL_LOAD_LENGTH];
        SourcePositions.fullLoad(0x1234L, ordinals, ordinals.length, many);
        for (int r = 0; r < ordinals.length; r++) {
            assertThat(new String(many, r * SourcePositions.FULL_LOAD_LENGTH, SourcePositions.FULL_LOAD_LENGTH, StandardCharsets.US_ASCII))
                    .as("row %d", r).isEqualTo(SourcePositions.fullLoad(0x1234L, ordinals[r]));
        }
    }
}
