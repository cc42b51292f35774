package io.dataflow.source.debezium;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflow.api.ChangeEvent;
import io.dataflow.api.ChangeSource;
import io.dataflow.api.Checkpoint;
import io.dataflow.api.Failure;
import io.dataflow.api.Op;
import io.dataflow.api.SourceBatch;
import io.dataflow.api.SourceException;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.runtime.ValueIssues;
import io.dataflow.source.SourceFamily;
import io.dataflow.api.ObjectStore;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.embedded.Connect;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database through an embedded Debezium engine: the full load (Debezium's snapshot), then the change log.
 * Records are converted once, here, into {@link ChangeEvent}s; what differs per engine is in a {@link Dialect}.
 * Records are marked processed only in {@link #acknowledge(SourceBatch)}, after DataFlow's checkpoint is
 * durable, so the source's own position (e.g. the PostgreSQL slot's flushed LSN) never passes durable data.
 */
public final class DebeziumSource implements ChangeSource {
    private static final Logger LOG = LoggerFactory.getLogger(DebeziumSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineConfig pipeline;
    private final io.dataflow.transform.TableRules tableRules;
    private final List<TableId> tables;
    private final Map<String, String> tuning;
    private final Dialect dialect;
    private final RecordConverter converter;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private final ExecutorService executor;
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private volatile DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer;
    private volatile Listener listener;
    private volatile boolean closing;
    private final java.util.concurrent.CountDownLatch completed = new java.util.concurrent.CountDownLatch(1);
    // written by the engine thread, read by the snapshot watcher (and the other way round)
    private volatile boolean fullLoadDone;
    private volatile boolean fullLoadAnnounced;
    private volatile long fullLoadRowsSeen;
    private long fullLoadOrdinal;
    private Thread watcher;
    private final Start start;
    private final ObjectStore stateStore;
    private final ValueIssues conversions;
    /** The registration of this source's {@link SourceServices}, while it runs. */
    private volatile String servicesId;

    /**
     * How the stream starts.
     *
     * @param snapshotInSource Debezium's snapshot delivers the full load (otherwise a parallel loader reads it, or there
     *                         is none, and this source only streams)
     * @param recoverSchema    binlog sources after a parallel load in one snapshot: when the load did not seed the
     *                         schema history (it does), Debezium records the current schema before it streams from
     *                         the snapshot's position
     */
    public record Start(boolean snapshotInSource, boolean recoverSchema) {}

    /**
     * A delivered batch awaiting DataFlow's checkpoint: only the last record of each source partition (most
     * connectors have one; SQL Server one per database), since marking it processed stores the same offset as marking
     * every record before it. Holding whole batches kept every record's row structs alive until the checkpoint: with
     * a 500 ms flush that was tens of thousands of records for the young collections to copy.
     */
    private record Pending(List<RecordChangeEvent<SourceRecord>> lastPerPartition, Object batchEnd) {}

    /** The last record of each source partition in a batch, in the order the partitions first appear. */
    static List<RecordChangeEvent<SourceRecord>> lastPerPartition(List<RecordChangeEvent<SourceRecord>> changes) {
        Map<Map<String, ?>, RecordChangeEvent<SourceRecord>> byPartition = new LinkedHashMap<>();
        for (RecordChangeEvent<SourceRecord> c : changes) {
            byPartition.put(c.record().sourcePartition(), c);
        }
        return List.copyOf(byPartition.values());
    }

    /**
     * @param context  the pipeline (source settings, mode), the tables to capture (already resolved from the
     *                 selection), its state store, and Debezium properties that override the defaults (tests)
     * @param start    how the stream starts (who reads the full load)
     */
    public DebeziumSource(SourceFamily.Context context, Dialect dialect, Start start) {
        this.dialect = dialect;
        this.converter = new RecordConverter(dialect.timeIsDuration());
        this.pipeline = context.pipeline();
        this.tableRules = pipeline.tableRules();
        this.tables = context.tables();
        this.stateStore = context.stateStore();
        this.conversions = context.conversions();
        this.start = start;
        this.tuning = context.tuning();
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dataflow-source-" + pipeline.name());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Whether the schema history exists (a binlog full load seeds it with the tables at its snapshot's position, so the
     * first stream needs no recovery from the schema as it is now).
     */
    private boolean historyExists() {
        try {
            return ObjectStoreSchemaHistory.exists(stateStore, pipeline.name());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The last schema each table's events had: a TRUNCATE carries it, so its row fits the table's files. */
    private final Map<TableId, TableSchema> lastSchemas = new java.util.HashMap<>();

    /** The source's signal table while the source runs (null: none). */
    private volatile TableId signalTable;
    /** Counts the rows of an incremental snapshot chunk that share one stream position. */
    private String lastIncrementalBase = "";
    private long incrementalOrdinal;

    /** The Debezium connector properties for this pipeline. */
    Properties properties(Checkpoint from) {
        SourceConfig s = pipeline.source();
        Properties p = new Properties();
        p.setProperty("name", "dataflow-" + pipeline.name());
        p.setProperty("offset.storage", CheckpointOffsetStore.class.getName());
        p.setProperty("offset.flush.interval.ms", "0");
        p.setProperty("offset.flush.timeout.ms", "60000");
        p.setProperty("topic.prefix", topicPrefix());
        p.setProperty("database.hostname", s.host());
        p.setProperty("database.port", Integer.toString(s.port()));
        p.setProperty("database.user", s.user());
        p.setProperty("database.password", s.password());
        p.setProperty("snapshot.mode", snapshotMode(pipeline.mode(), start.recoverSchema() && !historyExists() ? start
                : new Start(start.snapshotInSource(), false)));
        p.setProperty("decimal.handling.mode", "precise");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        p.setProperty("binary.handling.mode", "bytes");
        p.setProperty("include.unknown.datatypes", "true");
        p.setProperty("column.propagate.source.type", ".*");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("poll.interval.ms", "10");
        p.setProperty("max.batch.size", "8192");
        p.setProperty("max.queue.size", "32768");
        p.setProperty("heartbeat.interval.ms", "5000");
        p.setProperty("errors.max.retries", "0");
        p.setProperty("snapshot.max.threads", "1");
        p.setProperty("record.processing.order", "ORDERED");
        p.setProperty("skipped.operations", "none"); // TRUNCATE arrives as an event (the connectors skip it by default)
        p.putAll(dialect.properties(pipeline, tables));
        if (signalTable != null) {
            p.setProperty("signal.data.collection", signalTable.schema() + "." + signalTable.table());
        }
        // the schema history and every custom converter find this source's services by its registration id
        p.setProperty(ObjectStoreSchemaHistory.SOURCE_ID, servicesId);
        for (String converter : p.getProperty("converters", "").split(",")) {
            if (!converter.isBlank()) {
                p.setProperty(converter.trim() + "." + SourceServices.ID_PROPERTY, servicesId);
            }
        }
        s.debezium().forEach(p::setProperty);
        tuning.forEach(p::setProperty);
        if (!from.sourceOffset().isEmpty()) {
            p.setProperty(CheckpointOffsetStore.PARTITION_JSON, json(from.sourceOffset().get("partition")));
            p.setProperty(CheckpointOffsetStore.OFFSET_JSON, json(from.sourceOffset().get("offset")));
        }
        return p;
    }

    /** Debezium's {@code snapshot.mode}, decided here only. */
    static String snapshotMode(PipelineConfig.Mode mode, Start start) {
        if (!start.snapshotInSource() || !mode.loads()) {
            return start.recoverSchema() ? "recovery" : "no_data";
        }
        return mode == PipelineConfig.Mode.FULL_LOAD ? "initial_only" : "initial";
    }

    private String topicPrefix() {
        return topicPrefix(pipeline.name());
    }

    /** Debezium's topic prefix (its offsets' "server" partition) for a pipeline. */
    public static String topicPrefix(String pipelineName) {
        return pipelineName.replaceAll("[^A-Za-z0-9_]", "_");
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void start(Checkpoint from, Listener listener) {
        this.listener = listener;
        servicesId = SourceServices.register(new SourceServices(stateStore, conversions));
        if (signalTable == null && pipeline.mode().streams()) {
            signalTable = SignalTable.prepare(pipeline.source()).orElse(null);
        }
        this.fullLoadDone = from.fullLoadDone() || !pipeline.mode().loads();
        this.fullLoadAnnounced = fullLoadDone || !start.snapshotInSource();
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(properties(from))
                .notifying(this::handleBatch)
                .using((success, message, error) -> {
                    completed.countDown();
                    if (!closing) {
                        listener.onFailure(error != null ? classify(dialect, error)
                                : new SourceException("the Debezium engine stopped: " + message, false, null));
                    }
                })
                .build();
        executor.execute(engine);
        if (!fullLoadDone && start.snapshotInSource()) {
            watcher = new Thread(this::watchSnapshot, "dataflow-snapshot-watch-" + pipeline.name());
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    private static SourceException classify(Dialect dialect, Throwable error) {
        String text = Failure.messages(error);
        boolean permanent = dialect.isPermanent(text);
        String hint = permanent ? "; fix the source settings (run 'dataflow check --config ...')" : "";
        return new SourceException("source failed: " + text + hint, permanent, error);
    }

    private void handleBatch(List<RecordChangeEvent<SourceRecord>> changes, DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> c)
            throws InterruptedException {
        committer = c;
        List<SourceRecord> records = new ArrayList<>(changes.size());
        for (RecordChangeEvent<SourceRecord> ch : changes) {
            records.add(ch.record());
        }
        List<ChangeEvent> events = new ArrayList<>(records.size());
        boolean sawLastSnapshotRecord = false;
        for (SourceRecord r : records) {
            boolean inSnapshot = inSnapshot(r.sourceOffset());
            if (!inSnapshot && !fullLoadDone && start.snapshotInSource()) {
                fullLoadDone = true;
            }
            if (inSnapshot && Boolean.TRUE.equals(r.sourceOffset().get("last_snapshot_record"))) {
                sawLastSnapshotRecord = true;
            }
            if (signalTable != null && r.value() instanceof Struct env && env.schema().field("source") != null
                    && signalTable.equals(dialect.table(env.getStruct("source")))) {
                events.addAll(signal(r, env));
                continue;
            }
            ChangeEvent e = convert(r, inSnapshot);
            if (e != null) {
                events.add(e);
            }
        }
        if (records.isEmpty()) {
            return;
        }
        SourceRecord lastRecord = records.get(records.size() - 1);
        Map<String, Object> offset = new LinkedHashMap<>();
        offset.put("partition", lastRecord.sourcePartition());
        offset.put("offset", lastRecord.sourceOffset());
        synchronized (pending) {
            pending.addLast(new Pending(lastPerPartition(changes), changes.get(changes.size() - 1)));
        }
        boolean done = fullLoadDone || sawLastSnapshotRecord;
        listener.onBatch(new SourceBatch(events, offset, done, changes.get(changes.size() - 1)));
        if (sawLastSnapshotRecord || (fullLoadDone && !fullLoadAnnounced)) {
            fullLoadDone = true;
            announceFullLoad();
        }
    }

    private synchronized void announceFullLoad() {
        if (!fullLoadAnnounced) {
            fullLoadAnnounced = true;
            listener.onFullLoadComplete();
        }
    }

    static boolean inSnapshot(Map<String, ?> offset) {
        Object s = offset.get("snapshot");
        if (s == null || "false".equalsIgnoreCase(s.toString()) || Boolean.FALSE.equals(s)) {
            return false;
        }
        return true;
    }

    /**
     * A row of the signal table: a reload request becomes a {@link Op#RELOAD} of each table it names, at its place in
     * the stream (a database target empties the table there; the rows then arrive again as the connector reads them
     * between its watermarks). The connector's own watermark rows and other signals give nothing.
     */
    private List<ChangeEvent> signal(SourceRecord r, Struct envelope) {
        Object op = Dialect.field(envelope, "op");
        if (!"c".equals(op) || !(Dialect.field(envelope, "after") instanceof Struct after)) {
            return List.of();
        }
        List<TableId> reloaded = SignalTable.reloadedTables(String.valueOf(Dialect.field(after, "type")), (String) Dialect.field(after, "data"));
        Struct source = envelope.getStruct("source");
        String base = dialect.changePosition(r.sourceOffset(), source);
        long commitMicros = commitMicros(source);
        List<ChangeEvent> out = new ArrayList<>();
        for (int i = 0; i < reloaded.size(); i++) {
            TableId t = reloaded.get(i);
            if (tables.contains(t)) {
                LOG.info("reload of {} requested: the table is read again while changes continue", t);
                out.add(new ChangeEvent(new TableSchema(t, List.of(), List.of()), Op.RELOAD, new Object[0],
                        base + String.format(java.util.Locale.ROOT, "-%08x", i + 1), commitMicros, "", false));
            }
        }
        return out;
    }

    /** The source commit time of a record's {@code source} block, in microseconds. */
    private static long commitMicros(Struct source) {
        Object tsUs = Dialect.field(source, "ts_us");
        return tsUs != null ? (Long) tsUs : source.getInt64("ts_ms") * 1000;
    }

    /** An event that empties a table, with the table's last known schema (no columns when none is known yet). */
    private ChangeEvent truncate(TableId table, String position, long commitMicros) {
        TableSchema schema = lastSchemas.getOrDefault(table, new TableSchema(table, List.of(), List.of()));
        return new ChangeEvent(schema, Op.TRUNCATE, new Object[schema.columns().size()], position, commitMicros, "", false);
    }

    private ChangeEvent convert(SourceRecord r, boolean inSnapshot) {
        if (!(r.value() instanceof Struct envelope) || envelope.schema().field("op") == null) {
            return null; // heartbeats, tombstones, schema-change and transaction records
        }
        Struct source = envelope.getStruct("source");
        TableId table = dialect.table(source);
        String opCode = envelope.getString("op");
        Op op = switch (opCode) {
            case "r" -> Op.READ;
            case "c" -> Op.INSERT;
            case "u" -> Op.UPDATE;
            case "d" -> Op.DELETE;
            default -> null;
        };
        if ("t".equals(opCode)) {
            LOG.info("TRUNCATE of {} in the source", table);
            return truncate(table, dialect.changePosition(r.sourceOffset(), source), commitMicros(source));
        }
        if (op == null) {
            return null; // messages ("m") are not row changes
        }
        Struct row = dialect.row(envelope, op, r.key());
        if (row == null) {
            return null;
        }
        TableSchema schema = converter.schema(table, row.schema(), dialect.keySchema(r.keySchema()));
        lastSchemas.put(table, schema);
        List<String> unchanged = new ArrayList<>(0);
        Object[] values = converter.values(schema, row, unchanged);
        Object[] before = null;
        if (op == Op.UPDATE && (schema.keyColumns().isEmpty() || filtered(table)) && Dialect.field(envelope, "before") instanceof Struct old
                && old.schema().equals(row.schema())) {
            before = converter.values(schema, old, new ArrayList<>(0)); // a keyless row is found by its old values
        }
        long commitMicros = commitMicros(source);
        Object txId = Dialect.field(source, "txId");
        if (txId == null) {
            txId = Dialect.field(source, "gtid");
        }
        String position;
        boolean incremental = "incremental".equals(String.valueOf(Dialect.field(source, "snapshot")));
        boolean fullLoad = (op == Op.READ || inSnapshot) && !incremental;
        if (incremental) {
            // rows read again by a reload share the stream position where the connector's window closed
            String base = dialect.changePosition(r.sourceOffset(), source);
            incrementalOrdinal = base.equals(lastIncrementalBase) ? incrementalOrdinal + 1 : 1;
            lastIncrementalBase = base;
            position = base + String.format(java.util.Locale.ROOT, "-%08x", incrementalOrdinal);
        } else if (fullLoad) {
            fullLoadRowsSeen++;
            position = dialect.fullLoadPosition(r.sourceOffset(), source, ++fullLoadOrdinal);
        } else {
            position = dialect.changePosition(r.sourceOffset(), source);
        }
        return new ChangeEvent(schema, op, values, position, commitMicros, txId == null ? "" : txId.toString(), fullLoad, unchanged, before);
    }

    /** Tables whose changes a filter rule decides on: their updates carry the old row, so a row leaving or entering the filter is exact. */
    private final Map<TableId, Boolean> filtered = new java.util.HashMap<>();

    private boolean filtered(TableId table) {
        return filtered.computeIfAbsent(table, tableRules::filters);
    }

    /** Announces the end of a full load that delivered no row at all (every table empty). */
    private void watchSnapshot() {
        ConnectorMetrics metrics = new ConnectorMetrics(dialect.metricsDomain(), topicPrefix());
        while (!closing && !fullLoadAnnounced) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            if (fullLoadRowsSeen == 0 && metrics.snapshotCompletedEmpty()) {
                fullLoadDone = true;
                announceFullLoad();
            }
        }
    }

    /** True once the connector streams from the log (so its start position is fixed): Debezium's streaming metrics say so. */
    @Override
    public boolean streaming() {
        return new ConnectorMetrics(dialect.metricsDomain(), topicPrefix()).streamingConnected();
    }

    @Override
    public void acknowledge(SourceBatch upTo) throws InterruptedException {
        DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> c = committer;
        if (c == null) {
            return;
        }
        synchronized (pending) {
            while (!pending.isEmpty()) {
                Pending p = pending.pollFirst();
                for (RecordChangeEvent<SourceRecord> r : p.lastPerPartition()) {
                    c.markProcessed(r);
                }
                if (p.batchEnd() == upTo.ackToken()) {
                    break;
                }
            }
            c.markBatchFinished();
        }
    }

    @Override
    public void close() {
        closing = true;
        SourceServices.release(servicesId);
        if (watcher != null) {
            watcher.interrupt();
        }
        // An engine that already reported its end (a failure) has stopped itself; closing it again can block.
        if (engine != null && completed.getCount() > 0) {
            Thread closer = new Thread(() -> {
                try {
                    engine.close();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("closing the Debezium engine: {}", e.toString());
                }
            }, "dataflow-source-close");
            closer.setDaemon(true);
            closer.start();
            try {
                closer.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the Debezium engine did not stop within 10 s; abandoning its thread");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
