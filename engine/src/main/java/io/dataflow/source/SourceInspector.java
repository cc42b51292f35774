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

    /**
     * How long the source keeps its change log for a reader that stopped or falls behind: at most {@code maxBytes} of it
     * (-1: no byte limit) and for at most {@code maxAge} (null: no time limit); {@code setting} names what decides it.
     */
    record LogRetention(long maxBytes, java.time.Duration maxAge, String setting) {
        public boolean unlimited() {
            return maxBytes < 0 && maxAge == null;
        }
    }

    Connection connect() throws SQLException;

    /** How long the source keeps its change log for the pipeline; empty when the source cannot tell. */
    default java.util.Optional<LogRetention> logRetention(Connection c, PipelineConfig pipeline) throws SQLException {
        return java.util.Optional.empty();
    }

    /**
     * Bytes of change log the source wrote after the position the pipeline last confirmed (a replication slot's
     * confirmed position, or the checkpoint's {@code sourceOffset}); empty when unknown (no slot yet, no checkpoint).
     */
    default java.util.OptionalLong backlogBytes(Connection c, PipelineConfig pipeline, Map<String, Object> sourceOffset)
            throws SQLException {
        return java.util.OptionalLong.empty();
    }

    /** Bytes of change log the source writes per second, measured over {@code sample}; empty when unknown. */
    default java.util.OptionalDouble logBytesPerSecond(Connection c, java.time.Duration sample) throws SQLException, InterruptedException {
        return java.util.OptionalDouble.empty();
    }

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
