package io.dataflow.source.debezium;

import io.dataflow.api.Column;
import io.dataflow.api.LogicalType;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns the row structs of Debezium change records into {@link TableSchema}s and value arrays. Schemas are
 * cached by the identity of the Connect schema object, which Debezium reuses until the table changes.
 */
public final class RecordConverter {
    private final Map<Schema, TableSchema> schemas = new IdentityHashMap<>();
    private final boolean timeIsDuration;

    /**
     * @param timeIsDuration the MySQL family: TIME may be negative or past 24 h (kept as text), and {@code BIT(n)} bytes
     *                       are put back in the server's order (Debezium sends them least significant byte first; the
     *                       full load and the database read them most significant first)
     */
    public RecordConverter(boolean timeIsDuration) {
        this.timeIsDuration = timeIsDuration;
    }

    /** The table schema of a row struct schema, with the key columns named by {@code keySchema}. */
    public TableSchema schema(TableId table, Schema rowSchema, Schema keySchema) {
        TableSchema cached = schemas.get(rowSchema);
        if (cached != null) {
            return cached;
        }
        List<Column> columns = new ArrayList<>();
        for (Field f : rowSchema.fields()) {
            LogicalType type = ConnectTypes.logicalType(f.schema(), timeIsDuration);
            columns.add(new Column(f.name(), type, f.schema().isOptional(), defaultValue(f, type)));
        }
        List<String> keys = new ArrayList<>();
        if (keySchema != null && keySchema.type() == Schema.Type.STRUCT) {
            keySchema.fields().forEach(f -> keys.add(f.name()));
        }
        TableSchema s = new TableSchema(table, columns, keys);
        if (schemas.size() > 10_000) {
            schemas.clear();
        }
        schemas.put(rowSchema, s);
        return s;
    }

    /** A column's constant default in the model's representation; null when there is none or it cannot be converted. */
    private static Object defaultValue(Field f, LogicalType type) {
        Object raw = f.schema().defaultValue();
        if (raw == null || unavailable(raw)) {
            return null;
        }
        try {
            return ConnectTypes.value(f.schema(), type, raw);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static byte[] reversed(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    /** Debezium's stand-in for a value the source did not send (its default {@code unavailable.value.placeholder}). */
    public static final String UNAVAILABLE = "__debezium_unavailable_value";
    private static final byte[] UNAVAILABLE_BYTES = UNAVAILABLE.getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** Whether a raw Connect value is Debezium's placeholder for an unsent (unchanged TOAST) value. */
    static boolean unavailable(Object v) {
        if (v instanceof String s) {
            return s.equals(UNAVAILABLE);
        }
        if (v instanceof java.nio.ByteBuffer bb) {
            return bb.remaining() == UNAVAILABLE_BYTES.length && java.util.Arrays.equals(ConnectTypes.bytes(bb), UNAVAILABLE_BYTES);
        }
        if (v instanceof byte[] b) {
            return java.util.Arrays.equals(b, UNAVAILABLE_BYTES);
        }
        if (v instanceof List<?> l) {
            return l.size() == 1 && unavailable(l.get(0));
        }
        return false;
    }

    /**
     * The values of {@code row} in column order; columns the struct lacks are null. Columns whose value Debezium
     * marks as unavailable are null too, and their names are added to {@code unchanged}.
     */
    public Object[] values(TableSchema schema, Struct row, List<String> unchanged) {
        Schema rowSchema = row.schema();
        Object[] out = new Object[schema.columns().size()];
        List<Field> fields = rowSchema.fields();
        for (int i = 0; i < out.length; i++) {
            Field f = i < fields.size() && fields.get(i).name().equals(schema.columns().get(i).name())
                    ? fields.get(i) : rowSchema.field(schema.columns().get(i).name());
            if (f != null) {
                Object raw = row.getWithoutDefault(f.name()); // Struct.get(f) would answer the column default for a NULL
                if (unavailable(raw)) {
                    unchanged.add(f.name());
                } else {
                    out[i] = ConnectTypes.value(f.schema(), schema.columns().get(i).type(), raw);
                    if (timeIsDuration && out[i] instanceof byte[] b && ConnectTypes.BITS.equals(f.schema().name())) {
                        out[i] = reversed(b);
                    }
                }
            }
        }
        return out;
    }
}
