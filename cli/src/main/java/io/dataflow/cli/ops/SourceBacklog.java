package io.dataflow.cli.ops;

import io.dataflow.config.PipelineConfig;
import io.dataflow.source.SourceInspector;
import io.dataflow.source.Sources;
import java.sql.Connection;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Measures, every {@code period}, how much change log the source holds beyond the pipeline's confirmed position
 * (PostgreSQL: the replication slot's bytes behind; MariaDB/MySQL: binlog bytes after the checkpoint), on its own
 * connection; a failure leaves the value unknown until the next measurement succeeds.
 */
public final class SourceBacklog implements AutoCloseable {
    private final SourceInspector inspector;
    private final PipelineConfig pipeline;
    private final Supplier<Map<String, Object>> offset;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dataflow-backlog");
        t.setDaemon(true);
        return t;
    });
    private volatile OptionalLong bytes = OptionalLong.empty();
    private Connection connection;
    private boolean warned;

    /** @param offset the checkpoint's source offset (read when measuring; binlog sources need it) */
    public SourceBacklog(PipelineConfig pipeline, Supplier<Map<String, Object>> offset, long periodSeconds) {
        this.inspector = Sources.inspector(pipeline.source());
        this.pipeline = pipeline;
        this.offset = offset;
        timer.scheduleWithFixedDelay(this::measure, 0, periodSeconds, TimeUnit.SECONDS);
    }

    public OptionalLong bytes() {
        return bytes;
    }

    private void measure() {
        try {
            if (connection == null || !connection.isValid(2)) {
                closeConnection();
                connection = inspector.connect();
            }
            bytes = inspector.backlogBytes(connection, pipeline, offset.get());
            warned = false;
        } catch (Exception e) {
            bytes = OptionalLong.empty();
            closeConnection();
            if (!warned) {
                LoggerFactory.getLogger(SourceBacklog.class).warn("cannot measure the source's backlog: {}", e.getMessage());
                warned = true;
            }
        }
    }

    private void closeConnection() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (Exception ignored) {
            // a broken connection
        }
        connection = null;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }
}
