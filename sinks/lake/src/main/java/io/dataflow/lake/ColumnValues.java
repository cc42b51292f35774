package io.dataflow.lake;

import io.dataflow.api.LogicalType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.io.api.Binary;

/**
 * Java values of a logical kind written straight to a Parquet column writer, for columns of {@link ParquetSchemas}:
 * a flat optional column takes values at definition level 1 and nulls at 0; a list column (optional group, repeated
 * group {@code list}, optional {@code element}) takes a null list at 0, an empty list at 1, a null element at 2 and an
 * element at 3, its first element at repetition level 0 and the others at 1.
 */
final class ColumnValues {
    private ColumnValues() {}

    static void write(ColumnWriter w, LogicalType t, Object v) {
        if (v == null) {
            w.writeNull(0, 0);
        } else if (t.kind() == LogicalType.Kind.ARRAY) {
            List<?> list = (List<?>) v;
            if (list.isEmpty()) {
                w.writeNull(0, 1);
                return;
            }
            int repetition = 0;
            for (Object element : list) {
                if (element == null) {
                    w.writeNull(repetition, 2);
                } else {
                    scalar(w, t.element(), element, repetition, 3);
                }
                repetition = 1;
            }
        } else {
            scalar(w, t, v, 0, 1);
        }
    }

    private static void scalar(ColumnWriter w, LogicalType t, Object v, int rl, int dl) {
        switch (t.kind()) {
            case BOOLEAN -> w.write((Boolean) v, rl, dl);
            case INT16, INT32 -> w.write(((Number) v).intValue(), rl, dl);
            case INT64, TIME, TIME_TZ, TIMESTAMP, TIMESTAMP_TZ -> w.write(((Number) v).longValue(), rl, dl);
            case FLOAT32 -> w.write(((Number) v).floatValue(), rl, dl);
            case FLOAT64 -> w.write(((Number) v).doubleValue(), rl, dl);
            case DATE -> w.write((int) ((LocalDate) v).toEpochDay(), rl, dl);
            case DECIMAL -> {
                BigInteger unscaled = unscaled(t, (BigDecimal) v);
                if (t.precision() <= 9) {
                    w.write(unscaled.intValueExact(), rl, dl);
                } else if (t.precision() <= 18) {
                    w.write(unscaled.longValueExact(), rl, dl);
                } else {
                    w.write(fixed(t, unscaled), rl, dl);
                }
            }
            case STRING, ENUM, JSON, UUID, INTERVAL -> w.write(Binary.fromConstantByteArray(v.toString().getBytes(StandardCharsets.UTF_8)), rl, dl);
            case BYTES -> w.write(Binary.fromConstantByteArray((byte[]) v), rl, dl);
            case ARRAY -> throw new IllegalArgumentException("arrays of arrays have no column layout in the raw zone");
        }
    }

    /** The unscaled value of a decimal at the column's scale (the value must already have at most that scale). */
    static BigInteger unscaled(LogicalType t, BigDecimal d) {
        return d.setScale(t.scale(), RoundingMode.UNNECESSARY).unscaledValue();
    }

    /** A decimal of more than 18 digits as its fixed-length big-endian two's complement. */
    static Binary fixed(LogicalType t, BigInteger unscaled) {
        int len = ParquetSchemas.decimalBytes(t.precision());
        byte[] raw = unscaled.toByteArray();
        byte[] fixed = new byte[len];
        byte pad = (byte) (unscaled.signum() < 0 ? 0xFF : 0x00);
        int offset = len - raw.length;
        for (int k = 0; k < offset; k++) {
            fixed[k] = pad;
        }
        System.arraycopy(raw, 0, fixed, offset, raw.length);
        return Binary.fromConstantByteArray(fixed);
    }
}
