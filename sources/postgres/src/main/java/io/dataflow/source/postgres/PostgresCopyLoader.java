package io.dataflow.source.postgres;

import io.dataflow.api.Column;
import io.dataflow.api.LoadBatch;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.source.load.ChunkOutputs;
import io.dataflow.source.load.ChunkRunner;
import io.dataflow.source.load.ChunkedLoader;
import io.dataflow.source.load.FullLoadState;
import io.dataflow.api.ObjectStore;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.postgresql.replication.ReplicationSlotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL full load at the speed of {@code COPY}: the replication slot is created with an exported
 * snapshot, every table is cut into block (ctid) ranges, and worker threads read the chunks with
 * {@code COPY (SELECT ...) TO STDOUT (FORMAT binary)} inside that one snapshot ({@link PgBinaryRows} decodes it into
 * column batches), writing one Parquet file per chunk. Streaming
 * then starts at the slot's consistent point: no gap, no overlap.
 *
 * <p>Chunk-level resume: the plan and the finished chunks are kept in {@link FullLoadState}. After a crash the
 * exported snapshot is gone; the remaining chunks are read in a new shared snapshot, later than the slot's
 * consistent point. Changes between the two are also streamed from the slot (with whole rows), so replaying
 * the raw zone by position still ends at the source's state.
 */
public final class PostgresCopyLoader extends ChunkedLoader {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCopyLoader.class);

    public PostgresCopyLoader(PipelineConfig pipeline, List<TableId> tables, ObjectStore stateStore, int threads, long chunkRows) {
        super(pipeline, tables, stateStore, threads, chunkRows);
    }

    @Override
    public Timing timing() {
        return Timing.BEFORE_STREAM;
    }

    /** Streaming starts at the replication slot's consistent point, which the slot itself keeps: no offset to give. */
    @Override
    protected Map<String, Object> loadChunks() throws Exception {
        run();
        return Map.of();
    }

    /** Mode full-load: the slot that gave the snapshot is not needed any more (an idle slot keeps WAL forever). */
    @Override
    public void afterLoad(boolean streaming) throws SQLException {
        if (!streaming) {
            try (Connection c = connect(false)) {
                PostgresPublication.dropIdleSlot(c, pipeline.source().slot());
            }
        }
    }

    /**
     * Mode full-load: the slot gave the snapshot and nothing else needs it; it is dropped so it does not hold WAL (the next
     * run starts the load over). Otherwise the stream will start from it: it remains, and the note says how to drop it.
     */
    @Override
    public String afterFailure(boolean streaming) {
        String slot = pipeline.source().slot();
        if (streaming) {
            return "replication slot " + slot + " remains for the change stream (it keeps WAL until the pipeline runs again); "
                    + "'dataflow cleanup --config ...' drops it if you give the pipeline up";
        }
        try (Connection c = connect(false)) {
            return PostgresPublication.dropIdleSlot(c, slot) ? "replication slot " + slot + " was dropped" : "";
        } catch (SQLException e) {
            return "replication slot " + slot + " may remain and keep WAL: drop it with 'dataflow cleanup --config ...' or "
                    + "select pg_drop_replication_slot('" + slot + "')";
        }
    }

    /** Loads every table (or what is left of it); returns the slot's consistent point, where streaming starts. */
    long run() throws IOException, SQLException, InterruptedException {
        SourceConfig s = pipeline.source();
        Map<TableId, TableSchema> schemas;
        Map<TableId, List<PgColumn>> columns = new LinkedHashMap<>();
        try (Connection c = connect(false)) {
            schemas = schemas(c, columns);
            PostgresPublication.ensure(c, pipeline.source().publication(), tables);
        }
        var existing = FullLoadState.load(stateStore, pipeline.name());
        if (existing.isPresent() && !slotExists(existing.get().doc().slot())) {
            LOG.warn("the replication slot {} of an unfinished full load is gone; starting the full load again", existing.get().doc().slot());
            FullLoadState.delete(stateStore, pipeline.name());
            existing = java.util.Optional.empty();
        }
        if (existing.isPresent()) {
            FullLoadState state = existing.get();
            LOG.info("resuming the full load: {} of {} chunks done", state.doc().done().size(), state.doc().plan().size());
            try (Connection coordinator = connect(false)) {
                coordinator.setAutoCommit(false);
                try (Statement st = coordinator.createStatement()) {
                    st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                    ResultSet rs = st.executeQuery("select pg_export_snapshot()");
                    rs.next();
                    load(state, rs.getString(1), schemas, columns);
                }
                coordinator.rollback();
            }
            return state.doc().consistentLsn();
        }
        dropIdleSlot(s.slot());
        try (Connection replication = connect(true)) {
            ReplicationSlotInfo slot = replication.unwrap(PGConnection.class).getReplicationAPI().createReplicationSlot().logical()
                    .withSlotName(s.slot()).withOutputPlugin("pgoutput").make();
            long lsn = slot.getConsistentPoint().asLong();
            long micros = java.time.Instant.now().toEpochMilli() * 1000;
            List<FullLoadState.Chunk> plan;
            try (Connection c = connect(false)) {
                plan = plan(c);
            }
            FullLoadState state = FullLoadState.create(stateStore, pipeline.name(), s.slot(), lsn, micros, plan);
            LOG.info("full load: slot {} at LSN {}, {} tables in {} chunks, {} threads", s.slot(), slot.getConsistentPoint(),
                    tables.size(), plan.size(), threads);
            load(state, slot.getSnapshotName(), schemas, columns);
            return lsn;
        }
    }

    private Connection connect(boolean replication) throws SQLException {
        Map<String, String> p = new LinkedHashMap<>(Map.of("ApplicationName", "dataflow-" + pipeline.name() + "-full-load"));
        if (replication) {
            p.putAll(Map.of("replication", "database", "assumeMinServerVersion", "10", "preferQueryMode", "simple"));
        }
        return new PostgresInspector(pipeline.source()).open(pipeline.source(), p);
    }

    private boolean slotExists(String slot) throws SQLException {
        try (Connection c = connect(false); PreparedStatement st = c.prepareStatement("select 1 from pg_replication_slots where slot_name = ?")) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A slot without a full-load state cannot tell where its snapshot was: drop it (when no one uses it). */
    private void dropIdleSlot(String slot) throws SQLException {
        try (Connection c = connect(false)) {
            PostgresPublication.dropIdleSlot(c, slot);
        }
    }

    private Map<TableId, TableSchema> schemas(Connection c, Map<TableId, List<PgColumn>> columns) throws SQLException {
        Map<TableId, TableSchema> out = new LinkedHashMap<>();
        String sql = """
                select a.attname, format_type(a.atttypid, a.atttypmod), t.typname, t.typtype, coalesce(e.typname, ''),
                       coalesce(e.typtype, 'b'), case when t0.typtype = 'd' then t0.typtypmod else a.atttypmod end, a.attnotnull,
                       t.typoutput::regproc::text
                from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
                join pg_type t0 on t0.oid = a.atttypid
                join pg_type t on t.oid = case when t0.typtype = 'd' then t0.typbasetype else t0.oid end
                left join pg_type e on e.oid = t.typelem and t.typcategory = 'A'
                where n.nspname = ? and c.relname = ? and a.attnum > 0 and not a.attisdropped
                  and a.attgenerated = ''
                order by a.attnum""";
        // generated columns are left out: pgoutput never sends them, so change files and targets would lose them at
        // the first change (as a dropped column); the conversion report says so
        for (TableId t : tables) {
            List<PgColumn> cols = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement(sql)) {
                st.setString(1, t.schema());
                st.setString(2, t.table());
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        cols.add(PgColumn.read(rs));
                    }
                }
            }
            List<String> keys = PostgresCatalogReader.primaryKey(c, t);
            columns.put(t, cols);
            out.put(t, new TableSchema(t, cols.stream().map(col -> new Column(col.name(), PgTypeMapping.logical(col), !col.notNull())).toList(), keys));
        }
        return out;
    }

    /** Block ranges of about {@code chunkRows} rows each, from the table's statistics; the last range is open. */
    private List<FullLoadState.Chunk> plan(Connection c) throws SQLException {
        List<FullLoadState.Chunk> plan = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("select c.relkind, c.relpages, greatest(c.reltuples, 0)::bigint from pg_class c "
                + "join pg_namespace n on n.oid = c.relnamespace where n.nspname = ? and c.relname = ?")) {
            for (TableId t : tables) {
                st.setString(1, t.schema());
                st.setString(2, t.table());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    char kind = rs.getString(1).charAt(0);
                    long pages = rs.getLong(2);
                    long tuples = rs.getLong(3);
                    if (kind != 'r' || pages <= 1 || tuples <= chunkRows) {
                        plan.add(new FullLoadState.Chunk(t.schema(), t.table(), 1, -1, -1));
                        continue;
                    }
                    long chunks = Math.max(1, (tuples + chunkRows - 1) / chunkRows);
                    long step = Math.max(1, (pages + chunks - 1) / chunks);
                    int n = 1;
                    for (long from = 0; from < pages; from += step, n++) {
                        long to = from + step >= pages ? -1 : from + step;
                        plan.add(new FullLoadState.Chunk(t.schema(), t.table(), n, from, to));
                    }
                }
            }
        }
        return plan;
    }

    /** The loaded tables that have inheritance children ({@link PostgresInspector#inheritanceParents}). */
    private java.util.Set<TableId> inheritanceParents = java.util.Set.of();

    /**
     * The table in a FROM clause. A table with inheritance children (an older partitioning scheme, e.g. a payment
     * table with a child per month) is read ONLY: its children are tables of their own, loaded and streamed as such
     * (logical replication sends a child's changes under the child), so reading them through the parent too would
     * copy their rows twice. A partitioned table is read with its partitions, whose changes arrive under it.
     */
    String from(TableId t) {
        return (inheritanceParents.contains(t) ? "ONLY " : "") + t.quoted();
    }

    /** Reads the unfinished chunks on worker threads, each in a transaction that imports {@code snapshot}. */
    private void load(FullLoadState state, String snapshot, Map<TableId, TableSchema> schemas, Map<TableId, List<PgColumn>> columns)
            throws SQLException, IOException, InterruptedException {
        try (Connection c = connect(false)) {
            inheritanceParents = PostgresInspector.inheritanceParents(c, tables).keySet();
        }
        ChunkRunner.run(state, schemas.keySet(), threads, () -> {
            Connection c = connect(false);
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                st.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
                for (String set : PgTextValues.SESSION) {
                    st.execute(set);
                }
            }
            return c;
        }, (c, ch) -> {
            TableId t = new TableId(ch.schema(), ch.table());
            return copy(c, ch, schemas.get(t), columns.get(t), state.doc());
        }, progress);
    }

    private ChunkRunner.Result copy(Connection c, FullLoadState.Chunk ch, TableSchema schema, List<PgColumn> cols, FullLoadState.Doc doc)
            throws SQLException, IOException {
        PgBinaryRows decoder = new PgBinaryRows(cols, schema.columns().stream().map(Column::type).toList());
        String where = ch.fromBlock() < 0 && ch.toBlock() < 0 ? ""
                : " WHERE ctid >= '(" + Math.max(0, ch.fromBlock()) + ",0)'::tid"
                        + (ch.toBlock() < 0 ? "" : " AND ctid < '(" + ch.toBlock() + ",0)'::tid");
        String filter = filterCondition(schema, io.dataflow.transform.ExprSql.Dialect.POSTGRES);
        if (!filter.isEmpty()) {
            where = (where.isEmpty() ? " WHERE TRUE" : where) + filter;
        }
        String sql = "COPY (SELECT " + decoder.selectList() + " FROM " + from(schema.id()) + where + ") TO STDOUT (FORMAT binary)";
        long rows = 0;
        long chunkBits = (long) ch.number() << 40;
        try (ChunkOutputs out = new ChunkOutputs(outputs, schema, ch.number())) {
            CopyOut copy = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
            LoadBatch batch = new LoadBatch(schema, BATCH_ROWS, doc.consistentLsn(), doc.snapshotMicros());
            byte[] message;
            long largest = 0;
            try {
                while ((message = copy.readFromCopy()) != null) {
                    largest = Math.max(largest, message.length);
                    if (decoder.read(message, batch, chunkBits | (rows + 1))) {
                        rows++;
                        out.writeIfFull(batch);
                    }
                }
                return new ChunkRunner.Result(rows, out.commit(batch));
            } catch (OutOfMemoryError e) {
                // name the largest row read so far: the one being written, or, if the next one was being read, a smaller one
                String read = largest == 0 ? "reading its first row"
                        : "after " + rows + " row(s), the largest read " + String.format(java.util.Locale.ROOT, "%.1f MiB", largest / 1048576.0);
                throw new io.dataflow.api.Failure.OutOfMemoryWhile("loading " + schema.id() + " (chunk " + ch.number() + ", " + read + ")", e);
            }
        }
    }
}
