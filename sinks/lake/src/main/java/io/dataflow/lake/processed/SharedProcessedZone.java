package io.dataflow.lake.processed;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.ObjectStore;
import io.dataflow.api.Op;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.config.ProcessedConfig;
import io.dataflow.runtime.SinkCounters;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processed zone written by several writers at once, as the tasks of a Kafka Connect sink write it. Each writer
 * owns one <em>stream</em> (a topic partition: every change of a source row goes to the same one, so two streams never
 * hold the same key) and records, in each table it commits to and in the same Iceberg commit as the rows, how far its
 * stream is applied: table properties {@code dataflow.stream.<stream>.offset} (the first offset not applied) and
 * {@code .position} (the last change's source position). A writer that takes a stream over skips what the table
 * records, so a replay after a crash or a rebalance applies nothing twice, and a change a source connector sends again
 * (a new offset, an old position) is skipped too.
 *
 * <p>Commits of several writers to one table are optimistic: a conflict is retried on the table's new version, which
 * stays correct because each commit's position deletes name rows of its own keys only. The schema only grows: a writer
 * behind another (an event written before a column was added, or before a type was widened) writes into the table's
 * wider schema, and a column dropped in the source is kept (null from then on); rows that existed before a column
 * with a default came keep null. Each writer's files carry its name: it compacts its own (only it deletes from them);
 * snapshot expiry runs in the one writer told to maintain; orphan files are left (another writer's files in flight look
 * the same).
 */
public final class SharedProcessedZone implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedProcessedZone.class);
    static final String STREAM = "dataflow.stream.";
    private final ProcessedCatalog catalog;
    private final ProcessedConfig config;
    private final TableMaintenance maintenance;
    private final SinkCounters counters;
    private final Set<TableId> keyless = ConcurrentHashMap.newKeySet();

    private SharedProcessedZone(ProcessedCatalog catalog, ProcessedConfig config, TableMaintenance maintenance, SinkCounters counters) {
        this.catalog = catalog;
        this.config = config;
        this.maintenance = maintenance;
        this.counters = counters;
    }

    /** The processed zone of the lake in {@code store}, rooted at {@code root} (absolute folder or s3 URI). */
    public static SharedProcessedZone open(ObjectStore store, String root, String pipeline, ProcessedConfig config, SinkCounters counters) {
        StoreFileIO io = new StoreFileIO(store, root);
        return new SharedProcessedZone(Catalogs.open(config.catalog(), io, pipeline), config, new TableMaintenance(config.maintenance(),
                counters, io), counters);
    }

    /** The writer of one stream; {@code maintains}: it expires the old snapshots of the tables it writes to (one writer per table should). */
    public Writer writer(String stream, boolean maintains) {
        return new Writer(stream, maintains);
    }

    /** For messages. */
    public String describe() {
        return catalog.describe();
    }

    @Override
    public void close() {
        catalog.close();
    }

    /** The tables one stream writes to, what each has staged, and how far each has applied the stream. */
    public final class Writer {
        private final String stream;
        private final String offsetKey;
        private final String positionKey;
        private final boolean maintains;
        private final Map<TableId, StreamTable> tables = new HashMap<>();
        private long lastMaintenanceMillis = -1;

        private Writer(String stream, boolean maintains) {
            this.stream = stream;
            this.offsetKey = STREAM + stream + ".offset";
            this.positionKey = STREAM + stream + ".position";
            this.maintains = maintains;
        }

        /**
         * Stages the change read at {@code offset}; skipped when its table has applied the stream past it (offset or
         * source position). Tables without a primary key are left out (reported once).
         */
        public void stage(ChangeEvent e, long offset) throws IOException {
            if (e.op() == Op.RELOAD) {
                return;
            }
            StreamTable t = e.op() == Op.TRUNCATE && e.schema().keyColumns().isEmpty() ? existing(e.table()) : table(e.schema());
            if (t == null || offset < t.offset || e.position().compareTo(t.position) <= 0) {
                return;
            }
            t.table.progress(progress(offset, t.position)); // a commit the stage makes (a schema change) covers what came before
            ProcessedZone.guard(() -> {
                t.table.stage(e, true);
                return null;
            });
            t.position = e.position();
        }

        /** Commits every table with staged changes, each recording that the stream is applied up to {@code next}. */
        public void commit(long next) throws IOException {
            for (StreamTable t : tables.values()) {
                if (t.table.hasStaged()) {
                    t.table.progress(progress(next, t.position));
                    ProcessedZone.guard(t.table::commit);
                    counters.add(SinkCounters.PROCESSED_COMMITS, 1);
                }
                t.offset = Math.max(t.offset, next);
            }
        }

        /** Bytes staged, not yet committed. */
        public long stagedBytes() {
            long n = 0;
            for (StreamTable t : tables.values()) {
                n += t.table.stagedBytes();
            }
            return n;
        }

        /** Forgets what is staged (after a failure); tables are read again on next use. */
        public void discard() {
            tables.clear();
        }

        /**
         * When the maintenance interval has passed: compacts this writer's own files of the tables it writes (only it
         * deletes rows from them, so no other writer's commit makes the rewrite fail), and expires old snapshots when it
         * maintains the tables. Called after a commit, with nothing staged; a failure is tried again next time.
         */
        public void maintainIfDue(long nowMillis) {
            if (lastMaintenanceMillis < 0) {
                lastMaintenanceMillis = nowMillis;
            }
            if (nowMillis - lastMaintenanceMillis < config.maintenance().interval().toMillis()) {
                return;
            }
            lastMaintenanceMillis = nowMillis;
            for (StreamTable t : tables.values()) {
                try {
                    ProcessedZone.guard(() -> {
                        maintenance.runShared(t.table, System.currentTimeMillis(), maintains);
                        return null;
                    });
                } catch (IOException | RuntimeException e) {
                    LOG.info("processed zone {}: maintenance deferred ({})", t.table.id(), e.getMessage());
                }
            }
        }

        private Map<String, String> progress(long offset, String position) {
            return Map.of(offsetKey, Long.toString(offset), positionKey, position);
        }

        private StreamTable existing(TableId id) throws IOException {
            StreamTable t = tables.get(id);
            if (t == null) {
                Optional<Table> table = ProcessedZone.guard(() -> catalog.load(id));
                t = table.map(x -> open(id, x)).orElse(null);
            }
            return t;
        }

        private StreamTable table(TableSchema schema) throws IOException {
            StreamTable t = tables.get(schema.id());
            if (t != null) {
                return t;
            }
            if (ProcessedZone.keyless(schema, keyless)) {
                return null;
            }
            Table table = ProcessedZone.guard(() -> catalog.load(schema.id()).orElseGet(() -> create(schema)));
            return open(schema.id(), table);
        }

        /** Creates the table; another writer creating it first is fine. */
        private Table create(TableSchema schema) {
            try {
                return ProcessedZone.create(catalog, config, schema.id(), schema);
            } catch (org.apache.iceberg.exceptions.AlreadyExistsException | org.apache.iceberg.exceptions.CommitFailedException e) {
                return catalog.load(schema.id()).orElseThrow(() -> e);
            }
        }

        private StreamTable open(TableId id, Table table) {
            ProcessedTable t = new ProcessedTable(id, table, maintenance);
            t.shared(stream);
            Map<String, String> props = table.properties();
            StreamTable s = new StreamTable(t, Long.parseLong(props.getOrDefault(offsetKey, "0")), props.getOrDefault(positionKey, ""));
            tables.put(id, s);
            return s;
        }
    }

    /** A table as one stream writes it: how far the table has the stream (offset and position staged or committed). */
    private static final class StreamTable {
        final ProcessedTable table;
        long offset;
        String position;

        StreamTable(ProcessedTable table, long offset, String position) {
            this.table = table;
            this.offset = offset;
            this.position = position;
        }
    }
}
