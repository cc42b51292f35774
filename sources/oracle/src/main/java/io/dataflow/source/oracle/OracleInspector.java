package io.dataflow.source.oracle;

import io.dataflow.api.SourceException;
import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.config.TableSelection;
import io.dataflow.source.SourceInspector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What an Oracle source offers for LogMiner replication: ARCHIVELOG mode, supplemental logging (minimal for the
 * database, all columns per table) and the LogMiner grants, each with the statement that fixes it. The Oracle JDBC
 * driver (ojdbc11) comes with Debezium's connector; a build without it says how to add one.
 */
public final class OracleInspector implements SourceInspector {
    /** What a user does when the Oracle JDBC driver is missing. */
    public static final String DRIVER_MISSING = "the Oracle JDBC driver is not on the class path: put ojdbc11.jar "
            + "(Maven Central: com.oracle.database.jdbc:ojdbc11) into lib/ next to dataflow.jar, or set DATAFLOW_CLASSPATH to its "
            + "path; bin/dataflow adds both to the class path";
    /** The system privileges LogMiner replication needs (granted directly or through a role). */
    static final List<String> PRIVILEGES = List.of("CREATE SESSION", "SET CONTAINER", "SELECT ANY TRANSACTION", "LOGMINING",
            "FLASHBACK ANY TABLE", "SELECT ANY TABLE", "SELECT_CATALOG_ROLE", "EXECUTE_CATALOG_ROLE", "SELECT ANY DICTIONARY",
            "CREATE TABLE", "LOCK ANY TABLE");
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("SYS", "SYSTEM", "OUTLN", "DBSNMP", "APPQOSSYS", "AUDSYS", "CTXSYS",
            "DVSYS", "GSMADMIN_INTERNAL", "LBACSYS", "MDSYS", "OJVMSYS", "OLAPSYS", "ORDDATA", "ORDSYS", "WMSYS", "XDB", "GSMCATUSER",
            "DBSFWUSER", "REMOTE_SCHEDULER_AGENT", "SYSBACKUP", "SYSDG", "SYSKM", "SYSRAC", "GGSYS", "ANONYMOUS", "DVF", "ORDPLUGINS",
            "SI_INFORMTN_SCHEMA", "MDDATA", "XS$NULL", "LOGSTDBY_ADMINISTRATOR");
    private final SourceConfig config;

    public OracleInspector(SourceConfig config) {
        this.config = config;
    }

    /** Fails with {@link #DRIVER_MISSING} when the driver is not on the class path. */
    static void requireDriver() {
        try {
            Class.forName("oracle.jdbc.OracleDriver");
        } catch (ClassNotFoundException e) {
            throw new SourceException(DRIVER_MISSING, true, e);
        }
    }

    @Override
    public Connection connect() throws SQLException {
        requireDriver();
        return open(config, Map.of("oracle.net.CONNECT_TIMEOUT", "10000"));
    }

    @Override
    public SourceException explain(SQLException e) {
        int code = e.getErrorCode();
        String where = config.where();
        if (code == 1017 || code == 28000) {
            return new SourceException("Oracle refused the login " + where + ": " + e.getMessage() + "; check source.user and source.password",
                    true, e);
        }
        if (code == 12514 || code == 12505) {
            return new SourceException("Oracle at " + config.host() + ":" + config.port() + " does not know the service '"
                    + config.option("pdb", config.database()) + "' (" + e.getMessage() + "); check source.database and source.pdb", true, e);
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (code == 17002 || code == 12541 || state.startsWith("08") || String.valueOf(e.getMessage()).contains("IO Error")) {
            return new SourceException("cannot connect to Oracle at " + config.host() + ":" + config.port() + " (" + e.getMessage()
                    + "); is the listener running and reachable?", false, e);
        }
        return new SourceException("Oracle error on " + where + ": " + e.getMessage(), false, e);
    }

    @Override
    public List<TableInfo> tables(Connection c, TableSelection selection) throws SQLException {
        String sql = """
                select t.owner, t.table_name, nvl(t.num_rows, 0),
                       (select listagg(cc.column_name, ',') within group (order by cc.position)
                          from all_constraints k join all_cons_columns cc on cc.owner = k.owner and cc.constraint_name = k.constraint_name
                         where k.owner = t.owner and k.table_name = t.table_name and k.constraint_type = 'P'),
                       (select count(*) from all_log_groups g where g.owner = t.owner and g.table_name = t.table_name
                           and g.log_group_type = 'ALL COLUMN LOGGING')
                  from all_tables t
                 where t.temporary = 'N' and t.nested = 'NO' and t.secondary = 'N' and t.iot_type is null
                 order by 1, 2""";
        List<TableInfo> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                TableId id = new TableId(rs.getString(1), rs.getString(2));
                if (SYSTEM_SCHEMAS.contains(id.schema()) || !selection.matches(id)) {
                    continue;
                }
                String pk = rs.getString(4);
                boolean allColumns = rs.getLong(5) > 0;
                out.add(new TableInfo(id, pk == null ? List.of() : List.of(pk.split(",")), allColumns, rs.getLong(3), allColumns ? ""
                        : "ALTER TABLE " + quote(id) + " ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS (LogMiner then logs every column of a "
                                + "changed row)"));
            }
        }
        return out;
    }

    @Override
    public String quote(TableId id) {
        return "\"" + id.schema().replace("\"", "\"\"") + "\".\"" + id.table().replace("\"", "\"\"") + "\"";
    }

    @Override
    public Report check(PipelineConfig pipeline) throws SQLException {
        try (Connection c = connect()) {
            String version = one(c, "select banner from v$version where rownum = 1");
            List<Finding> f = new ArrayList<>();
            if (pipeline.mode().streams()) {
                String logMode = one(c, "select log_mode from v$database");
                f.add(new Finding("ARCHIVELOG".equals(logMode), "log_mode = " + logMode,
                        "as SYSDBA: SHUTDOWN IMMEDIATE; STARTUP MOUNT; ALTER DATABASE ARCHIVELOG; ALTER DATABASE OPEN; "
                                + "(on RDS: set the backup retention period above 0)"));
                String minimal = one(c, "select supplemental_log_data_min from v$database");
                f.add(new Finding("YES".equals(minimal) || "IMPLICIT".equals(minimal), "minimal supplemental logging = " + minimal,
                        "ALTER DATABASE ADD SUPPLEMENTAL LOG DATA (on RDS: exec rdsadmin.rdsadmin_util.alter_supplemental_logging('ADD'))"));
                Set<String> granted = granted(c);
                for (String privilege : PRIVILEGES) {
                    boolean ok = granted.contains(privilege) || granted.contains("DBA");
                    f.add(new Finding(ok, "grant " + privilege + " to " + pipeline.source().user(),
                            "GRANT " + privilege + " TO " + pipeline.source().user() + (config.option("pdb", "").isEmpty() ? "" : " CONTAINER=ALL")));
                }
                boolean logmnr = executable(c, "DBMS_LOGMNR") && executable(c, "DBMS_LOGMNR_D");
                f.add(new Finding(logmnr, "EXECUTE on DBMS_LOGMNR and DBMS_LOGMNR_D for " + pipeline.source().user(),
                        "GRANT EXECUTE ON DBMS_LOGMNR TO " + pipeline.source().user() + "; GRANT EXECUTE ON DBMS_LOGMNR_D TO "
                                + pipeline.source().user()));
            }
            List<TableInfo> tables = tables(c, pipeline.tables());
            for (TableInfo t : tables) {
                if (pipeline.mode().streams() && !t.changesReplicable()) {
                    f.add(new Finding(false, "table " + t.id() + " has no (ALL) COLUMNS supplemental logging", t.fix()));
                }
            }
            return new Report(version, f, tables);
        } catch (SQLException e) {
            throw explain(e);
        }
    }

    /** The user's privileges and roles, directly or through roles (session_privs / session_roles). */
    private static Set<String> granted(Connection c) throws SQLException {
        Set<String> out = new HashSet<>();
        for (String sql : List.of("select privilege from session_privs", "select role from session_roles")) {
            try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1).toUpperCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    private static boolean executable(Connection c, String pkg) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "select count(*) from all_objects where object_name = ? and object_type = 'PACKAGE' and owner = 'SYS'")) {
            st.setString(1, pkg);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getString(1) : "";
        }
    }
}
