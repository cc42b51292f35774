package io.dataflow.jdbc;

import io.dataflow.runtime.ValueIssues;
import io.dataflow.api.ChangeEvent;
import io.dataflow.api.Checkpoint;
import io.dataflow.api.Column;
import io.dataflow.api.Op;
import io.dataflow.api.Sink;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.config.JdbcTarget;
import io.dataflow.api.catalog.Engine;
import io.dataflow.convert.SchemaConverter;
import io.dataflow.convert.TargetDialect;
import io.dataflow.convert.TargetTable;
import io.dataflow.api.StorageException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database target. Before the full load it prepares the converted tables ({@link TargetTables}); the full load
 * arrives in chunks ({@link #bulkLoad()}: COPY into PostgreSQL, batched multi-row inserts into MariaDB/MySQL, each
 * chunk committed together with its marker so it lands exactly once) or as events; after it, secondary indexes,
 * foreign keys and identity generators are created. Changes are applied in source commit order inside one target
 * transaction per flush, as upserts on the apply key and deletes by it, so replaying events after a crash
 * converges to the same rows.
 */
public final class JdbcSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSink.class);
    private static final int MAX_BATCH = 1000;

    private final String pipeline;
    private final TargetConnections connections;
    private final SchemaConverter.Conversion conversion;
    private final TargetDialect dialect;
    private final JdbcTarget.TablePrep prep;
    private final ValueIssues issues;
    private final ValueRenderer renderer;
    private final TargetTables targetTables;
    private final Map<TableId, TargetTable> tables = new HashMap<>();
    private final Map<TableSchema, Plan> plans = new IdentityHashMap<>();
    private Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private PreparedStatement batch;
    private final Set<List<Object>> batchKeys = new HashSet<>();
    private int batched;
    private long stagedRows;
    private long stagedBytes;
    private final boolean snapshotRestarts;
    /** The last change the target holds (read at recovery) and the last one applied since the last flush. */
    private String appliedPosition;
    private String lastApplied;
    private long replaysSkipped;
    private boolean copyFullLoad;
    private CopyWriter copy;

    /**
     * @param snapshotRestarts the full load arrives as events from a snapshot that starts over after a failure
     *                         (Debezium's): an unfinished full load then empties the tables first and is copied in
     *                         with COPY instead of upserts (unless {@code table-prep: keep})
     */
    public JdbcSink(String pipeline, TargetConnections connections, SchemaConverter.Conversion conversion, JdbcTarget.TablePrep prep,
            ValueIssues issues, boolean snapshotRestarts) {
        this.snapshotRestarts = snapshotRestarts;
        this.pipeline = pipeline;
        this.connections = connections;
        this.conversion = conversion;
        this.dialect = conversion.dialect();
        this.prep = prep;
        this.issues = issues;
        this.renderer = new ValueRenderer(connections.engine(), issues);
        this.targetTables = new TargetTables(pipeline, connections.engine(), conversion, prep);
        conversion.tables().forEach(t -> tables.put(t.source(), t));
    }

    @Override
    public String name() {
        return "jdbc";
    }

    /** Prepares the target tables once per pipeline, as {@code table-prep} says (see {@link TargetTables#prepare}). */
    public void prepare() throws IOException {
        try {
            targetTables.prepare(connection());
        } catch (SQLException e) {
            throw SqlFailures.failure("preparing the target tables", e);
        }
    }

    /** After the full load: secondary indexes, foreign keys, identity generators; once per pipeline. */
    @Override
    public void fullLoadComplete() throws IOException {
        try {
            Connection c = connection();
            endCopy();
            flushBatch();
            c.commit();
            targetTables.postLoad(c);
        } catch (SQLException e) {
            throw SqlFailures.failure("creating indexes and foreign keys after the full load", e);
        }
    }

    /** Forgets what this pipeline recorded in the target (prepared tables, loaded chunks), for {@code cleanup --state}. */
    public static void forget(TargetConnections connections, String pipeline) throws IOException {
        try (Connection c = connections.open()) {
            StateTables.ensure(c, connections.engine());
            StateTables.forget(c, pipeline);
        } catch (SQLException e) {
            throw SqlFailures.failure("forgetting the pipeline's state", e);
        }
    }

    @Override
    public void recover(Checkpoint checkpoint) throws IOException {
        discard();
        copyFullLoad = false;
        try {
            appliedPosition = StateTables.appliedPosition(connection(), pipeline);
            connection().commit();
        } catch (SQLException e) {
            throw SqlFailures.failure("reading the last applied change", e);
        }
        if (checkpoint.fullLoadDone()) {
            fullLoadComplete();
        } else if (snapshotRestarts && prep != JdbcTarget.TablePrep.KEEP) {
            try {
                targetTables.truncate(connection());
            } catch (SQLException e) {
                throw SqlFailures.failure("emptying the tables before the full load starts (over)", e);
            }
            copyFullLoad = connections.engine() == Engine.POSTGRES;
            LOG.info("full load (re)starts: target tables emptied{}", copyFullLoad ? "; rows are copied in with COPY" : "");
        }
    }

    @Override
    public void write(List<ChangeEvent> events) throws IOException {
        try {
            for (ChangeEvent e : events) {
                apply(e);
            }
        } catch (SQLException e) {
            throw SqlFailures.failure("applying changes", e);
        }
    }

    private void apply(ChangeEvent e) throws SQLException, IOException {
        if (e.op() == Op.TRUNCATE || e.op() == Op.RELOAD) {
            truncate(e);
            return;
        }
        if (copyFullLoad && e.fullLoad() && e.op() != Op.DELETE) {
            flushBatch();
            if (copy == null || copy.schema() != e.schema()) {
                endCopy();
                TargetTable t = tables.get(e.table());
                if (t == null) {
                    throw new StorageException("table " + e.table() + " is not in the converted schema", true, null);
                }
                copy = new CopyWriter(connection(), dialect, t, new RowMapping(t, e.schema(), renderer));
            }
            copy.write(e.row());
            stagedRows++;
            stagedBytes += e.approximateBytes();
            return;
        }
        if (replayed(e)) {
            if (replaysSkipped++ == 0) {
                LOG.info("skipping replayed changes up to {}: the target holds them already", appliedPosition);
            }
            return;
        }
        endCopy();
        Plan found = plans.get(e.schema());
        if (found == null) {
            found = plan(e.schema(), e.fullLoad());
            plans.put(e.schema(), found);
        }
        Plan plan = found;
        Object[] row = e.row();
        List<Object> key = new ArrayList<>(plan.keyIndexes.length);
        for (int k : plan.keyIndexes) {
            key.add(row[k]);
        }
        if (plan.keyIndexes.length == 0 && (e.op() == Op.DELETE || e.op() == Op.UPDATE)) {
            applyKeyless(plan, e);
        } else if (e.op() == Op.DELETE) {
            PreparedStatement ps = statement(plan.deleteSql, key);
            for (int i = 0; i < plan.keyIndexes.length; i++) {
                bind(ps, i + 1, row[plan.keyIndexes[i]], plan.keyColumns[i], e.schema().columns().get(plan.keyIndexes[i]), e.table());
            }
        } else {
            String sql = e.unchanged().isEmpty() ? plan.upsertSql : ApplySql.upsert(dialect, plan.table, plan.targetNames,
                    e.unchanged().stream().map(u -> plan.table.bySourceName(u).map(TargetTable.TargetColumn::name).orElse(u)).toList());
            PreparedStatement ps = statement(sql, key);
            for (int i = 0; i < plan.sourceIndexes.length; i++) {
                bind(ps, i + 1, row[plan.sourceIndexes[i]], plan.columns[i], e.schema().columns().get(plan.sourceIndexes[i]), e.table());
            }
        }
        batch.addBatch();
        batched++;
        stagedRows++;
        stagedBytes += e.approximateBytes();
        if (!e.fullLoad()) {
            lastApplied = e.position();
        }
        if (batched >= MAX_BATCH) {
            flushBatch();
        }
    }

    /** A change the target holds already (at or before the last applied position): a replay after a restart. */
    private boolean replayed(ChangeEvent e) {
        return !e.fullLoad() && appliedPosition != null && e.position().compareTo(appliedPosition) <= 0;
    }

    /**
     * Empties the target table, in the flush's transaction (a DELETE, which both engines roll back with the rest): the
     * source truncated it, or a reload starts here and its rows arrive as the source is read again.
     */
    private void truncate(ChangeEvent e) throws SQLException {
        if (replayed(e)) {
            return;
        }
        TargetTable t = tables.get(e.table());
        if (t == null) {
            LOG.warn("{} of {} ignored: the table is not in the converted schema", e.op(), e.table());
            return;
        }
        endCopy();
        flushBatch();
        if (TargetCatalog.columns(connection(), connections.engine(), t.id()).isEmpty()) {
            lastApplied = e.position(); // a table that joined the pipeline: nothing to empty, it is created with its first rows
            return;
        }
        try (java.sql.Statement st = connection().createStatement()) {
            int n = st.executeUpdate("DELETE FROM " + dialect.qualified(t.id()));
            LOG.info(e.op() == Op.RELOAD ? "reload of {}: emptied target table {} ({} rows); its rows arrive again as the source is read"
                    : "TRUNCATE of {}: emptied target table {} ({} rows)", e.table(), t.id(), n);
        }
        lastApplied = e.position();
    }

    /**
     * An update or delete of a table without an apply key: the one row whose values equal the old row (a delete's row is
     * its old row) is changed, one row per change even when the table holds duplicates.
     */
    private void applyKeyless(Plan plan, ChangeEvent e) throws SQLException, StorageException {
        Object[] old = e.op() == Op.DELETE ? e.row() : e.before();
        if (old == null) {
            throw new StorageException("table " + e.table() + " has no primary or unique NOT NULL key and the source sent no old row for an "
                    + "update, so the target row cannot be found; on PostgreSQL run ALTER TABLE " + e.table() + " REPLICA IDENTITY FULL "
                    + "(dataflow run sets it when it owns the table), or add a key to the source table", true, null);
        }
        PreparedStatement ps = statement(e.op() == Op.DELETE ? plan.keylessDeleteSql : plan.keylessUpdateSql, List.of());
        int p = 1;
        if (e.op() == Op.UPDATE) {
            for (int i = 0; i < plan.sourceIndexes.length; i++) {
                bind(ps, p++, e.row()[plan.sourceIndexes[i]], plan.columns[i], e.schema().columns().get(plan.sourceIndexes[i]), e.table());
            }
        }
        for (int i = 0; i < plan.matchIndexes.length; i++) {
            bind(ps, p++, old[plan.matchIndexes[i]], plan.matchColumns[i], e.schema().columns().get(plan.matchIndexes[i]), e.table());
        }
    }

    private void bind(PreparedStatement ps, int index, Object value, TargetTable.TargetColumn column, Column source, TableId table)
            throws SQLException {
        RowMapping.bind(ps, index, renderer.render(value, source.type(), column, table + "." + source.name()));
    }

    /** The statement for this SQL, continuing the current batch unless the SQL changes or the key repeats. */
    private PreparedStatement statement(String sql, List<Object> key) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection().prepareStatement(sql);
            statements.put(sql, ps);
        }
        boolean repeat = !key.isEmpty() && !batchKeys.add(keyOf(key));
        if (ps != batch || repeat) {
            flushBatch();
            batch = ps;
            batchKeys.add(keyOf(key));
        }
        return ps;
    }

    /** A batch must not touch one key twice (an upsert batch rewritten into one multi-row statement would fail). */
    private static List<Object> keyOf(List<Object> key) {
        List<Object> k = new ArrayList<>(key.size());
        for (Object o : key) {
            k.add(o instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : o);
        }
        return k;
    }

    private void endCopy() throws SQLException {
        if (copy != null) {
            CopyWriter c = copy;
            copy = null;
            c.finish();
        }
    }

    private void flushBatch() throws SQLException {
        if (batch != null && batched > 0) {
            batch.executeBatch();
        }
        batched = 0;
        batchKeys.clear();
    }

    private SchemaChanges schemaChanges;
    /** Per table: the target table as changes are applied to it (the target's catalog, then each schema change). */
    private final Map<TableId, TargetTable> live = new HashMap<>();
    private final Map<TableId, TableSchema> lastSchema = new HashMap<>();

    /**
     * Lets the sink follow the source's schema during CDC as {@code policy} says: create tables that appear, and add,
     * drop, rename and retype columns (see {@link SchemaChanges}).
     */
    JdbcSink onSchemaChanges(SchemaChanges.Reconverter r, io.dataflow.config.PipelineConfig.Ddl policy, io.dataflow.runtime.SinkCounters counters) {
        this.schemaChanges = new SchemaChanges(dialect, connections.engine(), r, policy, prep == JdbcTarget.TablePrep.CREATE, counters);
        return this;
    }

    /**
     * Commits what was applied so far, with its position, before a schema change: the DDL commits by itself (MariaDB
     * commits the open transaction too), and a replay must not run older events against the changed table.
     */
    private void commitSoFar() throws SQLException {
        endCopy();
        flushBatch();
        if (lastApplied != null) {
            StateTables.recordApplied(connection(), connections.engine(), pipeline, lastApplied);
        }
        connection().commit();
        if (lastApplied != null) {
            appliedPosition = lastApplied;
            lastApplied = null;
        }
    }

    private Plan plan(TableSchema schema, boolean fullLoad) throws StorageException, SQLException {
        TargetTable t = live.get(schema.id());
        if (t == null) {
            t = tables.get(schema.id());
            if (t == null && schemaChanges != null) {
                commitSoFar();
                t = schemaChanges.createTable(connection(), schema.id());
                if (t != null) {
                    tables.put(schema.id(), t);
                }
            } else if (t != null && schemaChanges != null) {
                t = schemaChanges.baseline(connection(), t, this::commitSoFar);
            }
            if (t == null) {
                throw new StorageException("table " + schema.id() + " is not in the converted schema (created or renamed in the source after "
                        + "the pipeline started); restart the pipeline with table-prep: keep after creating it in the target, or exclude it", true, null);
            }
            live.put(schema.id(), t);
        }
        if (schemaChanges != null) {
            // types are compared from the catalog when a table's events change shape, and on its first event of a run: a
            // type changed since the start (a quiet table altered) shows in no name
            TableSchema previous = lastSchema.put(schema.id(), schema);
            List<ColumnChange> changes = schemaChanges.diff(t, schema, previous != schema);
            if (!changes.isEmpty()) {
                commitSoFar();
                t = schemaChanges.apply(connection(), t, changes);
                live.put(schema.id(), t);
                plans.keySet().removeIf(s -> s.id().equals(schema.id()));
            }
            if (!fullLoad) { // during a full load the indexes come after it (post-load)
                t = schemaChanges.syncIndexes(connection(), t, this::commitSoFar);
                live.put(schema.id(), t);
            }
        }
        boolean ignoreNew = schemaChanges != null && schemaChanges.policy() == io.dataflow.config.PipelineConfig.Ddl.IGNORE;
        List<TargetTable.TargetColumn> cols = new ArrayList<>();
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < schema.columns().size(); i++) {
            String name = schema.columns().get(i).name();
            Optional<TargetTable.TargetColumn> c = t.bySourceName(name);
            if (c.isEmpty() && ignoreNew) {
                continue; // ddl: ignore: the target has no such column, its values are not written
            }
            if (c.isEmpty()) {
                throw new StorageException("column " + schema.id() + "." + name + " is not in target table " + t.id()
                        + " (added in the source after conversion); add it to the target table, then restart", true, null);
            }
            cols.add(c.get());
            idx.add(i);
        }
        List<Integer> keyIdx = new ArrayList<>();
        List<TargetTable.TargetColumn> keyCols = new ArrayList<>();
        for (String k : t.applyKey()) {
            TargetTable.TargetColumn c = t.columns().stream().filter(x -> x.name().equals(k)).findFirst().orElseThrow();
            int i = schema.indexOf(c.sourceName());
            if (i < 0) {
                throw new StorageException("key column " + c.sourceName() + " of " + schema.id() + " is missing from the source's events", true, null);
            }
            keyIdx.add(i);
            keyCols.add(c);
        }
        List<String> names = cols.stream().map(TargetTable.TargetColumn::name).toList();
        List<Integer> matchIdx = new ArrayList<>();
        List<TargetTable.TargetColumn> match = new ArrayList<>();
        if (t.applyKey().isEmpty()) {
            for (int i = 0; i < cols.size(); i++) {
                if (ApplySql.matchable(dialect, cols.get(i))) {
                    matchIdx.add(idx.get(i));
                    match.add(cols.get(i));
                }
            }
            if (match.isEmpty()) {
                throw new StorageException("table " + schema.id() + " has no key and no column the target can compare (json, xml and geometric "
                        + "types cannot be), so its updates and deletes cannot find their row; add a key to the source table or exclude it", true, null);
            }
        }
        return new Plan(t, cols.toArray(TargetTable.TargetColumn[]::new), idx.stream().mapToInt(Integer::intValue).toArray(),
                keyIdx.stream().mapToInt(Integer::intValue).toArray(), keyCols.toArray(TargetTable.TargetColumn[]::new), names,
                ApplySql.upsert(dialect, t, names, List.of()), t.applyKey().isEmpty() ? null : ApplySql.delete(dialect, t),
                matchIdx.stream().mapToInt(Integer::intValue).toArray(), match.toArray(TargetTable.TargetColumn[]::new),
                match.isEmpty() ? null : ApplySql.keylessUpdate(dialect, t, names, match),
                match.isEmpty() ? null : ApplySql.keylessDelete(dialect, t, match));
    }

    /**
     * How one event schema maps onto its target table. A table without an apply key finds the row of an update or
     * delete by the old values of its {@code match} columns.
     */
    private record Plan(TargetTable table, TargetTable.TargetColumn[] columns, int[] sourceIndexes, int[] keyIndexes,
            TargetTable.TargetColumn[] keyColumns, List<String> targetNames, String upsertSql, String deleteSql,
            int[] matchIndexes, TargetTable.TargetColumn[] matchColumns, String keylessUpdateSql, String keylessDeleteSql) {}

    @Override
    public FlushResult flush() throws IOException {
        try {
            endCopy();
            flushBatch();
            if (lastApplied != null) {
                StateTables.recordApplied(connection(), connections.engine(), pipeline, lastApplied);
            }
            if (connection != null) {
                connection.commit();
            }
            if (lastApplied != null) {
                appliedPosition = lastApplied;
                lastApplied = null;
            }
        } catch (SQLException e) {
            throw SqlFailures.failure("committing applied changes", e);
        }
        FlushResult r = new FlushResult(0, stagedRows, stagedBytes);
        stagedRows = 0;
        stagedBytes = 0;
        return r;
    }

    @Override
    public void discard() throws IOException {
        lastApplied = null;
        plans.clear();
        live.clear();
        lastSchema.clear();
        batched = 0;
        batchKeys.clear();
        stagedRows = 0;
        stagedBytes = 0;
        closeConnection();
    }

    @Override
    public long stagedBytes() {
        return stagedBytes;
    }

    @Override
    public Optional<BulkLoad> bulkLoad() {
        return Optional.of((schema, chunk) -> {
            TargetTable t = tables.get(schema.id());
            if (t == null) {
                throw new StorageException("table " + schema.id() + " is not in the converted schema", true, null);
            }
            return new ChunkLoader(pipeline, connections, t, schema, chunk, renderer);
        });
    }

    @Override
    public void close() throws IOException {
        closeConnection();
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = connections.open();
        }
        return connection;
    }

    private void closeConnection() {
        statements.clear();
        batch = null;
        if (copy != null) {
            try {
                copy.cancel();
            } catch (SQLException e) {
                LOG.debug("cancelling a COPY: {}", e.getMessage());
            }
            copy = null;
        }
        if (connection != null) {
            try {
                connection.rollback();
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the target connection: {}", e.getMessage());
            }
            connection = null;
        }
    }
}
