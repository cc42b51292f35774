package io.dataflow.api;

import java.util.List;
import java.util.Objects;

/**
 * The columns of a table as the source describes them at one point of its history, in source order,
 * and which of them form the primary key (empty when the table has none).
 */
public record TableSchema(TableId id, List<Column> columns, List<String> keyColumns) {

    public TableSchema {
        Objects.requireNonNull(id, "id");
        columns = List.copyOf(columns);
        keyColumns = List.copyOf(keyColumns);
    }

    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        return -1;
    }

    /** True when both describe the same columns with the same storage types (source spellings ignored). */
    public boolean sameShape(TableSchema o) {
        if (o == null || columns.size() != o.columns.size() || !keyColumns.equals(o.keyColumns)) {
            return false;
        }
        for (int i = 0; i < columns.size(); i++) {
            Column a = columns.get(i);
            Column b = o.columns.get(i);
            if (!a.name().equals(b.name()) || a.nullable() != b.nullable() || !a.type().sameStorage(b.type())) {
                return false;
            }
        }
        return true;
    }
}
