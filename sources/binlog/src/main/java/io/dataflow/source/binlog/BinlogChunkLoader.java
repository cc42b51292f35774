package io.dataflow.source.binlog;

import io.dataflow.api.Column;
import io.dataflow.api.LoadBatch;
import io.dataflow.api.LogicalType;
import io.dataflow.api.LogicalType.Kind;
import io.dataflow.api.FullLoader;
import io.dataflow.api.Sink;
import io.dataflow.source.debezium.DebeziumSource;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.source.debezium.ConnectTypes;
import io.dataflow.source.load.ChunkOutputs;
import io.dataflow.source.load.ChunkRunner;
import io.dataflow.source.load.FullLoadState;
import io.dataflow.api.ObjectStore;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
public final class BinlogChunkLoader implements FullLoader {
    private static final Logger LOG = LoggerFactory.getLogger(BinlogChunkLoader.class);
    /** Rows handed to the sinks at a time. */
    private static final int BATCH_ROWS = 2048;
    private final PipelineConfig pipeline;
    private final List<TableId> tables;
    private final ObjectStore stateStore;
    private final int threads;
    private final long chunkRows;
    private final boolean consistentSnapshot;
    /** Set by {@link #load}: one load per instance. */
    private List<Sink.BulkLoad> outputs;
    private FullLoader.Progress progress;

    /** A column as information_schema describes it. */
    record MyColumn(String name, String dataType, String columnType, int precision, int scale, boolean nullable) {}

    /**
     * @param consistentSnapshot read every chunk inside one consistent snapshot before the binlog streams
     *     ({@link #runInSnapshot()}), instead of lock-free while it streams ({@link #run()})
     */
    public BinlogChunkLoader(PipelineConfig pipeline, List<TableId> tables, ObjectStore stateStore, int threads, long chunkRows,
            boolean consistentSnapshot) {
        this.pipeline = pipeline;
        this.tables = List.copyOf(tables);
        this.stateStore = stateStore;
        this.threads = threads;
        this.chunkRows = chunkRows;
        this.consistentSnapshot = consistentSnapshot;
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
    public Map<String, Object> load(List<Sink.BulkLoad> outputs, FullLoader.Progress progress) throws Exception {
        this.outputs = List.copyOf(outputs);
        this.progress = progress;
        if (!consistentSnapshot) {
            run();
            return Map.of();
        }
        Map<String, Object> position = runInSnapshot();
        return Map.of("partition", Map.of("server", DebeziumSource.topicPrefix(pipeline.name())), "offset", position);
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
        Map<TableId, List<MyColumn>> columns = new LinkedHashMap<>();
        FullLoadState state;
        try (Connection c = connect()) {
            for (TableId t : tables) {
                List<MyColumn> cols = columns(c, t);
                columns.put(t, cols);
                schemas.put(t, new TableSchema(t, cols.stream().map(m -> new Column(m.name(), logical(m), m.nullable())).toList(), primaryKey(c, t)));
            }
            var existing = FullLoadState.load(stateStore, pipeline.name());
            if (existing.isPresent()) {
                state = existing.get();
                LOG.info("resuming the full load: {} of {} chunks done", state.doc().done().size(), state.doc().plan().size());
            } else {
                List<FullLoadState.Chunk> plan = new ArrayList<>();
                for (TableId t : tables) {
                    plan.addAll(plan(c, t, schemas.get(t)));
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

    private static List<MyColumn> columns(Connection c, TableId t) throws SQLException {
        List<MyColumn> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("select column_name, data_type, column_type, coalesce(numeric_precision, -1), "
                + "coalesce(numeric_scale, 0), is_nullable from information_schema.columns where table_schema = ? and table_name = ? "
                + "order by ordinal_position")) {
            st.setString(1, t.schema());
            st.setString(2, t.table());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new MyColumn(rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT), rs.getString(3).toLowerCase(Locale.ROOT),
                            rs.getInt(4), rs.getInt(5), "YES".equals(rs.getString(6))));
                }
            }
        }
        return out;
    }

    private static List<String> primaryKey(Connection c, TableId t) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("select column_name from information_schema.key_column_usage where table_schema = ? "
                + "and table_name = ? and constraint_name = 'PRIMARY' order by ordinal_position")) {
            st.setString(1, t.schema());
            st.setString(2, t.table());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The logical type Debezium's binlog connectors give this column, with DataFlow's settings. */
    static LogicalType logical(MyColumn m) {
        boolean unsigned = m.columnType().contains("unsigned");
        LogicalType t = switch (m.dataType()) {
            case "tinyint" -> m.columnType().startsWith("tinyint(1)") ? LogicalType.of(Kind.BOOLEAN) : LogicalType.of(Kind.INT16);
            case "bit" -> m.columnType().equals("bit(1)") ? LogicalType.of(Kind.BOOLEAN) : LogicalType.of(Kind.BYTES);
            case "smallint" -> LogicalType.of(unsigned ? Kind.INT32 : Kind.INT16);
            case "mediumint" -> LogicalType.of(Kind.INT32);
            case "int", "integer" -> LogicalType.of(unsigned ? Kind.INT64 : Kind.INT32);
            case "bigint" -> unsigned ? LogicalType.decimal(20, 0) : LogicalType.of(Kind.INT64);
            case "decimal", "numeric" -> m.precision() <= ConnectTypes.MAX_DECIMAL_PRECISION
                    ? LogicalType.decimal(m.precision(), m.scale()) : LogicalType.of(Kind.STRING);
            case "float" -> LogicalType.of(Kind.FLOAT32);
            case "double", "real" -> LogicalType.of(Kind.FLOAT64);
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> LogicalType.of(Kind.BYTES);
            case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection" ->
                    LogicalType.of(Kind.BYTES);
            case "enum" -> LogicalType.of(Kind.ENUM);
            case "year" -> LogicalType.of(Kind.INT32);
            case "date" -> LogicalType.of(Kind.DATE);
            case "datetime" -> LogicalType.of(Kind.TIMESTAMP).withPrecision(6);
            case "timestamp" -> LogicalType.of(Kind.TIMESTAMP_TZ).withPrecision(6);
            case "time" -> LogicalType.of(Kind.STRING);
            case "json" -> LogicalType.of(Kind.JSON);
            default -> LogicalType.of(Kind.STRING);
        };
        return t.withSourceType(m.columnType());
    }

    /**
     * Primary-key ranges of about {@code chunkRows} rows each, skew-safe for any key shape: one streaming pass over
     * the key in key order takes every {@code chunkRows}-th key as a boundary. Tables without a primary key (or with
     * a binary one) are one chunk.
     */
    private List<FullLoadState.Chunk> plan(Connection c, TableId t, TableSchema schema) throws SQLException {
        List<FullLoadState.Chunk> out = new ArrayList<>();
        List<String> keys = schema.keyColumns();
        boolean chunkable = !keys.isEmpty() && keys.stream().map(k -> schema.columns().get(schema.indexOf(k)).type().kind())
                .noneMatch(k -> k == Kind.BYTES || k == Kind.FLOAT32 || k == Kind.FLOAT64);
        if (chunkable) {
            String cols = keys.stream().map(BinlogChunkLoader::q).collect(Collectors.joining(", "));
            List<List<String>> bounds = new ArrayList<>();
            try (Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                st.setFetchSize(pipeline.source().type() == SourceConfig.Type.MYSQL ? Integer.MIN_VALUE : 10_000);
                try (ResultSet rs = st.executeQuery("SELECT " + cols + " FROM " + q(t) + " ORDER BY " + cols)) {
                    long n = 0;
                    while (rs.next()) {
                        if (++n % chunkRows == 1 && n > 1) {
                            List<String> b = new ArrayList<>();
                            for (int i = 1; i <= keys.size(); i++) {
                                b.add(rs.getString(i));
                            }
                            bounds.add(b);
                        }
                    }
                }
            }
            if (!bounds.isEmpty()) {
                for (int i = 0; i <= bounds.size(); i++) {
                    out.add(new FullLoadState.Chunk(t.schema(), t.table(), i + 1, 0, 0, i == 0 ? null : bounds.get(i - 1),
                            i == bounds.size() ? null : bounds.get(i)));
                }
                return out;
            }
        }
        out.add(new FullLoadState.Chunk(t.schema(), t.table(), 1, -1, -1));
        return out;
    }

    /** {@code (k1, k2, ...) >= (v1, v2, ...)} (or {@code <}) spelled out so every MySQL-family optimizer uses the key. */
    static String rowCompare(List<String> keys, int from, boolean lower) {
        String k = q(keys.get(from));
        if (from == keys.size() - 1) {
            return k + (lower ? " >= ?" : " < ?");
        }
        return "(" + k + (lower ? " > ?" : " < ?") + " OR (" + k + " = ? AND " + rowCompare(keys, from + 1, lower) + "))";
    }

    /** The values to bind for {@link #rowCompare}, in the order the placeholders appear. */
    static List<String> rowCompareValues(List<String> values, int from) {
        List<String> out = new ArrayList<>();
        out.add(values.get(from));
        if (from < values.size() - 1) {
            out.add(values.get(from));
            out.addAll(rowCompareValues(values, from + 1));
        }
        return out;
    }

    static String q(String ident) {
        return "`" + ident.replace("`", "``") + "`";
    }

    static String q(TableId t) {
        return q(t.schema()) + "." + q(t.table());
    }

    private ChunkRunner.Result read(Connection c, FullLoadState.Chunk ch, TableSchema schema, List<MyColumn> cols, FullLoadState.Doc doc)
            throws SQLException, IOException {
        String select = cols.stream().map(m -> q(m.name())).collect(Collectors.joining(", "));
        List<String> conds = new ArrayList<>();
        List<String> binds = new ArrayList<>();
        if (ch.fromKey() != null) {
            conds.add(rowCompare(schema.keyColumns(), 0, true));
            binds.addAll(rowCompareValues(ch.fromKey(), 0));
        }
        if (ch.toKey() != null) {
            conds.add(rowCompare(schema.keyColumns(), 0, false));
            binds.addAll(rowCompareValues(ch.toKey(), 0));
        }
        String where = conds.isEmpty() ? "" : " WHERE " + String.join(" AND ", conds);
        long rows = 0;
        try (PreparedStatement st = c.prepareStatement("SELECT " + select + " FROM " + q(schema.id()) + where,
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                ChunkOutputs out = new ChunkOutputs(outputs, schema, ch.number())) {
            st.setFetchSize(pipeline.source().type() == SourceConfig.Type.MYSQL ? Integer.MIN_VALUE : 10_000);
            for (int i = 0; i < binds.size(); i++) {
                st.setString(i + 1, binds.get(i));
            }
            List<Column> columns = schema.columns();
            int n = columns.size();
            LoadBatch batch = new LoadBatch(schema, BATCH_ROWS, 0, doc.snapshotMicros());
            Direct[] direct = new Direct[n];
            for (int i = 0; i < n; i++) {
                direct[i] = direct(columns.get(i).type(), cols.get(i));
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    int r = batch.addRow(((long) ch.number() << 40) | rows);
                    for (int i = 0; i < n; i++) {
                        if (direct[i] != Direct.NO) {
                            read(rs, i, direct[i], batch, r);
                            continue;
                        }
                        Object v = value(rs, i + 1, columns.get(i).type(), cols.get(i));
                        if (v == null && zeroDate(rs, i + 1, columns.get(i).type())) {
                            ZeroDateConverter.countZeroDate(schema.id() + "." + columns.get(i).name());
                        }
                        batch.set(r, i, v);
                    }
                    if (batch.isFull()) {
                        out.write(batch);
                        batch.clear();
                    }
                }
            }
            if (batch.size() > 0) {
                out.write(batch);
            }
            return new ChunkRunner.Result(rows, out.commit());
        }
    }

    /** Columns read straight into the batch's arrays, without a String or a boxed value. */
    private enum Direct { NO, INTEGER, FLOAT, DOUBLE, TEXT }

    private static final java.util.Set<String> CHARACTER_TYPES =
            java.util.Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set", "json");

    private static Direct direct(LogicalType t, MyColumn m) {
        if (m.dataType().equals("bit")) {
            return Direct.NO;
        }
        return switch (t.kind()) {
            case INT16, INT32, INT64 -> Direct.INTEGER;
            case FLOAT32 -> Direct.FLOAT;
            case FLOAT64 -> Direct.DOUBLE;
            // character columns only (the driver refuses bytes of numbers): bytes in the connection's utf8mb4
            case STRING, ENUM, JSON -> CHARACTER_TYPES.contains(m.dataType()) ? Direct.TEXT : Direct.NO;
            default -> Direct.NO;
        };
    }

    private static void read(ResultSet rs, int i, Direct d, LoadBatch batch, int r) throws SQLException {
        switch (d) {
            case INTEGER -> {
                long v = rs.getLong(i + 1);
                if (!rs.wasNull()) {
                    batch.setLong(r, i, v);
                }
            }
            case FLOAT -> {
                float v = rs.getFloat(i + 1);
                if (!rs.wasNull()) {
                    batch.setDouble(r, i, v);
                }
            }
            case DOUBLE -> {
                double v = rs.getDouble(i + 1);
                if (!rs.wasNull()) {
                    batch.setDouble(r, i, v);
                }
            }
            case TEXT -> {
                byte[] v = rs.getBytes(i + 1);
                if (v != null) {
                    batch.setBytes(r, i, v, 0, v.length);
                }
            }
            case NO -> throw new IllegalArgumentException("column " + i + " is not read directly");
        }
    }

    static Object value(ResultSet rs, int i, LogicalType t, MyColumn m) throws SQLException {
        if (t.kind() == Kind.BYTES) {
            byte[] b = rs.getBytes(i);
            if (b != null && m.dataType().matches("geometry|point|linestring|polygon|multi.*|geometrycollection") && b.length > 4) {
                return java.util.Arrays.copyOfRange(b, 4, b.length); // MariaDB/MySQL store a 4-byte SRID before the WKB
            }
            return b;
        }
        String s = rs.getString(i);
        if (s == null) {
            return null;
        }
        return switch (t.kind()) {
            case BOOLEAN -> rs.getBoolean(i);
            case INT16 -> (short) rs.getInt(i);
            case INT32 -> rs.getInt(i);
            case INT64 -> rs.getLong(i);
            case DECIMAL -> new BigDecimal(s).setScale(t.scale());
            case FLOAT32 -> rs.getFloat(i);
            case FLOAT64 -> rs.getDouble(i);
            case DATE -> s.startsWith("0000-00-00") ? null : LocalDate.parse(s.substring(0, 10));
            case TIMESTAMP -> s.startsWith("0000-00-00") ? null : micros(LocalDateTime.parse(s.replace(' ', 'T')));
            case TIMESTAMP_TZ -> s.startsWith("0000-00-00") ? null : micros(LocalDateTime.parse(s.replace(' ', 'T')));
            case STRING -> m.dataType().equals("time") ? ConnectTypes.durationText(timeMicros(s)) : s;
            default -> s;
        };
    }

    private static boolean zeroDate(ResultSet rs, int i, LogicalType t) throws SQLException {
        if (t.kind() != Kind.DATE && t.kind() != Kind.TIMESTAMP && t.kind() != Kind.TIMESTAMP_TZ) {
            return false;
        }
        String s = rs.getString(i);
        return s != null && s.startsWith("0000-00-00");
    }

    private static long micros(LocalDateTime t) {
        java.time.Instant i = t.toInstant(ZoneOffset.UTC);
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    /** {@code [-]H:MM:SS[.ffffff]} to signed microseconds. */
    static long timeMicros(String s) {
        boolean negative = s.startsWith("-");
        String[] parts = (negative ? s.substring(1) : s).split("[:.]");
        long micros = (Long.parseLong(parts[0]) * 3600 + Long.parseLong(parts[1]) * 60 + Long.parseLong(parts[2])) * 1_000_000L;
        if (parts.length > 3) {
            String frac = (parts[3] + "000000").substring(0, 6);
            micros += Long.parseLong(frac);
        }
        return negative ? -micros : micros;
    }
}
