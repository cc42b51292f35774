package io.dataflow.source.binlog;

import io.dataflow.api.Column;
import io.dataflow.api.LoadBatch;
import io.dataflow.source.debezium.DebeziumSource;
import io.dataflow.source.debezium.ObjectStoreSchemaHistory;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.api.catalog.SourceTable;
import io.dataflow.config.PipelineConfig;
import io.dataflow.runtime.ValueIssues;
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
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MariaDB/MySQL full load in parallel, without locks: tables are cut into primary-key ranges and worker
 * threads read them with streaming {@code SELECT}s while the binlog already streams from a position taken
 * before the first read. A row read by the load may already contain changes the stream delivers again; as the
 * binlog carries whole rows ({@code binlog_row_image=FULL}) and full-load rows sort before every streamed change,
 * replaying the raw zone by position ends at the source's state once the stream has passed the end of the load.
 * Chunks and their completion are kept in {@link FullLoadState}, so a crash redoes only unfinished chunks.
 *
 * <p>Values are converted to the same logical types the Debezium binlog path produces (config/type-mapping.md).
 */
public final class BinlogChunkLoader extends ChunkedLoader {
    private static final Logger LOG = LoggerFactory.getLogger(BinlogChunkLoader.class);
    private final boolean consistentSnapshot;
    private final MariaDbCatalogReader catalog;
    private final ValueIssues conversions;

    /**
     * @param consistentSnapshot read every chunk inside one consistent snapshot before the binlog streams
     *     ({@link #runInSnapshot()}), instead of lock-free while it streams ({@link #run()})
     */
    public BinlogChunkLoader(PipelineConfig pipeline, List<TableId> tables, ObjectStore stateStore, MariaDbCatalogReader catalog,
            ValueIssues conversions, int threads, long chunkRows, boolean consistentSnapshot) {
        super(pipeline, tables, stateStore, threads, chunkRows);
        this.conversions = conversions;
        this.consistentSnapshot = consistentSnapshot;
        this.catalog = catalog;
    }

    @Override
    public Timing timing() {
        return consistentSnapshot ? Timing.BEFORE_STREAM : Timing.WHILE_STREAMING;
    }

    /**
     * Lock-free: no offset (the binlog already streams). In one snapshot: changes stream from the snapshot's binlog
     * position, given in Debezium's offset layout for binlog connectors.
     */
    @Override
    protected Map<String, Object> loadChunks() throws Exception {
        if (!consistentSnapshot) {
            run();
            return Map.of();
        }
        Map<String, Object> position = runInSnapshot();
        return Map.of("partition", Map.of("server", DebeziumSource.topicPrefix(pipeline.name())), "offset", position);
    }

    /** MySQL's driver streams a result set only with this fetch size; MariaDB's streams with any. */
    private int fetchSize() {
        return pipeline.source().type() == SourceConfig.Type.MYSQL ? Integer.MIN_VALUE : 10_000;
    }

    /** A connection of the source's inspector, in UTC so timestamps read as the binlog path gives them. */
    Connection connect() throws SQLException {
        BinlogInspector inspector = new BinlogInspector(pipeline.source());
        Connection c = inspector.connect();
        try (Statement st = c.createStatement()) {
            st.execute("SET time_zone = '+00:00'");
        } catch (SQLException e) {
            c.close();
            throw inspector.explain(e);
        }
        return c;
    }

    /** Reads the chunks lock-free, each on a fresh connection, while the binlog streams (see the class comment). */
    void run() throws IOException, SQLException, InterruptedException {
        run(this::connect);
    }

    /**
     * Reads every chunk inside one consistent snapshot, for a full load without a change stream: under a brief
     * {@code FLUSH TABLES WITH READ LOCK}, each worker's connection starts a transaction {@code WITH CONSISTENT
     * SNAPSHOT}, then the lock is released; all workers then see the database as of that instant. Without the RELOAD
     * privilege the lock is not possible, and one connection reads everything in its own snapshot.
     */
    Map<String, Object> runInSnapshot() throws IOException, SQLException, InterruptedException {
        java.util.concurrent.ConcurrentLinkedDeque<Connection> snapshot = new java.util.concurrent.ConcurrentLinkedDeque<>();
        Map<String, Object> position = new LinkedHashMap<>();
        boolean seedHistory = !ObjectStoreSchemaHistory.exists(stateStore, pipeline.name());
        List<Map.Entry<String, String>> ddl = new ArrayList<>();
        try {
            try (Connection lock = connect(); Statement st = lock.createStatement()) {
                boolean locked = false;
                try {
                    st.execute("FLUSH TABLES WITH READ LOCK");
                    locked = true;
                } catch (SQLException e) {
                    LOG.warn("cannot take FLUSH TABLES WITH READ LOCK ({}): the full load reads with one connection in one snapshot; "
                            + "grant RELOAD to read in parallel", e.getMessage());
                }
                try {
                    for (int i = 0; i < (locked ? threads : 1); i++) {
                        Connection c = connect();
                        snapshot.add(c);
                        try (Statement s = c.createStatement()) {
                            s.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                            s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
                        }
                    }
                    position.putAll(snapshotPosition(snapshot.peekFirst(), locked ? st : null));
                    if (seedHistory) {
                        // under the read lock no DDL runs: the tables as they are at the snapshot's position
                        ddl.addAll(createStatements(lock));
                    }
                } finally {
                    if (locked) {
                        st.execute("UNLOCK TABLES");
                    }
                }
            }
            if (FullLoadState.load(stateStore, pipeline.name()).isPresent()) {
                LOG.info("resuming the full load in a new snapshot; changes stream from the first attempt's binlog position");
            }
            Map<String, Object> first = BinlogStartPosition.keepFirst(stateStore, pipeline.name(), position);
            if (seedHistory) {
                ObjectStoreSchemaHistory.seed(stateStore, pipeline.name(), Map.of("server", DebeziumSource.topicPrefix(pipeline.name())),
                        first, ddl);
            }
            run(() -> {
                Connection c = snapshot.poll();
                if (c == null) {
                    throw new IllegalStateException("more full-load workers than snapshot connections");
                }
                return c;
            });
            return first;
        } finally {
            for (Connection c : snapshot) {
                c.close();
            }
        }
    }

    /** {@code CREATE TABLE} of every table of the load, with its database. */
    private List<Map.Entry<String, String>> createStatements(Connection c) throws SQLException {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        List<TableId> all = new ArrayList<>(tables);
        pipeline.source().signalTable().filter(s -> !tables.contains(s)).ifPresent(all::add);
        try (Statement st = c.createStatement()) {
            for (TableId t : all) {
                try (ResultSet rs = st.executeQuery("SHOW CREATE TABLE `" + t.schema().replace("`", "``") + "`.`" + t.table().replace("`", "``") + "`")) {
                    if (rs.next()) {
                        out.add(Map.entry(t.schema(), rs.getString(2)));
                    }
                } catch (SQLException e) {
                    if (tables.contains(t)) {
                        throw e;
                    }
                    // the signal table does not exist yet: run creates it after the load, and its CREATE is in the binlog
                }
            }
        }
        return out;
    }

    /**
     * The binlog position of a snapshot: MariaDB reports it per transaction ({@code binlog_snapshot_file},
     * {@code binlog_snapshot_position}); under the global read lock the master status and GTID position are the
     * same instant. Keys as Debezium's binlog offsets spell them: file, pos, gtids.
     */
    private Map<String, Object> snapshotPosition(Connection inSnapshot, Statement underLock) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        try (Statement s = inSnapshot.createStatement(); ResultSet rs = s.executeQuery("SHOW STATUS LIKE 'binlog_snapshot_%'")) {
            while (rs.next()) {
                if (rs.getString(1).equalsIgnoreCase("binlog_snapshot_file") && !rs.getString(2).isEmpty()) {
                    out.put("file", rs.getString(2));
                } else if (rs.getString(1).equalsIgnoreCase("binlog_snapshot_position")) {
                    out.put("pos", Long.parseLong(rs.getString(2)));
                }
            }
        }
        if (underLock != null) {
            if (!out.containsKey("file")) {
                try (ResultSet rs = underLock.executeQuery("SHOW MASTER STATUS")) {
                    if (rs.next()) {
                        out.put("file", rs.getString(1));
                        out.put("pos", rs.getLong(2));
                    }
                }
            }
            String gtidQuery = pipeline.source().type() == SourceConfig.Type.MARIADB ? "SELECT @@gtid_binlog_pos" : "SELECT @@gtid_executed";
            try (ResultSet rs = underLock.executeQuery(gtidQuery)) {
                if (rs.next() && rs.getString(1) != null && !rs.getString(1).isBlank()) {
                    out.put("gtids", rs.getString(1).replace("\n", ""));
                }
            }
        }
        if (!out.containsKey("file")) {
            throw new SQLException("cannot read the binlog position of the full load's snapshot: is log_bin on? (run 'dataflow check')");
        }
        return out;
    }

    private void run(java.util.concurrent.Callable<Connection> opener) throws IOException, SQLException, InterruptedException {
        Map<TableId, TableSchema> schemas = new LinkedHashMap<>();
        Map<TableId, List<BinlogColumn>> columns = new LinkedHashMap<>();
        FullLoadState state;
        try (Connection c = connect()) {
            for (TableId t : tables) {
                SourceTable table = catalog.table(c, t);
                List<BinlogColumn> cols = table.columns().stream().map(col -> BinlogColumn.of(col, catalog.engine())).toList();
                columns.put(t, cols);
                schemas.put(t, new TableSchema(t, cols.stream().map(m -> new Column(m.name(), m.logical(), m.nullable())).toList(),
                        table.primaryKey()));
            }
            var existing = FullLoadState.load(stateStore, pipeline.name());
            if (existing.isPresent()) {
                state = existing.get();
                LOG.info("resuming the full load: {} of {} chunks done", state.doc().done().size(), state.doc().plan().size());
            } else {
                List<FullLoadState.Chunk> plan = new ArrayList<>();
                for (TableId t : tables) {
                    plan.addAll(KeyRanges.plan(c, t, schemas.get(t), chunkRows, fetchSize()));
                }
                state = FullLoadState.create(stateStore, pipeline.name(), "", 0, java.time.Instant.now().toEpochMilli() * 1000, plan);
                LOG.info("full load: {} tables in {} chunks, {} threads", tables.size(), plan.size(), threads);
            }
        }
        FullLoadState finalState = state;
        ChunkRunner.run(state, schemas.keySet(), threads, opener, (c, ch) -> {
            TableId t = new TableId(ch.schema(), ch.table());
            return read(c, ch, schemas.get(t), columns.get(t), finalState.doc());
        }, progress);
    }

    private ChunkRunner.Result read(Connection c, FullLoadState.Chunk ch, TableSchema schema, List<BinlogColumn> cols, FullLoadState.Doc doc)
            throws SQLException, IOException {
        // FLOAT travels as text with 6 significant digits: ask for the stored single-precision value as a double
        String select = cols.stream().map(m -> m.logical().kind() == io.dataflow.api.LogicalType.Kind.FLOAT32
                ? "CAST(" + KeyRanges.q(m.name()) + " AS DOUBLE)" : KeyRanges.q(m.name())).collect(Collectors.joining(", "));
        List<String> conds = new ArrayList<>();
        List<String> binds = new ArrayList<>();
        if (ch.fromKey() != null) {
            conds.add(KeyRanges.rowCompare(schema.keyColumns(), 0, true));
            binds.addAll(KeyRanges.rowCompareValues(ch.fromKey(), 0));
        }
        if (ch.toKey() != null) {
            conds.add(KeyRanges.rowCompare(schema.keyColumns(), 0, false));
            binds.addAll(KeyRanges.rowCompareValues(ch.toKey(), 0));
        }
        String where = (conds.isEmpty() ? " WHERE TRUE" : " WHERE " + String.join(" AND ", conds))
                + filterCondition(schema, io.dataflow.transform.ExprSql.Dialect.MYSQL);
        long rows = 0;
        try (PreparedStatement st = c.prepareStatement("SELECT " + select + " FROM " + KeyRanges.q(schema.id()) + where,
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                ChunkOutputs out = new ChunkOutputs(outputs, schema, ch.number())) {
            st.setFetchSize(fetchSize());
            for (int i = 0; i < binds.size(); i++) {
                st.setString(i + 1, binds.get(i));
            }
            List<Column> columns = schema.columns();
            int n = columns.size();
            LoadBatch batch = new LoadBatch(schema, BATCH_ROWS, 0, doc.snapshotMicros());
            BinlogColumn.Direct[] direct = new BinlogColumn.Direct[n];
            for (int i = 0; i < n; i++) {
                direct[i] = cols.get(i).direct(columns.get(i).type());
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    int r = batch.addRow(((long) ch.number() << 40) | rows);
                    for (int i = 0; i < n; i++) {
                        if (direct[i] != BinlogColumn.Direct.NO) {
                            BinlogColumn.readDirect(rs, i, direct[i], batch, r);
                            continue;
                        }
                        Object v = cols.get(i).value(rs, i + 1, columns.get(i).type());
                        if (v == null && BinlogColumn.zeroDate(rs, i + 1, columns.get(i).type())) {
                            conversions.count(schema.id() + "." + columns.get(i).name(), ZeroDateConverter.REASON);
                        }
                        batch.set(r, i, v);
                    }
                    out.writeIfFull(batch);
                }
            }
            return new ChunkRunner.Result(rows, out.commit(batch));
        }
    }

}
