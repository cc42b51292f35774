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

    /** What a short read of a table measured: rows read, in how long. */
    record ReadSample(long rows, java.time.Duration elapsed) {
        public double rowsPerSecond() {
            return rows / Math.max(1e-3, elapsed.toNanos() / 1e9);
        }
    }

    /** The table's name as this source's SQL spells it. */
    default String quote(TableId table) {
        return table.quoted();
    }

    /** Bytes of the table's rows on disk (data and out-of-line values, not indexes); -1 when unknown. */
    default long sizeBytes(Connection c, TableId table) throws SQLException {
        return -1;
    }

    /**
     * The largest value of {@code column} in bytes, by scanning the table for at most {@code timeout}; empty when the
     * scan took longer (or the source cannot tell).
     */
    default java.util.OptionalLong largestValue(Connection c, TableId table, io.dataflow.api.catalog.SourceColumn column,
            java.time.Duration timeout) throws SQLException {
        return java.util.OptionalLong.empty();
    }

    /** Reads the table's rows, as a full load would, for at most {@code limit} (and at most a million rows). */
    default ReadSample sampleRead(Connection c, TableId table, java.time.Duration limit) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        long rows = 0;
        try (java.sql.Statement st = c.createStatement()) {
            st.setFetchSize(10_000);
            try (java.sql.ResultSet rs = st.executeQuery("select * from " + quote(table) + " limit 1000000")) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        rs.getObject(i);
                    }
                    if (++rows % 1000 == 0 && System.nanoTime() > deadline) {
                        break;
                    }
                }
                java.time.Duration elapsed = java.time.Duration.ofNanos(System.nanoTime() - started);
                try {
                    st.cancel(); // do not read the rest of a streamed result when closing
                } catch (SQLException ignored) {
                    // the query had ended
                }
                return new ReadSample(rows, elapsed);
            }
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
    }

    /** How many bytes of change log the source has written, from some fixed origin; empty when it cannot tell. */
    default java.util.OptionalLong logBytesWritten(Connection c) throws SQLException {
        return java.util.OptionalLong.empty();
    }

    /** Bytes of change log the source writes per second, measured over {@code sample}; empty when unknown. */
    default java.util.OptionalDouble logBytesPerSecond(Connection c, java.time.Duration sample) throws SQLException, InterruptedException {
        java.util.OptionalLong first = logBytesWritten(c);
        if (first.isEmpty()) {
            return java.util.OptionalDouble.empty();
        }
        long started = System.nanoTime();
        Thread.sleep(sample.toMillis());
        java.util.OptionalLong second = logBytesWritten(c);
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        return second.isEmpty() ? java.util.OptionalDouble.empty()
                : java.util.OptionalDouble.of(Math.max(0, second.getAsLong() - first.getAsLong()) / seconds);
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
