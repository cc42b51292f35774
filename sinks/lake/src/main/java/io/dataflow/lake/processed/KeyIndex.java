package io.dataflow.lake.processed;

import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;

/**
 * Which data files can hold any of a batch's keys, from the files' own column statistics: the batch's values of the
 * first key column, sorted, are searched for one inside each file's lower..upper bounds. Files written by DataFlow are
 * sorted by key and compaction keeps them so, so a batch of keys reads only the files whose ranges it touches; no index
 * of the table's keys is held in memory.
 */
final class KeyIndex {
    private final int fieldId;
    private final Type.PrimitiveType type;
    private final Comparator<Object> order;
    private final List<Object> sorted;
    private final boolean prunes;

    @SuppressWarnings("unchecked")
    KeyIndex(int fieldId, Type type, List<Object> firstKeyValues) {
        this.fieldId = fieldId;
        this.type = type.isPrimitiveType() ? type.asPrimitiveType() : null;
        boolean usable = this.type != null && type.typeId() != Type.TypeID.BINARY && type.typeId() != Type.TypeID.FIXED;
        List<Object> values = new ArrayList<>(firstKeyValues.size());
        for (Object v : firstKeyValues) {
            if (v == null) {
                usable = false;
                break;
            }
            values.add(internal(v));
        }
        this.prunes = usable;
        this.order = usable ? (Comparator<Object>) (Comparator<?>) Comparators.forType(this.type) : null;
        if (usable) {
            values.sort(order);
        }
        this.sorted = values;
    }

    /** True when the file may hold one of the keys. */
    boolean mayContain(DataFile file) {
        if (!prunes || sorted.isEmpty()) {
            return !sorted.isEmpty();
        }
        ByteBuffer lo = file.lowerBounds() == null ? null : file.lowerBounds().get(fieldId);
        ByteBuffer hi = file.upperBounds() == null ? null : file.upperBounds().get(fieldId);
        if (lo == null || hi == null) {
            return true;
        }
        Object lower = Conversions.fromByteBuffer(type, lo);
        Object upper = Conversions.fromByteBuffer(type, hi);
        int i = Collections.binarySearch(sorted, lower, order);
        int first = i >= 0 ? i : -i - 1;
        return first < sorted.size() && order.compare(sorted.get(first), upper) <= 0;
    }

    /** A generic record's value in Iceberg's internal representation (what file bounds decode to). */
    static Object internal(Object v) {
        if (v instanceof LocalDate d) {
            return (int) d.toEpochDay();
        }
        if (v instanceof LocalTime t) {
            return t.toNanoOfDay() / 1000L;
        }
        if (v instanceof LocalDateTime t) {
            return micros(t);
        }
        if (v instanceof OffsetDateTime t) {
            return micros(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
        }
        return v;
    }

    private static long micros(LocalDateTime t) {
        return Math.addExact(Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), 1_000_000L), t.getNano() / 1000L);
    }
}
