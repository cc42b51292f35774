package io.dataflow.source.postgres;

import io.dataflow.api.SourceException;
import io.dataflow.api.TableId;
import io.dataflow.config.SourceConfig;
import io.dataflow.config.TableSelection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Reads what a PostgreSQL source offers for replication: settings, rights, and the selected tables. */
public final class PostgresInspector {
    private final SourceConfig config;

    public PostgresInspector(SourceConfig config) {
        this.config = config;
    }

    /** One selected table. {@code replicaIdentity} is d(efault), n(othing), f(ull) or i(ndex). */
    public record TableInfo(TableId id, List<String> primaryKey, char replicaIdentity, long estimatedRows) {
        /** Whether UPDATE and DELETE can be replicated (PostgreSQL refuses them on published tables otherwise). */
        public boolean changesReplicable() {
            return replicaIdentity == 'f' || replicaIdentity == 'i' || (replicaIdentity == 'd' && !primaryKey.isEmpty());
        }
    }

    /** What {@link #inspect(TableSelection)} found. */
    public record Report(String serverVersion, String walLevel, boolean canReplicate, boolean canCreatePublication,
            int maxReplicationSlots, int usedReplicationSlots, boolean slotExists, boolean publicationExists,
            List<TableInfo> tables) {}

    public Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", config.user());
        if (!config.password().isEmpty()) {
            p.setProperty("password", config.password());
        }
        p.setProperty("connectTimeout", "10");
        p.setProperty("ApplicationName", "dataflow");
        try {
            return DriverManager.getConnection(config.jdbcUrl(), p);
        } catch (SQLException e) {
            throw explain(e);
        }
    }

    /** Turns a connection error into a message that says what to do; permanent unless the server is unreachable. */
    public SourceException explain(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = config.user() + "@" + config.host() + ":" + config.port() + "/" + config.database();
        if (state.startsWith("28")) {
            return new SourceException("PostgreSQL refused the login " + where + ": " + e.getMessage()
                    + "; check source.user and source.password", true, e);
        }
        if (state.equals("3D000")) {
            return new SourceException("database '" + config.database() + "' does not exist on " + config.host() + ":"
                    + config.port() + "; check source.database", true, e);
        }
        if (state.startsWith("08")) {
            return new SourceException("cannot connect to PostgreSQL at " + config.host() + ":" + config.port() + " ("
                    + e.getMessage() + "); is the server running and reachable?", false, e);
        }
        return new SourceException("PostgreSQL error on " + where + ": " + e.getMessage(), false, e);
    }

    public Report inspect(TableSelection selection) throws SQLException {
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
            boolean pub = exists(c, "select 1 from pg_publication where pubname = ?", config.publication());
            return new Report(version, wal, replicate, publish, maxSlots, usedSlots, slot, pub, tables(c, selection));
        }
    }

    /** The base tables (and partitioned tables) the selection names, sorted. */
    public List<TableInfo> tables(Connection c, TableSelection selection) throws SQLException {
        String sql = """
                select n.nspname, c.relname, c.relreplident, greatest(c.reltuples, 0)::bigint,
                       coalesce((select array_agg(a.attname order by array_position(i.indkey, a.attnum))
                                 from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                                 where i.indrelid = c.oid and i.indisprimary), '{}')
                from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where c.relkind in ('r', 'p') and not c.relispartition
                  and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%'
                  and n.nspname not like 'pg\\_temp%'
                order by 1, 2""";
        List<TableInfo> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                TableId id = new TableId(rs.getString(1), rs.getString(2));
                if (!selection.matches(id)) {
                    continue;
                }
                String[] pk = (String[]) rs.getArray(5).getArray();
                out.add(new TableInfo(id, List.of(pk), rs.getString(3).charAt(0), rs.getLong(4)));
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
