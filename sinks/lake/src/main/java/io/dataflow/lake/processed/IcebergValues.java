package io.dataflow.lake.processed;

import io.dataflow.api.Column;
import io.dataflow.api.LogicalType;
import io.dataflow.api.TableSchema;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The processed zone's mapping of DataFlow's column types onto Iceberg types, and of values onto the Java classes
 * Iceberg's generic records hold. Text-like kinds (enum, JSON, UUID, interval) stay strings, as in the raw zone, because
 * Iceberg's {@code uuid} type is not read by every engine; a decimal without a declared precision, or with more than
 * Iceberg's 38 digits, is kept as its exact text.
 */
final class IcebergValues {
    private static final LocalDateTime EPOCH = LocalDateTime.of(1970, 1, 1, 0, 0);

    private IcebergValues() {}

    /** The Iceberg schema of a table: fields numbered from 1 in column order, the primary key as identifier fields. */
    static Schema schema(TableSchema table) {
        List<Types.NestedField> fields = new ArrayList<>();
        int[] nextId = {table.columns().size() + 1};
        Set<Integer> identifiers = new HashSet<>();
        boolean keyUsable = true;
        for (int i = 0; i < table.columns().size(); i++) {
            Column c = table.columns().get(i);
            boolean key = table.keyColumns().contains(c.name());
            Type type = type(c.type(), nextId);
            if (key && (!type.isPrimitiveType() || type.typeId() == Type.TypeID.FLOAT || type.typeId() == Type.TypeID.DOUBLE)) {
                keyUsable = false;
            }
            fields.add(key ? Types.NestedField.required(i + 1, c.name(), type) : Types.NestedField.optional(i + 1, c.name(), type));
            if (key) {
                identifiers.add(i + 1);
            }
        }
        if (!keyUsable) {
            identifiers.clear();
        }
        return new Schema(fields, identifiers);
    }

    static Type type(LogicalType t, int[] nextId) {
        return switch (t.kind()) {
            case BOOLEAN -> Types.BooleanType.get();
            case INT16, INT32 -> Types.IntegerType.get();
            case INT64 -> Types.LongType.get();
            case FLOAT32 -> Types.FloatType.get();
            case FLOAT64 -> Types.DoubleType.get();
            case DECIMAL -> exactDecimal(t) ? Types.DecimalType.of(t.precision(), t.scale()) : Types.StringType.get();
            case STRING, ENUM, JSON, UUID, INTERVAL -> Types.StringType.get();
            case BYTES -> Types.BinaryType.get();
            case DATE -> Types.DateType.get();
            case TIME, TIME_TZ -> Types.TimeType.get();
            case TIMESTAMP -> Types.TimestampType.withoutZone();
            case TIMESTAMP_TZ -> Types.TimestampType.withZone();
            case ARRAY -> Types.ListType.ofOptional(nextId[0]++, type(t.element(), nextId));
        };
    }

    private static boolean exactDecimal(LogicalType t) {
        return t.precision() > 0 && t.precision() <= 38 && t.scale() >= 0 && t.scale() <= t.precision();
    }

    /** A model value (as {@link LogicalType.Kind} documents) as the value of an Iceberg generic record. */
    static Object value(Object v, LogicalType t) {
        if (v == null) {
            return null;
        }
        return switch (t.kind()) {
            case INT16 -> ((Number) v).intValue();
            case DECIMAL -> exactDecimal(t) ? ((BigDecimal) v).setScale(t.scale(), RoundingMode.UNNECESSARY) : ((BigDecimal) v).toPlainString();
            case BYTES -> ByteBuffer.wrap((byte[]) v);
            case TIME, TIME_TZ -> LocalTime.ofNanoOfDay((Long) v * 1000L);
            case TIMESTAMP -> EPOCH.plusNanos(Math.multiplyExact((Long) v, 1000L));
            case TIMESTAMP_TZ -> OffsetDateTime.of(EPOCH.plusNanos(Math.multiplyExact((Long) v, 1000L)), ZoneOffset.UTC);
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                for (Object e : (List<?>) v) {
                    out.add(value(e, t.element()));
                }
                yield out;
            }
            default -> v;
        };
    }

    /** A value of a narrower Iceberg type as a value of {@code to}, which Iceberg promotes it to (int to long, float to double, decimal). */
    static Object widen(Object v, org.apache.iceberg.types.Type to) {
        if (v == null) {
            return null;
        }
        return switch (to.typeId()) {
            case LONG -> ((Number) v).longValue();
            case DOUBLE -> ((Number) v).doubleValue();
            default -> v; // a decimal of larger precision holds the value as it is
        };
    }

    /** A value of an Iceberg generic record as the key of a map: byte buffers compared by content. */
    static Object keyPart(Object v) {
        return v instanceof ByteBuffer b ? b.asReadOnlyBuffer() : v;
    }
}
