package io.dataflow.cli;

import io.dataflow.api.Checkpoint;
import io.dataflow.api.Sink;
import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.config.TargetConfig;
import io.dataflow.convert.Catalog;
import io.dataflow.convert.SchemaConverter;
import io.dataflow.jdbc.JdbcSink;
import io.dataflow.jdbc.TargetConnections;
import io.dataflow.jdbc.ValueIssues;
import io.dataflow.lake.LakeSink;
import io.dataflow.runtime.Backoff;
import io.dataflow.runtime.FlushPolicy;
import io.dataflow.runtime.Pipeline;
import io.dataflow.runtime.PipelineStats;
import io.dataflow.source.SourceInspector;
import io.dataflow.source.Sources;
import io.dataflow.source.binlog.BinlogChunkLoader;
import io.dataflow.source.binlog.BinlogDialect;
import io.dataflow.source.debezium.DebeziumSource;
import io.dataflow.source.debezium.SchemaHistoryStores;
import io.dataflow.source.postgres.PostgresPublication;
import io.dataflow.source.postgres.load.PostgresCopyLoader;
import io.dataflow.state.CheckpointStore;
import io.dataflow.storage.ObjectStore;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Wires a {@link PipelineConfig} into a runnable {@link Pipeline}: source, sinks, checkpoint store. */
public final class PipelineFactory implements AutoCloseable {
    private final PipelineConfig config;
    private final Map<String, String> sourceTuning;
    private final List<ObjectStore> stores = new ArrayList<>();
    private final List<Sink> sinks = new ArrayList<>();
    private List<TableId> tables = List.of();
    private final ValueIssues valueIssues = new ValueIssues();
    private CheckpointStore checkpoints;
    private ObjectStore stateStore;

    public PipelineFactory(PipelineConfig config, Map<String, String> sourceTuning) {
        this.config = config;
        this.sourceTuning = Map.copyOf(sourceTuning);
    }

    public List<TableId> tables() {
        return tables;
    }

    /** Values database targets could not hold, written as NULL or changed; counted per column. */
    public Map<String, Long> valueIssues() {
        return valueIssues.snapshot();
    }

    /** Resolves the table selection against the source and builds the pipeline. */
    public Pipeline build(int maxConsecutiveFailures) throws IOException, SQLException {
        SourceInspector inspector = Sources.inspector(config.source());
        List<SourceInspector.TableInfo> infos;
        try (Connection c = inspector.connect()) {
            infos = inspector.tables(c, config.tables());
        } catch (SQLException e) {
            throw inspector.explain(e);
        }
        tables = infos.stream().map(SourceInspector.TableInfo::id).toList();
        if (config.source().type() == SourceConfig.Type.POSTGRES && config.mode().streams() && !tables.isEmpty()) {
            try (Connection c = inspector.connect()) {
                PostgresPublication.replicaIdentityFull(c,
                        infos.stream().filter(t -> !t.changesReplicable()).map(SourceInspector.TableInfo::id).toList());
                PostgresPublication.ensure(c, config.source().publication(), tables);
            } catch (SQLException e) {
                throw inspector.explain(e);
            }
        } else {
            for (SourceInspector.TableInfo t : infos) {
                if (!t.fix().isEmpty() && config.mode().streams()) {
                    org.slf4j.LoggerFactory.getLogger(PipelineFactory.class).warn("table {}: {}", t.id(), t.fix());
                }
            }
        }
        ObjectStore stateStore = null;
        Catalog catalog = null;
        for (TargetConfig target : config.targets()) {
            ObjectStore store = StateStores.open(target);
            stores.add(store);
            stateStore = stateStore == null ? store : stateStore;
            if (target.type() == TargetConfig.Type.JDBC) {
                catalog = catalog == null ? Conversions.catalog(config, tables) : catalog;
                SchemaConverter.Conversion conversion = Conversions.forTarget(config, target.jdbc(), catalog);
                JdbcSink sink = new JdbcSink(config.name(), new TargetConnections(target.jdbc()),
                        conversion, target.jdbc().tablePrep(), valueIssues, !usesCopyLoad() && !usesBinlogSnapshotLoad() && config.mode().loads())
                        .onNewColumns(id -> {
                            try {
                                return Conversions.forTable(config, target.jdbc(), id);
                            } catch (SQLException e) {
                                throw new IOException(e.getMessage(), e);
                            }
                        });
                sink.prepare();
                sinks.add(sink);
            } else {
                sinks.add(new LakeSink(store, config.name(), target.compression(), usesCopyLoad() || usesBinlogParallelLoad()
                        || usesBinlogSnapshotLoad()));
            }
        }
        TargetConfig.Flush flush = strictest(config.targets());
        this.stateStore = stateStore;
        SchemaHistoryStores.lend(config.name(), stateStore);
        this.checkpoints = new CheckpointStore(stateStore, config.name());
        Map<String, String> tuning = new java.util.HashMap<>(sourceTuning);
        if (usesCopyLoad()) {
            tuning.putIfAbsent("snapshot.mode", "no_data"); // the COPY loader does the full load
        }
        if (usesBinlogParallelLoad()) {
            tuning.putIfAbsent("snapshot.mode", "no_data"); // schema only; the chunk loader reads the rows while the binlog streams
            if (!checkpoints.load().fullLoadDone()) {
                tuning.put(DebeziumSource.EXTERNAL_FULL_LOAD, "true");
            }
        }
        if (usesBinlogSnapshotLoad()) {
            tuning.putIfAbsent("snapshot.mode", "no_data");
        }
        return new Pipeline(
                () -> Sources.changeSource(config, tables, streamTuning(tuning)),
                sinks,
                checkpoints,
                new FlushPolicy(flush.interval(), flush.rows(), flush.bytes()),
                Clock.systemUTC(),
                Backoff.standard(),
                !config.mode().streams(),
                maxConsecutiveFailures);
    }

    /**
     * The lock-free binlog loader needs the stream to pass the end of the load before its output is consistent, so
     * mode full-load (which stops at the end of the load) and database targets use Debezium's consistent snapshot instead.
     */
    private boolean usesBinlogParallelLoad() {
        // a database target applies changes while the chunks load, so it needs a consistent snapshot instead
        return config.source().type().binlog() && !config.hasJdbcTarget() && config.fullLoad().engine() == PipelineConfig.Engine.PARALLEL
                && config.mode() == PipelineConfig.Mode.FULL_LOAD_AND_CDC;
    }

    /**
     * For MariaDB/MySQL with the parallel engine and an unfinished full load: starts the chunk loader on its own
     * thread once the binlog streams, and tells the pipeline when it is done. Returns the thread (or null) and puts
     * a failure, if any, into {@code failure}.
     */
    public Thread startBinlogFullLoad(Pipeline p, java.util.concurrent.atomic.AtomicReference<Throwable> failure) throws IOException {
        if (!usesBinlogParallelLoad() || checkpoints.load().fullLoadDone()) {
            return null;
        }
        List<Sink.BulkLoad> outputs = sinks.stream().map(sink -> sink.bulkLoad().orElseThrow()).toList();
        BinlogDialect dialect = new BinlogDialect(config.source().type());
        Thread t = new Thread(() -> {
            try {
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
                while (!DebeziumSource.streamingConnected(dialect, config.name())) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("the binlog did not start streaming within 10 minutes; the full load cannot start");
                    }
                    Thread.sleep(100);
                }
                long started = System.nanoTime();
                new BinlogChunkLoader(config, tables, stateStore, outputs, config.fullLoad().effectiveThreads(),
                        config.fullLoad().chunkRows(), p.stats()::addFullLoadChunk).run();
                org.slf4j.LoggerFactory.getLogger(PipelineFactory.class).info("full load done: {} rows in {} s",
                        p.stats().totalFullLoadRows(), String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
                p.signalFullLoadComplete();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failure.set(e);
                p.stop();
            }
        }, "dataflow-full-load-coordinator");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * After a binlog snapshot load, the first stream starts at the snapshot's position with no schema history yet:
     * Debezium's recovery mode records the current schema, then streams from that position.
     */
    private Map<String, String> streamTuning(Map<String, String> tuning) {
        if (!usesBinlogSnapshotLoad() || sourceTuning.containsKey("snapshot.mode")) {
            return tuning;
        }
        try {
            if (stateStore.list(CheckpointStore.stateDir(config.name()) + "schema-history/").isEmpty()) {
                Map<String, String> t = new java.util.HashMap<>(tuning);
                t.put("snapshot.mode", "recovery");
                return t;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return tuning;
    }

    /**
     * MariaDB/MySQL: parallel chunks inside one consistent snapshot, before any change streams: in mode full-load,
     * and in full-load-and-cdc into database targets (which apply changes as they come, so they cannot take chunks
     * read while changes stream). Changes then stream from the snapshot's binlog position.
     */
    private boolean usesBinlogSnapshotLoad() {
        return config.source().type().binlog() && config.fullLoad().engine() == PipelineConfig.Engine.PARALLEL
                && (config.mode() == PipelineConfig.Mode.FULL_LOAD
                        || config.mode() == PipelineConfig.Mode.FULL_LOAD_AND_CDC && config.hasJdbcTarget());
    }

    private boolean usesCopyLoad() {
        return config.source().type() == SourceConfig.Type.POSTGRES
                && config.fullLoad().engine() == PipelineConfig.Engine.PARALLEL && config.mode().loads();
    }

    /**
     * Runs the full loads that read a snapshot before (PostgreSQL: COPY under the slot's exported snapshot) or
     * without (MariaDB/MySQL in mode full-load: chunks in one consistent snapshot) a change stream, when this
     * pipeline uses one and has not finished it; then checkpoints that the full load is done. Returns whether the
     * pipeline goes on streaming (false in mode full-load).
     */
    public boolean snapshotFullLoad(PipelineStats stats, java.io.PrintWriter out) throws Exception {
        if (!usesCopyLoad() && !usesBinlogSnapshotLoad()) {
            return true;
        }
        Checkpoint cp = checkpoints.load();
        if (!cp.fullLoadDone()) {
            List<Sink.BulkLoad> outputs = sinks.stream().map(sink -> sink.bulkLoad().orElseThrow(() ->
                    new IllegalStateException("sink " + sink.name() + " cannot take a parallel full load"))).toList();
            long started = System.nanoTime();
            if (usesCopyLoad()) {
                new PostgresCopyLoader(config, tables, stateStore, outputs, config.fullLoad().effectiveThreads(),
                        config.fullLoad().chunkRows(), stats::addFullLoadChunk).run();
                checkpoints.save(new Checkpoint("", Map.of(), true, cp.sequence() + 1));
            } else {
                Map<String, Object> position = new BinlogChunkLoader(config, tables, stateStore, outputs,
                        config.fullLoad().effectiveThreads(), config.fullLoad().chunkRows(), stats::addFullLoadChunk).runInSnapshot();
                // changes stream from the snapshot's binlog position (Debezium's offset layout for binlog connectors)
                Map<String, Object> offset = Map.of("partition", Map.of("server", DebeziumSource.topicPrefix(config.name())),
                        "offset", position);
                checkpoints.save(new Checkpoint("", offset, true, cp.sequence() + 1));
            }
            for (Sink sink : sinks) {
                sink.fullLoadComplete();
            }
            out.printf(java.util.Locale.ROOT, "full load done: %,d rows in %.1f s%n", stats.totalFullLoadRows(),
                    (System.nanoTime() - started) / 1e9);
            out.flush();
        }
        stats.markFullLoadDone();
        if (config.mode().streams()) {
            return true;
        }
        if (usesCopyLoad()) {
            try (Connection c = Sources.inspector(config.source()).connect()) {
                PostgresPublication.dropIdleSlot(c, config.source().slot());
            }
        }
        return false;
    }

    /** With several targets, the checkpoint waits for all of them: flush on the earliest trigger of any. */
    static TargetConfig.Flush strictest(List<TargetConfig> targets) {
        Duration interval = null;
        long rows = Long.MAX_VALUE;
        long bytes = Long.MAX_VALUE;
        for (TargetConfig t : targets) {
            interval = interval == null || t.flush().interval().compareTo(interval) < 0 ? t.flush().interval() : interval;
            rows = Math.min(rows, t.flush().rows());
            bytes = Math.min(bytes, t.flush().bytes());
        }
        return new TargetConfig.Flush(interval, rows, bytes);
    }

    @Override
    public void close() throws IOException {
        SchemaHistoryStores.release(config.name());
        for (Sink s : sinks) {
            s.close();
        }
        for (ObjectStore s : stores) {
            s.close();
        }
    }
}
