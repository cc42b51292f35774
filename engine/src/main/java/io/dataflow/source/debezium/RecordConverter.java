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

    /** @param timeIsDuration MySQL-family TIME: may be negative or past 24 h, kept as text */
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
            columns.add(new Column(f.name(), type, f.schema().isOptional()));
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

    /** The values of {@code row} in column order; columns the struct lacks are null. */
    public Object[] values(TableSchema schema, Struct row) {
        Schema rowSchema = row.schema();
        Object[] out = new Object[schema.columns().size()];
        List<Field> fields = rowSchema.fields();
        for (int i = 0; i < out.length; i++) {
            Field f = i < fields.size() && fields.get(i).name().equals(schema.columns().get(i).name())
                    ? fields.get(i) : rowSchema.field(schema.columns().get(i).name());
            if (f != null) {
                out[i] = ConnectTypes.value(f.schema(), schema.columns().get(i).type(), row.get(f));
            }
        }
        return out;
    }
}
