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

    /**
     * The UPDATE of one row of a table without an apply key: every column set, the row found by the old values of
     * {@code match} (one row even when duplicates exist: PostgreSQL by the {@code ctid} of one match, MariaDB/MySQL
     * with {@code LIMIT 1}). Parameters: the new values of {@code columns}, then the old values of {@code match}.
     */
    static String keylessUpdate(TargetDialect d, TargetTable t, List<String> columns, List<TargetTable.TargetColumn> match) {
        String set = columns.stream().map(c -> d.quote(c) + " = ?").collect(Collectors.joining(", "));
        return "UPDATE " + d.qualified(t.id()) + " SET " + set + oneRow(d, t, match);
    }

    /** The DELETE of one row of a table without an apply key, found by the values of {@code match}. */
    static String keylessDelete(TargetDialect d, TargetTable t, List<TargetTable.TargetColumn> match) {
        return "DELETE FROM " + d.qualified(t.id()) + oneRow(d, t, match);
    }

    private static String oneRow(TargetDialect d, TargetTable t, List<TargetTable.TargetColumn> match) {
        boolean pg = d.engine() == Engine.POSTGRES;
        String where = match.stream().map(c -> pg ? d.quote(c.name()) + " IS NOT DISTINCT FROM ?"
                // a FLOAT column compared with a double literal differs in the last bits: compare as FLOAT
                : d.quote(c.name()) + " <=> " + (c.baseType().equals("float") ? "CAST(? AS FLOAT)" : "?"))
                .collect(Collectors.joining(" AND "));
        return pg ? " WHERE ctid = (SELECT ctid FROM " + d.qualified(t.id()) + " WHERE " + where + " LIMIT 1)"
                : " WHERE " + where + " LIMIT 1";
    }

    /**
     * Whether a target column can find a row by its value: PostgreSQL's {@code json}, {@code xml} and geometric types
     * have no equality operator, so rows of keyless tables are matched on their other columns.
     */
    static boolean matchable(TargetDialect d, TargetTable.TargetColumn c) {
        if (d.engine() != Engine.POSTGRES) {
            return true;
        }
        String base = c.baseType().replace("[]", "");
        return !java.util.Set.of("json", "xml", "point", "line", "lseg", "box", "path", "polygon", "circle").contains(base);
    }

    static String copy(TargetDialect d, TargetTable t) {
        return "COPY " + d.qualified(t.id()) + " (" + d.columnList(t.columns().stream().map(TargetTable.TargetColumn::name).toList())
                + ") FROM STDIN";
    }
}
