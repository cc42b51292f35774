package io.dataflow.source.sqlserver;

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
import java.util.List;
import java.util.Map;

/**
 * What a SQL Server source offers for CDC: SQL Server Agent running (it fills the change tables), CDC enabled for the
 * database and for each table with a capture instance that still has every column (a schema change needs a new one),
 * and the user's rights; each with the statement that fixes it.
 */
public final class SqlServerInspector implements SourceInspector {
    private final SourceConfig config;

    public SqlServerInspector(SourceConfig config) {
        this.config = config;
    }

    @Override
    public Connection connect() throws SQLException {
        return open(config, Map.of());
    }

    @Override
    public SourceException explain(SQLException e) {
        int code = e.getErrorCode();
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (code == 18456 || state.startsWith("28")) {
            return new SourceException("SQL Server refused the login " + config.where() + ": " + e.getMessage()
                    + "; check source.user and source.password", true, e);
        }
        if (code == 4060) {
            return new SourceException("database '" + config.database() + "' cannot be opened on " + config.host() + ":" + config.port()
                    + " (" + e.getMessage() + "); check source.database and the user's access to it", true, e);
        }
        if (state.startsWith("08")) {
            return new SourceException("cannot connect to SQL Server at " + config.host() + ":" + config.port() + " (" + e.getMessage()
                    + "); is the server running and its TCP port open?", false, e);
        }
        return new SourceException("SQL Server error on " + config.where() + ": " + e.getMessage(), false, e);
    }

    @Override
    public String quote(TableId id) {
        return "[" + id.schema().replace("]", "]]") + "].[" + id.table().replace("]", "]]") + "]";
    }

    @Override
    public List<TableInfo> tables(Connection c, TableSelection selection) throws SQLException {
        String sql = """
                select s.name, t.name, t.is_tracked_by_cdc,
                       (select sum(p.rows) from sys.partitions p where p.object_id = t.object_id and p.index_id in (0, 1)),
                       (select string_agg(col.name, ',') within group (order by ic.key_ordinal)
                          from sys.indexes i join sys.index_columns ic on ic.object_id = i.object_id and ic.index_id = i.index_id
                          join sys.columns col on col.object_id = ic.object_id and col.column_id = ic.column_id
                         where i.object_id = t.object_id and i.is_primary_key = 1)
                  from sys.tables t join sys.schemas s on s.schema_id = t.schema_id
                 where t.is_ms_shipped = 0 and s.name <> 'cdc'
                 order by 1, 2""";
        List<TableInfo> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                TableId id = new TableId(rs.getString(1), rs.getString(2));
                if (!selection.matches(id)) {
                    continue;
                }
                boolean tracked = rs.getBoolean(3);
                String pk = rs.getString(5);
                out.add(new TableInfo(id, pk == null ? List.of() : List.of(pk.split(",")), tracked, rs.getLong(4), tracked ? ""
                        : enableTable(id)));
            }
        }
        return out;
    }

    static String enableTable(TableId id) {
        return "EXEC sys.sp_cdc_enable_table @source_schema = N'" + id.schema().replace("'", "''") + "', @source_name = N'"
                + id.table().replace("'", "''") + "', @role_name = NULL, @supports_net_changes = 0";
    }

    @Override
    public Report check(PipelineConfig pipeline) throws SQLException {
        try (Connection c = connect()) {
            String version = one(c, "select @@version").lines().findFirst().orElse("SQL Server");
            List<Finding> f = new ArrayList<>();
            List<TableInfo> tables = tables(c, pipeline.tables());
            if (pipeline.mode().streams()) {
                String agent = one(c, "select top 1 status_desc from sys.dm_server_services where servicename like 'SQL Server Agent%'");
                f.add(new Finding("Running".equalsIgnoreCase(agent), "SQL Server Agent: " + (agent.isEmpty() ? "unknown (needs VIEW SERVER STATE)" : agent),
                        "start SQL Server Agent (it runs the CDC capture job); on Linux: mssql-conf set sqlagent.enabled true, then restart"));
                boolean cdc = "1".equals(one(c, "select cast(is_cdc_enabled as int) from sys.databases where name = db_name()"));
                f.add(new Finding(cdc, "CDC enabled for database " + pipeline.source().database(),
                        "USE [" + pipeline.source().database() + "]; EXEC sys.sp_cdc_enable_db (needs sysadmin; on RDS: "
                                + "EXEC msdb.dbo.rds_cdc_enable_db '" + pipeline.source().database() + "')"));
                boolean rights = "1".equals(one(c, "select cast(isnull(is_rolemember('db_owner'), 0) as int)"))
                        || "1".equals(one(c, "select cast(isnull(has_perms_by_name('cdc', 'SCHEMA', 'SELECT'), 0) as int)"));
                f.add(new Finding(rights, "SELECT on the cdc schema for " + pipeline.source().user(),
                        "GRANT SELECT ON SCHEMA::cdc TO [" + pipeline.source().user() + "] (or make the user db_owner)"));
                for (TableInfo t : tables) {
                    if (!t.changesReplicable()) {
                        f.add(new Finding(false, "table " + t.id() + " is not tracked by CDC", t.fix()));
                    } else if (cdc) {
                        f.addAll(captureInstanceCurrent(c, t.id()));
                    }
                }
            }
            return new Report(version, f, tables);
        } catch (SQLException e) {
            throw explain(e);
        }
    }

    /** A capture instance lists the columns the table had when it was created: after ALTER TABLE, a new one is needed. */
    private static List<Finding> captureInstanceCurrent(Connection c, TableId id) throws SQLException {
        String sql = """
                select ct.capture_instance,
                       (select count(*) from cdc.captured_columns cc where cc.object_id = ct.object_id),
                       (select count(*) from sys.columns col where col.object_id = ct.source_object_id and col.is_computed = 0)
                  from cdc.change_tables ct
                 where ct.source_object_id = object_id(?)
                 order by ct.create_date desc""";
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, "[" + id.schema().replace("]", "]]") + "].[" + id.table().replace("]", "]]") + "]");
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next() && rs.getLong(2) != rs.getLong(3)) {
                    return List.of(new Finding(false, "table " + id + ": capture instance " + rs.getString(1) + " has " + rs.getLong(2)
                            + " of its " + rs.getLong(3) + " columns (the table changed after CDC was enabled)",
                            enableTable(id) + ", @capture_instance = N'" + id.schema() + "_" + id.table() + "_v2' (DataFlow's connector "
                                    + "switches to it; then drop the old one with sys.sp_cdc_disable_table)"));
                }
            }
        }
        return List.of();
    }

    private static String one(Connection c, String sql) {
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            return rs.next() && rs.getString(1) != null ? rs.getString(1) : "";
        } catch (SQLException e) {
            return "";
        }
    }
}
