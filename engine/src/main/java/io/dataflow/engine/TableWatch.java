package io.dataflow.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflow.api.ObjectStore;
import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.runtime.Pipeline;
import io.dataflow.source.SourceFamily;
import io.dataflow.source.SourceInspector;
import io.dataflow.state.CheckpointStore;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tables a pipeline captures, as its rules select them now. The set is recorded in the state store
 * ({@code _state/<name>/tables.json}): a table the rules select that the record lacks (added to {@code tables.include},
 * or created in the source while the pipeline ran) is read by the running stream after the full load ({@link
 * SourceFamily#requestBackfill}). For sources that capture new tables only when their stream starts again
 * ({@link SourceFamily#restartsForNewTables}), it watches the catalog and restarts the pipeline's change source.
 */
final class TableWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TableWatch.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SourceFamily family;
    private final SourceInspector inspector;
    private final PipelineConfig config;
    private final ObjectStore state;
    private volatile List<TableId> tables;
    private volatile boolean stale;
    private ScheduledExecutorService timer;

    TableWatch(SourceFamily family, SourceInspector inspector, PipelineConfig config, ObjectStore state, List<TableId> tables) {
        this.family = family;
        this.inspector = inspector;
        this.config = config;
        this.state = state;
        this.tables = List.copyOf(tables);
    }

    List<TableId> tables() {
        return tables;
    }

    private String key() {
        return CheckpointStore.stateDir(config.name()) + "tables.json";
    }

    /**
     * Compares the tables with the recorded set and records them. After a finished full load, the tables the record
     * lacks are asked to be read by the stream; returns them.
     */
    List<TableId> reconcile(boolean fullLoadDone) throws IOException {
        Optional<byte[]> recorded = state.get(key());
        List<TableId> added = new ArrayList<>();
        if (recorded.isPresent() && fullLoadDone) {
            List<TableId> before = Arrays.stream(JSON.readValue(recorded.get(), String[].class)).map(TableId::parse).toList();
            tables.stream().filter(t -> !before.contains(t)).forEach(added::add);
        }
        if (!added.isEmpty()) {
            try {
                if (family.requestBackfill(config, added)) {
                    LOG.info("table(s) {} joined the pipeline after its full load: the stream reads their rows", added);
                } else {
                    LOG.warn("table(s) {} joined the pipeline after its full load, but this source takes no reload requests: only their "
                            + "changes from now on are captured", added);
                }
            } catch (SQLException e) {
                throw new IOException("asking the source to read the new table(s) " + added + ": " + e.getMessage(), e);
            }
        }
        state.put(key(), JSON.writeValueAsBytes(tables.stream().map(TableId::toString).toList()));
        return added;
    }

    /** The tables as the rules select them now, prepared for changes; the stale flag is cleared. */
    List<TableId> refresh() throws SQLException, IOException {
        List<TableId> now = family.resolveTables(inspector, config).stream().map(SourceInspector.TableInfo::id).toList();
        tables = List.copyOf(now);
        stale = false;
        return now;
    }

    /** True when the catalog showed new tables since the last refresh. */
    boolean stale() {
        return stale;
    }

    /**
     * Checks the catalog every {@code every}: a table that left the source (dropped, or renamed, when the new name joins
     * as a new table) is reported once: its copy in the targets is kept, as a DROP TABLE is never applied. With
     * {@code restartForNew}, new tables that match the rules restart the pipeline's change source.
     */
    void watch(Pipeline pipeline, Duration every, boolean restartForNew) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dataflow-table-watch");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                List<TableId> now = selected();
                List<TableId> current = tables;
                for (TableId t : current) {
                    if (!now.contains(t) && gone.add(t)) {
                        String message = "table " + t + " is gone from the source (dropped, or renamed: a new name joins as a new table); "
                                + "its copy in the targets is kept, a DROP TABLE is never applied";
                        LOG.warn(message);
                        pipeline.stats().event(System.currentTimeMillis(), "WARN", message);
                    }
                }
                gone.removeIf(now::contains); // created again
                List<TableId> added = now.stream().filter(t -> !current.contains(t)).toList();
                if (restartForNew && !added.isEmpty() && !stale) {
                    stale = true;
                    pipeline.restartSource("new table(s) " + added + " match the rules");
                }
            } catch (Exception e) {
                LOG.debug("checking the source's tables: {}", e.toString());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Tables reported as gone from the source. */
    private final java.util.Set<TableId> gone = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The tables the rules select now (reads the catalog only). */
    private List<TableId> selected() throws SQLException {
        try (Connection c = inspector.connect()) {
            return inspector.tables(c, config.tables()).stream().map(SourceInspector.TableInfo::id).toList();
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
