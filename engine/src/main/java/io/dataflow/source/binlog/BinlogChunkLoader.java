package io.dataflow.source.binlog;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.Column;
import io.dataflow.api.LogicalType;
import io.dataflow.api.LogicalType.Kind;
import io.dataflow.api.Op;
import io.dataflow.api.Sink;
import io.dataflow.api.SourcePositions;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.source.debezium.ConnectTypes;
import io.dataflow.source.load.ChunkOutputs;
import io.dataflow.source.load.ChunkRunner;
import io.dataflow.source.load.FullLoadState;
import io.dataflow.storage.ObjectStore;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
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
import java.util.Properties;
import java.util.function.BiConsumer;
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
public final class BinlogChunkLoader {
    private static final Logger LOG = LoggerFactory.getLogger(BinlogChunkLoader.class);
    private final PipelineConfig pipeline;
    private final List<TableId> tables;
    private final ObjectStore stateStore;
    private final List<Sink.BulkLoad> outputs;
    private final int threads;
    private final long chunkRows;
    private final BiConsumer<TableId, Long> progress;

    /** A column as information_schema describes it. */
    record MyColumn(String name, String dataType, String columnType, int precision, int scale, boolean nullable) {}

    public BinlogChunkLoader(PipelineConfig pipeline, List<TableId> tables, ObjectStore stateStore, List<Sink.BulkLoad> outputs,
            int threads, long chunkRows, BiConsumer<TableId, Long> progress) {
        this.pipeline = pipeline;
        this.tables = List.copyOf(tables);
        this.stateStore = stateStore;
        this.outputs = List.copyOf(outputs);
        this.threads = threads;
        this.chunkRows = chunkRows;
        this.progress = progress;
    }

    Connection connect() throws SQLException {
        SourceConfig s = pipeline.source();
        Properties p = new Properties();
        p.setProperty("user", s.user());
        if (!s.password().isEmpty()) {
            p.setProperty("password", s.password());
        }
        try {
            Connection c = DriverManager.getConnection(s.jdbcUrl(), p);
            try (Statement st = c.createStatement()) {
                st.execute("SET time_zone = '+00:00'");
            }
            return c;
        } catch (SQLException e) {
            throw new BinlogInspector(s).explain(e);
        }
    }

    public void run() throws IOException, SQLException, InterruptedException {
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
        ChunkRunner.run(state, schemas.keySet(), threads, this::connect, (c, ch) -> {
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

    /** Primary-key ranges for a single integer key, from its min and max; other tables are one chunk. */
    private List<FullLoadState.Chunk> plan(Connection c, TableId t, TableSchema schema) throws SQLException {
        List<FullLoadState.Chunk> out = new ArrayList<>();
        String pk = schema.keyColumns().size() == 1 ? schema.keyColumns().get(0) : null;
        LogicalType type = pk == null ? null : schema.columns().get(schema.indexOf(pk)).type();
        if (pk != null && (type.kind() == Kind.INT16 || type.kind() == Kind.INT32 || type.kind() == Kind.INT64)) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select min(" + q(pk) + "), max(" + q(pk) + "), count(*) from "
                    + q(t))) {
                rs.next();
                long min = rs.getLong(1);
                long max = rs.getLong(2);
                long count = rs.getLong(3);
                if (count > chunkRows) {
                    long chunks = (count + chunkRows - 1) / chunkRows;
                    long step = Math.max(1, (max - min + chunks) / chunks);
                    int n = 1;
                    for (long from = min; from <= max; from += step, n++) {
                        boolean last = from + step > max;
                        out.add(new FullLoadState.Chunk(t.schema(), t.table(), n, n == 1 ? Long.MIN_VALUE : from, last ? Long.MAX_VALUE : from + step));
                    }
                    return out;
                }
            }
        }
        out.add(new FullLoadState.Chunk(t.schema(), t.table(), 1, -1, -1));
        return out;
    }

    static String q(String ident) {
        return "`" + ident.replace("`", "``") + "`";
    }

    static String q(TableId t) {
        return q(t.schema()) + "." + q(t.table());
    }

    private long read(Connection c, FullLoadState.Chunk ch, TableSchema schema, List<MyColumn> cols, FullLoadState.Doc doc)
            throws SQLException, IOException {
        String select = cols.stream().map(m -> q(m.name())).collect(Collectors.joining(", "));
        String where = "";
        if (!(ch.fromBlock() == -1 && ch.toBlock() == -1)) {
            String pk = q(schema.keyColumns().get(0));
            List<String> conds = new ArrayList<>();
            if (ch.fromBlock() != Long.MIN_VALUE) {
                conds.add(pk + " >= " + ch.fromBlock());
            }
            if (ch.toBlock() != Long.MAX_VALUE) {
                conds.add(pk + " < " + ch.toBlock());
            }
            where = conds.isEmpty() ? "" : " WHERE " + String.join(" AND ", conds);
        }
        long rows = 0;
        try (Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                ChunkOutputs out = new ChunkOutputs(outputs, schema, ch.number())) {
            st.setFetchSize(pipeline.source().type() == SourceConfig.Type.MYSQL ? Integer.MIN_VALUE : 10_000);
            List<Column> columns = schema.columns();
            int n = columns.size();
            try (ResultSet rs = st.executeQuery("SELECT " + select + " FROM " + q(schema.id()) + where)) {
                while (rs.next()) {
                    Object[] row = new Object[n];
                    for (int i = 0; i < n; i++) {
                        row[i] = value(rs, i + 1, columns.get(i).type(), cols.get(i));
                    }
                    rows++;
                    out.write(new ChangeEvent(schema, Op.READ, row, SourcePositions.fullLoad(0, ((long) ch.number() << 40) | rows),
                            doc.snapshotMicros(), "", true));
                }
            }
            out.commit();
            return rows;
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
