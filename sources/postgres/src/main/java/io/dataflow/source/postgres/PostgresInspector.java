package io.dataflow.source.postgres;

import io.dataflow.api.SourceException;
import io.dataflow.api.TableId;
import io.dataflow.config.SourceConfig;
import io.dataflow.config.TableSelection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads what a PostgreSQL source offers for replication: settings, rights, and the selected tables. */
public final class PostgresInspector implements io.dataflow.source.SourceInspector {
    private final SourceConfig config;

    public PostgresInspector(SourceConfig config) {
        this.config = config;
    }

    /**
     * Whether UPDATE and DELETE can be replicated (PostgreSQL refuses them on published tables otherwise);
     * {@code replicaIdentity} is d(efault), n(othing), f(ull) or i(ndex).
     */
    static boolean changesReplicable(char replicaIdentity, List<String> primaryKey) {
        return replicaIdentity == 'f' || replicaIdentity == 'i' || (replicaIdentity == 'd' && !primaryKey.isEmpty());
    }

    @Override
    public Report check(io.dataflow.config.PipelineConfig pipeline) throws SQLException {
        PgReport r = inspect(pipeline.tables());
        List<Finding> f = new ArrayList<>();
        String user = pipeline.source().user();
        if (pipeline.mode().streams()) {
            f.add(new Finding("logical".equals(r.walLevel()), "wal_level = " + r.walLevel(),
                    "set wal_level = logical in postgresql.conf and restart PostgreSQL (on RDS/Aurora: rds.logical_replication = 1)"));
        }
        f.add(new Finding(r.canReplicate(), "replication permission for " + user,
                "ALTER ROLE " + user + " WITH REPLICATION (on RDS: GRANT rds_replication TO " + user + ")"));
        f.add(new Finding(r.publicationExists() || r.canCreatePublication(),
                "publication " + pipeline.source().publication() + (r.publicationExists() ? " exists" : " will be created"),
                "CREATE PUBLICATION " + pipeline.source().publication() + " FOR TABLE ... as a superuser, or grant CREATE on the database"));
        f.add(new Finding(r.slotExists() || r.usedReplicationSlots() < r.maxReplicationSlots(),
                "replication slot " + pipeline.source().slot() + (r.slotExists() ? " exists" : " will be created") + " ("
                        + r.usedReplicationSlots() + " of " + r.maxReplicationSlots() + " slots in use)",
                "raise max_replication_slots or drop unused slots (select * from pg_replication_slots)"));
        if (pipeline.mode().streams()) {
            for (TableId t : r.unlogged()) {
                f.add(new Finding(false, "changes of table " + t + " can be streamed", unloggedFix(t)));
            }
        }
        return new Report("PostgreSQL " + r.serverVersion(), f, r.tables());
    }

    /** The UNLOGGED tables among {@code tables}: PostgreSQL writes no WAL for them, so they have no change stream. */
    static List<TableId> unlogged(Connection c, List<TableId> tables) throws SQLException {
        List<TableId> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where c.relpersistence = 'u' and c.relkind in ('r', 'p')"); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                TableId id = new TableId(rs.getString(1), rs.getString(2));
                if (tables.contains(id)) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    /** The generated columns of {@code tables}, in column order: pgoutput never sends them. */
    static Map<TableId, List<String>> generatedColumns(Connection c, List<TableId> tables) throws SQLException {
        return columnsWhere(c, tables, "a.attgenerated <> ''");
    }

    /**
     * Those of {@code tables} that have inheritance children, with their columns that are replicated (not generated):
     * they are read ONLY, as their children are tables of their own.
     */
    static Map<TableId, List<String>> inheritanceParents(Connection c, List<TableId> tables) throws SQLException {
        return columnsWhere(c, tables, "a.attgenerated = '' and c.relkind = 'r' and exists (select 1 from pg_inherits i where i.inhparent = c.oid)");
    }

    private static Map<TableId, List<String>> columnsWhere(Connection c, List<TableId> tables, String condition) throws SQLException {
        Map<TableId, List<String>> out = new java.util.LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement("select n.nspname, c.relname, a.attname from pg_attribute a"
                + " join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace"
                + " where a.attnum > 0 and not a.attisdropped and " + condition + " order by 1, 2, a.attnum");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                TableId id = new TableId(rs.getString(1), rs.getString(2));
                if (tables.contains(id)) {
                    out.computeIfAbsent(id, k -> new ArrayList<>()).add(rs.getString(3));
                }
            }
        }
        return out;
    }

    static String unloggedFix(TableId t) {
        return "its changes cannot be streamed: it is UNLOGGED (PostgreSQL writes no WAL for it, so there is no change stream, and a"
                + " publication cannot include it); ALTER TABLE " + t.quoted() + " SET LOGGED, or exclude it from this pipeline"
                + " (tables.exclude: [" + t + "]) and copy it with a mode: full-load pipeline";
    }

    /** A slot keeps WAL until read, up to max_slot_wal_keep_size (-1: without limit, until the disk is full). */
    @Override
    public java.util.Optional<LogRetention> logRetention(Connection c, io.dataflow.config.PipelineConfig pipeline) throws SQLException {
        long keepMb = Long.parseLong(one(c, "select setting from pg_settings where name = 'max_slot_wal_keep_size'"));
        return java.util.Optional.of(new LogRetention(keepMb < 0 ? -1 : keepMb << 20, null, "max_slot_wal_keep_size = "
                + (keepMb < 0 ? "-1 (WAL is kept until the slot reads it: watch the disk of pg_wal)" : keepMb + "MB")));
    }

    @Override
    public java.util.OptionalLong backlogBytes(Connection c, io.dataflow.config.PipelineConfig pipeline, Map<String, Object> sourceOffset)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint "
                + "from pg_replication_slots where slot_name = ?")) {
            st.setString(1, pipeline.source().slot());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getObject(1) != null ? java.util.OptionalLong.of(rs.getLong(1)) : java.util.OptionalLong.empty();
            }
        }
    }

    /** The WAL's current position as bytes from 0/0. */
    @Override
    public java.util.OptionalLong logBytesWritten(Connection c) throws SQLException {
        return java.util.OptionalLong.of(Long.parseLong(one(c, "select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint::text")));
    }

    @Override
    public long sizeBytes(Connection c, TableId table) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select pg_table_size(?::regclass)")) {
            st.setString(1, table.quoted());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    @Override
    public java.util.OptionalLong largestValue(Connection c, TableId table, io.dataflow.api.catalog.SourceColumn column,
            java.time.Duration timeout) throws SQLException {
        String col = "\"" + column.name().replace("\"", "\"\"") + "\"";
        // octet_length of text and bytea is the value's size; other types (json, xml, ...) are measured as text
        String size = java.util.Set.of("text", "bytea", "character varying", "character").contains(column.dataType())
                ? "octet_length(" + col + ")" : "octet_length(" + col + "::text)";
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("set local statement_timeout = " + Math.max(1, timeout.toMillis()));
            try (ResultSet rs = st.executeQuery("select max(" + size + ") from " + table.quoted())) {
                rs.next();
                return java.util.OptionalLong.of(rs.getLong(1));
            }
        } catch (SQLException e) {
            if ("57014".equals(e.getSQLState())) {
                return java.util.OptionalLong.empty(); // statement timeout
            }
            throw e;
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
    }

    /** What {@link #inspect(TableSelection)} found. */
    public record PgReport(String serverVersion, String walLevel, boolean canReplicate, boolean canCreatePublication,
            int maxReplicationSlots, int usedReplicationSlots, boolean slotExists, boolean publicationExists,
            List<TableInfo> tables, List<TableId> unlogged) {}

    @Override
    public Connection connect() throws SQLException {
        return open(config, Map.of("connectTimeout", "10", "ApplicationName", "dataflow"));
    }

    /** Turns a connection error into a message that says what to do; permanent unless the server is unreachable. */
    @Override
    public SourceException explain(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = config.where();
        if (state.startsWith("28")) {
            return new SourceException("PostgreSQL refused the login " + where + ": " + e.getMessage()
                    + "; check source.user and source.password", true, e);
        }
        if (state.equals("42501")) {
            return new SourceException("PostgreSQL refused " + config.user() + " a needed right on " + config.database() + ": " + e.getMessage()
                    + "; run 'dataflow check --config ...' for the grants to give", true, e);
        }
        if (state.equals("3D000")) {
            return new SourceException("database '" + config.database() + "' does not exist on " + config.host() + ":"
                    + config.port() + "; check source.database", true, e);
        }
        java.util.Optional<String> tls = io.dataflow.source.TlsFailures.explain(e.getMessage(), config);
        if (tls.isPresent()) {
            return new SourceException(tls.get(), true, e);
        }
        if (state.startsWith("08")) {
            return new SourceException("cannot connect to PostgreSQL at " + config.host() + ":" + config.port() + " ("
                    + e.getMessage() + "); is the server running and reachable?", false, e);
        }
        return new SourceException("PostgreSQL error on " + where + ": " + e.getMessage(), false, e);
    }

    public PgReport inspect(TableSelection selection) throws SQLException {
        try (Connection c = connect()) {
            String version = one(c, "show server_version");
            String wal = one(c, "show wal_level");
            boolean replicate = Boolean.parseBoolean(one(c,
                    "select (rolreplication or rolsuper)::text from pg_roles where rolname = current_user"));
            boolean publish = Boolean.parseBoolean(one(c,
                    "select (rolsuper or has_database_privilege(current_user, current_database(), 'CREATE'))::text "
                            + "from pg_roles where rolname = current_user"));
            int maxSlots = Integer.parseInt(one(c, "show max_replication_slots"));
            int usedSlots = Integer.parseInt(one(c, "select count(*)::text from pg_replication_slots"));
            boolean slot = exists(c, "select 1 from pg_replication_slots where slot_name = ?", config.slot());
            boolean pub = PostgresPublication.exists(c, config.publication());
            List<TableInfo> tables = tables(c, selection);
            return new PgReport(version, wal, replicate, publish, maxSlots, usedSlots, slot, pub, tables,
                    unlogged(c, tables.stream().map(TableInfo::id).toList()));
        }
    }

    /** The base tables (and partitioned tables) the selection names, sorted. */
    @Override
    public List<TableInfo> tables(Connection c, TableSelection selection) throws SQLException {
        String sql = """
                select n.nspname, c.relname, c.relreplident, greatest(c.reltuples, 0)::bigint,
                       coalesce((select array_agg(a.attname order by array_position(i.indkey, a.attnum))
                                 from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                                 where i.indrelid = c.oid and i.indisprimary), '{}')
                from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where c.relkind in ('r', 'p') and not c.relispartition
                  and n.nspname not in ('pg_catalog', 'information_schema', '_dataflow') and n.nspname not like 'pg\\_toast%'
                  and n.nspname not like 'pg\\_temp%'
                order by 1, 2""";
        List<TableInfo> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                TableId id = new TableId(rs.getString(1), rs.getString(2));
                if (!selection.matches(id)) {
                    continue;
                }
                List<String> pk = List.of((String[]) rs.getArray(5).getArray());
                boolean ok = changesReplicable(rs.getString(3).charAt(0), pk);
                out.add(new TableInfo(id, pk, ok, rs.getLong(4), ok ? "" : "PostgreSQL refuses UPDATE and DELETE on a published table "
                        + "without primary key: run sets ALTER TABLE " + id.quoted() + " REPLICA IDENTITY FULL (needs table ownership; "
                        + "each change then logs the whole old row), or add a primary key"));
            }
        }
        return out;
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean exists(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, arg);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }
}
