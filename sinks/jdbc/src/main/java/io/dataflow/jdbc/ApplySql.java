package io.dataflow.jdbc;

import io.dataflow.api.catalog.Engine;
import io.dataflow.convert.TargetDialect;
import io.dataflow.convert.TargetTable;
import java.util.List;
import java.util.stream.Collectors;

/** The statements that apply changes to one target table idempotently: upsert on the apply key, delete by it. */
final class ApplySql {
    private ApplySql() {}

    /** INSERT of {@code columns}, updating every non-key column not in {@code keep} when the key exists. */
    static String upsert(TargetDialect d, TargetTable t, List<String> columns, List<String> keep) {
        String insert = "INSERT INTO " + d.qualified(t.id()) + " (" + d.columnList(columns) + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
        List<String> set = columns.stream().filter(c -> !t.applyKey().contains(c) && !keep.contains(c)).toList();
        if (d.engine() == Engine.POSTGRES) {
            if (t.applyKey().isEmpty()) {
                return insert;
            }
            String conflict = " ON CONFLICT (" + d.columnList(t.applyKey()) + ")";
            return set.isEmpty() ? insert + conflict + " DO NOTHING"
                    : insert + conflict + " DO UPDATE SET " + set.stream().map(c -> d.quote(c) + " = EXCLUDED." + d.quote(c))
                            .collect(Collectors.joining(", "));
        }
        if (t.applyKey().isEmpty()) {
            return insert;
        }
        List<String> assign = set.isEmpty() ? List.of(t.applyKey().get(0)) : set;
        return insert + " ON DUPLICATE KEY UPDATE " + assign.stream().map(c -> d.quote(c) + " = VALUES(" + d.quote(c) + ")")
                .collect(Collectors.joining(", "));
    }

    static String delete(TargetDialect d, TargetTable t) {
        return "DELETE FROM " + d.qualified(t.id()) + " WHERE " + t.applyKey().stream().map(c -> d.quote(c) + " = ?")
                .collect(Collectors.joining(" AND "));
    }

    static String copy(TargetDialect d, TargetTable t) {
        return "COPY " + d.qualified(t.id()) + " (" + d.columnList(t.columns().stream().map(TargetTable.TargetColumn::name).toList())
                + ") FROM STDIN";
    }
}
