package io.dataflow.source;

import io.dataflow.api.SourceException;
import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.TableSelection;
import io.dataflow.config.JdbcProperties;
import io.dataflow.config.SourceConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** What a source database offers for replication: its tables, and the settings and rights CDC needs. */
public interface SourceInspector {

    /** One selected table. */
    record TableInfo(TableId id, List<String> primaryKey, boolean changesReplicable, long estimatedRows, String fix) {}

    /** One prerequisite: met or not, and how to meet it. */
    record Finding(boolean ok, String what, String fix) {}

    /** What {@link #check(PipelineConfig)} found. */
    record Report(String server, List<Finding> findings, List<TableInfo> tables) {}

    Connection connect() throws SQLException;

    /** The base tables the selection names, sorted. */
    List<TableInfo> tables(Connection c, TableSelection selection) throws SQLException;

    /** Checks every prerequisite of the pipeline's mode. */
    Report check(PipelineConfig pipeline) throws SQLException;

    /** Turns a connection error into a message that says what to do. */
    SourceException explain(SQLException e);

    /**
     * Opens a connection to the source with its credentials and the driver properties given; a failure is
     * {@linkplain #explain explained}.
     */
    default Connection open(SourceConfig source, Map<String, String> driverProperties) throws SQLException {
        Properties p = JdbcProperties.credentials(source.user(), source.password());
        driverProperties.forEach(p::setProperty);
        try {
            return DriverManager.getConnection(source.jdbcUrl(), p);
        } catch (SQLException e) {
            throw explain(e);
        }
    }
}
