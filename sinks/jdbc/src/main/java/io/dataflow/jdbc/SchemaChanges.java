package io.dataflow.jdbc;

import io.dataflow.api.StorageException;
import io.dataflow.api.TableId;
import io.dataflow.api.catalog.Engine;
import io.dataflow.convert.TargetDialect;
import io.dataflow.convert.TargetTable;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import io.dataflow.api.TableSchema;
import io.dataflow.config.PipelineConfig;
import io.dataflow.convert.TypeChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schema changes during CDC on a database target. A table that appears in the source is converted from the source's
 * catalog and created. A table whose columns change in the source's events (a new event schema) is compared with
 * the target table as it is: added columns are added (nullable), dropped columns dropped, a column that disappears
 * where a column of the same type appears is renamed, a type change that keeps every value (a longer varchar, a wider
 * integer or decimal) and a dropped NOT NULL are applied; narrowing or incompatible type changes are reported and left
 * unless the policy is {@code apply-unsafe}. Each decision is logged and counted; the caller commits the changes applied
 * so far first, so a replay never runs older events against the newer table.
 *
 * <p>Only columns DataFlow knows came from the source are dropped or renamed: those of the converted table and of the
 * events seen, or every column when the pipeline created the table; a column someone added to the target stays.
 */
final class SchemaChanges {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaChanges.class);

    /** What the caller does before DDL commits by itself: commit what it applied so far. */
    interface BeforeDdl {
        void run() throws SQLException;
    }

    /** Converts one source table again, from the source's catalog as it is now. */
    interface Reconverter {
        Optional<TargetTable> reconvert(TableId source) throws IOException;
    }

    private final TargetDialect dialect;
    private final Engine engine;
    private final Reconverter reconverter;
    private final PipelineConfig.Ddl policy;
    private final boolean ownsTables;
    private final Map<TableId, Set<String>> sourceColumns = new HashMap<>();
    /** The table as the source's catalog converted it at the last comparison, for {@link #syncIndexes}. */
    private final Map<TableId, TargetTable> lastConverted = new HashMap<>();
    /** Tables whose target columns have other types than the source's catalog converts to (changed while stopped). */
    private final Set<TableId> staleTypes = new HashSet<>();

    private final io.dataflow.runtime.SinkCounters counters;

    SchemaChanges(TargetDialect dialect, Engine engine, Reconverter reconverter, PipelineConfig.Ddl policy, boolean ownsTables,
            io.dataflow.runtime.SinkCounters counters) {
        this.counters = counters;
        this.dialect = dialect;
        this.engine = engine;
        this.reconverter = reconverter;
        this.policy = policy;
        this.ownsTables = ownsTables;
    }

    PipelineConfig.Ddl policy() {
        return policy;
    }

    /** Creates a table that appeared in the source (with its indexes); null when the source no longer has it. */
    TargetTable createTable(Connection c, TableId source) throws StorageException, SQLException {
        TargetTable fresh = reconvert(source, "the new table " + source);
        if (fresh == null) {
            return null;
        }
        create(c, fresh);
        return fresh;
    }

    /** Creates a converted table (with its indexes) that the target lacks, as the policy allows. Commits. */
    private void create(Connection c, TargetTable fresh) throws StorageException, SQLException {
        TableId source = fresh.source();
        if (policy == PipelineConfig.Ddl.STOP) {
            throw new StorageException("table " + source + " appeared in the source and the pipeline says ddl: stop; create " + fresh.id()
                    + " in the target (dataflow convert prints the DDL) and restart with ddl: ignore, or set ddl: apply", true, null);
        }
        try (Statement st = c.createStatement()) {
            st.execute(dialect.createSchema(fresh.id().schema()));
            for (String sql : dialect.createTable(fresh, true)) {
                st.execute(sql);
            }
            for (TargetTable.TargetIndex i : fresh.indexes()) {
                st.execute(dialect.createIndex(fresh, i));
            }
        }
        c.commit();
        count(true);
        LOG.info("table {} joined the pipeline: created {} in the target", source, fresh.id());
    }

    /**
     * The target table as it is in the target's catalog (columns in their order, with their types), the converted
     * columns standing for the ones they name: what changes are compared with. A converted table the target lacks is
     * created first.
     */
    TargetTable baseline(Connection c, TargetTable converted, BeforeDdl beforeDdl) throws SQLException, StorageException {
        List<TargetCatalog.ColumnInfo> actual = TargetCatalog.columns(c, engine, converted.id());
        if (actual.isEmpty()) {
            beforeDdl.run();
            create(c, converted); // a table that joined the pipeline after its tables were prepared (added to the rules)
        }
        Set<String> known = sourceColumns.computeIfAbsent(converted.source(), k -> new HashSet<>());
        converted.columns().forEach(col -> known.add(col.sourceName()));
        if (actual.isEmpty()) {
            return converted;
        }
        List<TargetTable.TargetColumn> columns = new ArrayList<>();
        for (TargetCatalog.ColumnInfo a : actual) {
            columns.add(converted.columns().stream().filter(col -> col.name().equals(a.name())).findFirst()
                    // the converted column, unless the target's column has another type (changed while the pipeline was stopped)
                    .map(col -> {
                        boolean sameType = col.enumType() != null || TypeChange.classify(a.type(), col.type()) == TypeChange.Kind.SAME;
                        if (!sameType) {
                            staleTypes.add(converted.source());
                        }
                        return sameType && a.nullable() == col.nullable() ? col
                                : new TargetTable.TargetColumn(col.sourceName(), col.name(), sameType ? col.type() : a.type(), a.nullable(),
                                        col.defaultExpr(), col.identity(), col.enumLabels(), col.enumType(), col.mapping(), col.source());
                    })
                    .orElseGet(() -> new TargetTable.TargetColumn(a.name(), a.name(), a.type(), a.nullable(), null, false, List.of(), null, null, null)));
        }
        return new TargetTable(converted.source(), converted.id(), columns, converted.primaryKey(), converted.applyKey(), converted.indexes(),
                converted.foreignKeys());
    }

    /**
     * What differs between the target table and an event schema: added and vanished columns always; with
     * {@code compareTypes} (the table's event schema changed while running) also types and nullability, converted from
     * the source's catalog again.
     */
    List<ColumnChange> diff(TargetTable t, TableSchema schema, boolean compareTypes) throws StorageException {
        Set<String> names = new HashSet<>();
        schema.columns().forEach(col -> names.add(col.name()));
        Set<String> known = sourceColumns.computeIfAbsent(t.source(), k -> new HashSet<>());
        List<TargetTable.TargetColumn> gone = t.columns().stream().filter(col -> !names.contains(col.sourceName()))
                .filter(col -> ownsTables || known.contains(col.sourceName())).toList();
        List<String> added = schema.columns().stream().map(io.dataflow.api.Column::name).filter(n -> t.bySourceName(n).isEmpty()).toList();
        known.addAll(names);
        compareTypes |= staleTypes.remove(t.source());
        if (gone.isEmpty() && added.isEmpty() && !compareTypes) {
            return List.of();
        }
        TargetTable fresh = reconvert(t.source(), "the changed columns of " + t.source());
        if (fresh != null) {
            lastConverted.put(t.source(), fresh);
        }
        List<ColumnChange> changes = new ArrayList<>();
        List<String> addedLeft = new ArrayList<>(added);
        for (List<TargetTable.TargetColumn> gap : gaps(t, gone, names)) {
            // the columns that vanished between two columns that stayed, and those that appeared between the same two:
            // as many of each, pairwise of the same type, were renamed; otherwise dropped and added
            List<String> appeared = appearedBetween(t, gap, schema, addedLeft);
            boolean renamed = appeared.size() == gap.size() && fresh != null;
            for (int i = 0; renamed && i < gap.size(); i++) {
                TargetTable.TargetColumn now = fresh.bySourceName(appeared.get(i)).orElse(null);
                renamed = now != null && TypeChange.classify(gap.get(i).type(), now.type()) == TypeChange.Kind.SAME;
            }
            for (int i = 0; i < gap.size(); i++) {
                if (renamed) {
                    changes.add(ColumnChange.rename(gap.get(i), fresh.bySourceName(appeared.get(i)).orElseThrow()));
                    addedLeft.remove(appeared.get(i));
                } else {
                    changes.add(ColumnChange.drop(gap.get(i)));
                }
            }
        }
        for (String name : addedLeft) {
            TargetTable.TargetColumn col = fresh == null ? null : fresh.bySourceName(name).orElse(null);
            if (col == null) {
                throw new StorageException("column " + t.source() + "." + name + " is not in the source's catalog any more; add it to "
                        + "target table " + t.id() + " by hand, then restart", true, null);
            }
            changes.add(ColumnChange.add(nullable(col)));
        }
        if (compareTypes && fresh != null) {
            for (TargetTable.TargetColumn now : fresh.columns()) {
                TargetTable.TargetColumn was = t.bySourceName(now.sourceName()).orElse(null);
                if (was == null || !names.contains(now.sourceName())) {
                    continue;
                }
                if (TypeChange.classify(was.type(), now.type()) != TypeChange.Kind.SAME) {
                    changes.add(ColumnChange.retype(was, now));
                } else if (!was.nullable() && now.nullable() && !t.applyKey().contains(was.name())) {
                    changes.add(ColumnChange.dropNotNull(was));
                }
            }
        }
        return changes;
    }

    /**
     * Applies {@code changes} as the policy says and returns the table as the target now has it; {@code ddl: stop}
     * throws. Each statement commits by itself (MariaDB commits DDL anyway).
     */
    TargetTable apply(Connection c, TargetTable t, List<ColumnChange> changes) throws StorageException, SQLException {
        if (policy == PipelineConfig.Ddl.STOP) {
            throw new StorageException("table " + t.source() + " changed in the source and the pipeline says ddl: stop: "
                    + changes.stream().map(ColumnChange::describe).collect(Collectors.joining("; ")) + "; change target table " + t.id()
                    + " to match and restart with ddl: ignore, or set ddl: apply", true, null);
        }
        List<TargetTable.TargetColumn> columns = new ArrayList<>(t.columns());
        try (Statement st = c.createStatement()) {
            for (ColumnChange ch : changes) {
                String label = ch.describe();
                String decision;
                if (policy == PipelineConfig.Ddl.IGNORE) {
                    decision = "ignored (ddl: ignore)";
                } else if (!ch.safe() && policy != PipelineConfig.Ddl.APPLY_UNSAFE) {
                    decision = "not applied: values may not fit (ddl: apply-unsafe applies it)";
                } else {
                    for (String sql : sql(t, ch)) {
                        st.execute(sql);
                    }
                    c.commit();
                    decision = "applied";
                    switch (ch.kind()) {
                        case ADD -> columns.add(ch.fresh());
                        case DROP -> columns.remove(ch.column());
                        case RENAME, RETYPE -> columns.set(columns.indexOf(ch.column()), keepNullability(ch.fresh(), ch.column()));
                        case DROP_NOT_NULL -> columns.set(columns.indexOf(ch.column()), nullable(ch.column()));
                    }
                }
                count(decision.equals("applied"));
                if (decision.equals("applied")) {
                    LOG.info("schema change of {}: {}: applied to {}", t.source(), label, t.id());
                } else {
                    LOG.warn("schema change of {}: {}: {}", t.source(), label, decision);
                }
            }
        }
        return new TargetTable(t.source(), t.id(), columns, t.primaryKey(), t.applyKey(), t.indexes(), t.foreignKeys());
    }

    private List<String> sql(TargetTable t, ColumnChange ch) {
        String table = dialect.qualified(t.id());
        boolean pg = engine == Engine.POSTGRES;
        String ifExists = engine == Engine.MYSQL ? "" : "IF EXISTS ";
        return switch (ch.kind()) {
            case ADD -> List.of("ALTER TABLE " + table + " ADD COLUMN " + (engine == Engine.MYSQL ? "" : "IF NOT EXISTS ")
                    + dialect.columnDefinition(ch.fresh()));
            case DROP -> List.of("ALTER TABLE " + table + " DROP COLUMN " + ifExists + dialect.quote(ch.column().name()));
            case RENAME -> List.of("ALTER TABLE " + table + " RENAME COLUMN " + dialect.quote(ch.column().name()) + " TO "
                    + dialect.quote(ch.fresh().name()));
            case RETYPE -> pg ? List.of("ALTER TABLE " + table + " ALTER COLUMN " + dialect.quote(ch.column().name()) + " TYPE "
                    + ch.fresh().type() + " USING " + dialect.quote(ch.column().name()) + "::" + ch.fresh().type())
                    : List.of("ALTER TABLE " + table + " MODIFY COLUMN " + dialect.columnDefinition(
                            rename(keepNullability(ch.fresh(), ch.column()), ch.column().name())));
            case DROP_NOT_NULL -> pg ? List.of("ALTER TABLE " + table + " ALTER COLUMN " + dialect.quote(ch.column().name()) + " DROP NOT NULL")
                    : List.of("ALTER TABLE " + table + " MODIFY COLUMN " + dialect.columnDefinition(nullable(ch.column())));
        };
    }

    /**
     * Mirrors the source's secondary indexes as the last comparison converted them ({@link #diff}, on a table's first
     * change of a run and when its events change shape): a converted index the target lacks is created, one DataFlow
     * created from the source that the source no longer has is dropped; indexes made in the target by hand stay.
     * Returns the table with the indexes it now has.
     */
    TargetTable syncIndexes(Connection c, TargetTable t, BeforeDdl beforeDdl) throws SQLException {
        TargetTable fresh = lastConverted.remove(t.source());
        if (fresh == null || policy == PipelineConfig.Ddl.IGNORE || policy == PipelineConfig.Ddl.STOP) {
            return t;
        }
        java.util.Set<String> existing = TargetCatalog.indexNames(c, engine, t.id());
        List<String> sql = new ArrayList<>();
        List<String> what = new ArrayList<>();
        java.util.Set<String> freshNames = new HashSet<>();
        for (TargetTable.TargetIndex i : fresh.indexes()) {
            freshNames.add(i.name());
            boolean columnsThere = i.columns().stream().allMatch(col -> t.columns().stream().anyMatch(x -> x.name().equals(col)));
            if (!existing.contains(i.name()) && columnsThere) {
                sql.add(dialect.createIndex(t, i));
                what.add("index " + i.name() + " created");
            }
        }
        for (TargetTable.TargetIndex i : t.indexes()) {
            if (!freshNames.contains(i.name()) && existing.contains(i.name())) {
                sql.add(engine == Engine.POSTGRES ? "DROP INDEX IF EXISTS " + dialect.quote(t.id().schema()) + "." + dialect.quote(i.name())
                        : "DROP INDEX " + dialect.quote(i.name()) + " ON " + dialect.qualified(t.id()));
                what.add("index " + i.name() + " dropped");
            }
        }
        if (sql.isEmpty()) {
            return t;
        }
        beforeDdl.run();
        try (Statement st = c.createStatement()) {
            for (int k = 0; k < sql.size(); k++) {
                try {
                    st.execute(sql.get(k));
                    c.commit();
                    count(true);
                    LOG.info("schema change of {}: {}: applied to {}", t.source(), what.get(k), t.id());
                } catch (SQLException e) {
                    if (SqlFailures.isTransient(e)) {
                        throw e;
                    }
                    c.rollback(); // an index the target refuses (too wide, say) is not worth stopping for: the data is whole
                    count(false);
                    LOG.warn("schema change of {}: {}: the target refused it ({}); create it by hand once fixed: {}", t.source(), what.get(k),
                            e.getMessage(), sql.get(k));
                }
            }
        }
        return new TargetTable(t.source(), t.id(), t.columns(), t.primaryKey(), t.applyKey(), fresh.indexes(), t.foreignKeys());
    }

    /** The vanished columns grouped by the stretch of surviving columns they sat between, in table order. */
    private static List<List<TargetTable.TargetColumn>> gaps(TargetTable t, List<TargetTable.TargetColumn> gone, Set<String> names) {
        List<List<TargetTable.TargetColumn>> out = new ArrayList<>();
        List<TargetTable.TargetColumn> current = new ArrayList<>();
        for (TargetTable.TargetColumn col : t.columns()) {
            if (gone.contains(col)) {
                current.add(col);
            } else if (names.contains(col.sourceName()) && !current.isEmpty()) {
                out.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** The new columns of the event schema that sit between the surviving neighbours of {@code gap}, in order. */
    private static List<String> appearedBetween(TargetTable t, List<TargetTable.TargetColumn> gap, TableSchema schema, List<String> added) {
        int first = t.columns().indexOf(gap.get(0));
        int last = t.columns().indexOf(gap.get(gap.size() - 1));
        String before = null;
        for (int i = first - 1; i >= 0 && before == null; i--) {
            String n = t.columns().get(i).sourceName();
            before = schema.indexOf(n) >= 0 ? n : null;
        }
        String after = null;
        for (int i = last + 1; i < t.columns().size() && after == null; i++) {
            String n = t.columns().get(i).sourceName();
            after = schema.indexOf(n) >= 0 ? n : null;
        }
        int from = before == null ? 0 : schema.indexOf(before) + 1;
        int to = after == null ? schema.columns().size() : schema.indexOf(after);
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String n = schema.columns().get(i).name();
            if (added.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** Counts a decision for the run summary and the metrics; the log line says which change it was. */
    private void count(boolean applied) {
        counters.add(applied ? io.dataflow.runtime.SinkCounters.SCHEMA_CHANGES_APPLIED : io.dataflow.runtime.SinkCounters.SCHEMA_CHANGES_LEFT, 1);
    }

    private static TargetTable.TargetColumn nullable(TargetTable.TargetColumn col) {
        return new TargetTable.TargetColumn(col.sourceName(), col.name(), col.type(), true, col.defaultExpr(), false, col.enumLabels(),
                col.enumType(), col.mapping(), col.source());
    }

    /** A changed column keeps the target's nullability unless it became nullable (NOT NULL is not added to rows already there). */
    private static TargetTable.TargetColumn keepNullability(TargetTable.TargetColumn fresh, TargetTable.TargetColumn was) {
        return fresh.nullable() || !was.nullable() ? fresh : nullable(fresh);
    }

    private static TargetTable.TargetColumn rename(TargetTable.TargetColumn col, String name) {
        return new TargetTable.TargetColumn(col.sourceName(), name, col.type(), col.nullable(), col.defaultExpr(), col.identity(),
                col.enumLabels(), col.enumType(), col.mapping(), col.source());
    }

    /** The table converted again from the source's catalog; null when the source no longer has it. */
    private TargetTable reconvert(TableId source, String what) throws StorageException {
        try {
            return reconverter.reconvert(source).orElse(null);
        } catch (IOException e) {
            throw new StorageException("reading " + what + " from the source: " + e.getMessage(), false, e);
        }
    }
}
