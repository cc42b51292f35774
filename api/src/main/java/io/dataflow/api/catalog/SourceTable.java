package io.dataflow.api.catalog;

import io.dataflow.api.TableId;
import java.util.List;
import java.util.Optional;

/**
 * A table as the source catalog describes it.
 *
 * @param id          schema and name as the source spells them
 * @param columns     in source order
 * @param primaryKey  primary-key columns in key order; empty when none
 * @param indexes     secondary indexes and unique constraints (not the primary key)
 * @param foreignKeys foreign keys
 * @param checks      CHECK constraints as the source prints them (name, expression); reported, not converted
 * @param notes       engine facts worth a line in the report (storage engine, partitioning, collation)
 * @param autoIncrementNext the next auto-increment value the source would hand out, -1 when unknown
 */
public record SourceTable(TableId id, List<SourceColumn> columns, List<String> primaryKey, List<Index> indexes,
        List<ForeignKey> foreignKeys, List<Check> checks, List<String> notes, long autoIncrementNext) {

    public SourceTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        indexes = List.copyOf(indexes);
        foreignKeys = List.copyOf(foreignKeys);
        checks = List.copyOf(checks);
        notes = List.copyOf(notes);
    }

    public Optional<SourceColumn> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * The columns a change is applied by: the primary key, else the first unique index whose columns are all
     * NOT NULL; empty when the table has neither.
     */
    public List<String> applyKey() {
        if (!primaryKey.isEmpty()) {
            return primaryKey;
        }
        for (Index i : indexes) {
            if (i.unique() && i.expression() == null
                    && i.columns().stream().allMatch(c -> column(c).map(col -> !col.nullable()).orElse(false))) {
                return i.columns();
            }
        }
        return List.of();
    }

    /**
     * An index. {@code expression} is set (and {@code columns} empty) for an index on expressions, which is
     * reported rather than converted.
     */
    public record Index(String name, List<String> columns, boolean unique, String expression) {
        public Index {
            columns = List.copyOf(columns);
        }
    }

    /** A foreign key; actions as SQL words ({@code CASCADE}, {@code SET NULL}, {@code NO ACTION}, ...). */
    public record ForeignKey(String name, List<String> columns, TableId references, List<String> referencedColumns,
            String onDelete, String onUpdate) {
        public ForeignKey {
            columns = List.copyOf(columns);
            referencedColumns = List.copyOf(referencedColumns);
        }
    }

    /** A CHECK constraint. */
    public record Check(String name, String expression) {}
}
