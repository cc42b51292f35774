package io.dataflow.lake.processed;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.Checkpoint;
import io.dataflow.api.LoadBatch;
import io.dataflow.api.Sink;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.config.ProcessedConfig;
import io.dataflow.lake.RawZoneReader;
import io.dataflow.runtime.SinkCounters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lake's processed zone: one Iceberg table per source table, equal to the source as of the last commit.
 *
 * <p>Changes are staged per table ({@link ProcessedTable}) and committed every {@code commit-interval} (from
 * {@link #tick}), when the staged changes grow past a bound, at the end of the full load and on close. Staged changes
 * are not part of the pipeline's checkpoint: the raw zone is. After a crash {@link #recover} replays the raw zone's
 * changes between each table's last commit and the checkpoint, then the source replays the rest; events at or below a
 * table's committed position are skipped. So the processed zone may commit ahead of the checkpoint (nothing is applied
 * twice) or behind it (nothing is lost), and a source restart needs no {@link #discard()}: re-delivered events are
 * already staged and ignored.
 *
 * <p>Tables without a primary key are not kept here (an update does not say which old row it replaced, so a current
 * state cannot be derived without one): each is reported once and stays queryable in the raw zone.
 */
public final class ProcessedZone implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessedZone.class);
    /** Staged changes beyond this many bytes are committed at the next flush, whatever the interval. */
    static final long MAX_STAGED_BYTES = 256L << 20;
    private final ProcessedCatalog catalog;
    private final RawZoneReader raw;
    private final ProcessedConfig config;
    private final boolean chunkedFullLoad;
    private final Map<TableId, ProcessedTable> tables = new HashMap<>();
    private final Set<TableId> keyless = new HashSet<>();
    private final SinkCounters counters;
    private final TableMaintenance maintenance;
    private long lastCommitMillis = -1;
    private long lastMaintenanceMillis = -1;
    private boolean loadDone;
    private FlushResult committedSinceFlush = FlushResult.EMPTY;

    ProcessedZone(ProcessedCatalog catalog, RawZoneReader raw, ProcessedConfig config, boolean chunkedFullLoad, StoreFileIO io,
            SinkCounters counters) {
        this.catalog = catalog;
        this.counters = counters;
        this.maintenance = new TableMaintenance(config.maintenance(), counters, io);
        this.raw = raw;
        this.config = config;
        this.chunkedFullLoad = chunkedFullLoad;
    }

    /** The processed zone of a lake in {@code store}; {@code root} is the lake's location (absolute folder or s3 URI). */
    public static ProcessedZone open(io.dataflow.api.ObjectStore store, String root, String pipeline, ProcessedConfig config,
            boolean chunkedFullLoad, SinkCounters counters) {
        StoreFileIO io = new StoreFileIO(store, root);
        return new ProcessedZone(Catalogs.open(config.catalog(), io, pipeline), new RawZoneReader(store, pipeline), config, chunkedFullLoad,
                io, counters);
    }

    @Override
    public String name() {
        return "processed zone (" + catalog.describe() + ")";
    }

    @Override
    public void recover(Checkpoint checkpoint) throws IOException {
        tables.clear();
        loadDone = checkpoint.fullLoadDone();
        if (checkpoint.isNone()) {
            return;
        }
        long replayed = 0;
        for (RawZoneReader.TableFiles files : raw.tables()) {
            TableId id = files.table();
            Optional<Table> table = guard(() -> catalog.load(id));
            String after = "";
            boolean loadFiles;
            if (table.isPresent()) {
                ProcessedTable t = new ProcessedTable(id, table.get(), maintenance);
                t.loadDone(loadDone);
                tables.put(id, t);
                if (!checkpoint.fullLoadDone() && !chunkedFullLoad) {
                    guard(() -> t.truncate());
                }
                after = t.committedPosition();
                loadFiles = checkpoint.fullLoadDone() && !chunkedFullLoad && !t.loadDone();
            } else {
                loadFiles = checkpoint.fullLoadDone();
                if (!loadFiles) {
                    continue;
                }
            }
            long[] n = {0};
            RawZoneReader.EventConsumer apply = e -> {
                stage(e);
                n[0]++;
            };
            if (loadFiles) {
                String from = after;
                for (String load : files.loadFiles()) {
                    raw.read(load, e -> {
                        if (from.isEmpty() || e.position().compareTo(from) > 0) {
                            apply.accept(e);
                        }
                    });
                }
            }
            raw.replayChanges(files, after, checkpoint.position(), apply);
            replayed += n[0];
        }
        commitAll();
        if (replayed > 0) {
            LOG.info("processed zone: replayed {} raw-zone events up to checkpoint {}", replayed, checkpoint.sequence());
        }
    }

    @Override
    public void write(List<ChangeEvent> events) throws IOException {
        for (ChangeEvent e : events) {
            stage(e);
        }
    }

    private void stage(ChangeEvent e) throws IOException {
        if (e.op() == io.dataflow.api.Op.RELOAD) {
            return; // a reload keeps the table's rows: the rows read again are merged as they arrive
        }
        // a TRUNCATE may carry no columns (the first event after a restart): it empties the table if there is one
        ProcessedTable t = e.op() == io.dataflow.api.Op.TRUNCATE && e.schema().keyColumns().isEmpty() ? existing(e.table()) : table(e.schema());
        if (t != null) {
            guard(() -> {
                t.stage(e);
                return null;
            });
        }
    }

    /** The table of a source table if the processed zone has it; null otherwise (never created here). */
    private ProcessedTable existing(io.dataflow.api.TableId id) throws IOException {
        return open(id, () -> null);
    }

    /** The table in use for a source table, else the catalog's, else {@code absent}'s (which may create it, or give null). */
    private ProcessedTable open(io.dataflow.api.TableId id, java.util.function.Supplier<Table> absent) throws IOException {
        synchronized (tables) {
            ProcessedTable t = tables.get(id);
            if (t == null) {
                Table table = guard(() -> catalog.load(id).orElseGet(absent));
                if (table == null) {
                    return null;
                }
                t = new ProcessedTable(id, table, maintenance);
                t.loadDone(loadDone);
                tables.put(id, t);
            }
            return t;
        }
    }

    /** The table of a source table, created on first use; null for a table without a primary key. */
    private ProcessedTable table(TableSchema schema) throws IOException {
        ProcessedTable t = tables.get(schema.id());
        if (t != null) {
            return t;
        }
        if (keyless(schema, keyless)) {
            return null;
        }
        return open(schema.id(), () -> create(schema));
    }

    /**
     * Whether a table has no primary key, so that the processed zone leaves it out (an update does not say which old row
     * it replaced); reported once per table, {@code reported} holding those already reported.
     */
    static boolean keyless(TableSchema schema, Set<TableId> reported) {
        if (!schema.keyColumns().isEmpty()) {
            return false;
        }
        if (reported.add(schema.id())) {
            LOG.warn("processed zone: {} has no primary key, so its current state cannot be derived from changes; it is kept in"
                    + " the raw zone only (add a primary key to the source table to include it)", schema.id());
        }
        return true;
    }

    private Table create(TableSchema schema) {
        return create(catalog, config, schema.id(), schema);
    }

    /**
     * Creates the processed table {@code into} for a source table of {@code schema}: its Iceberg schema, the partition
     * spec the pipeline file gives the source table, and the table properties every processed table has.
     */
    static Table create(ProcessedCatalog catalog, ProcessedConfig config, TableId into, TableSchema schema) {
        Schema s = IcebergValues.schema(schema);
        String source = schema.id().toString();
        PartitionSpec spec = PartitionSpecs.of(s, source, config.partitionBy().getOrDefault(source, List.of()));
        Map<String, String> props = new HashMap<>();
        props.put("format-version", "2");
        props.put("write.format.default", "parquet");
        props.put("write.parquet.compression-codec", "zstd");
        props.put("write.delete.mode", "merge-on-read");
        props.put("write.update.mode", "merge-on-read");
        props.put("write.merge.mode", "merge-on-read");
        props.put("write.target-file-size-bytes", Long.toString(config.maintenance().targetFileSize()));
        props.put("write.metadata.previous-versions-max", "50");
        props.put("commit.retry.num-retries", "10"); // writers of a Kafka Connect sink commit to one table at once
        props.put("dataflow.source-table", source);
        LOG.info("processed zone: creating {} at {}", into, catalog.location(into));
        return catalog.create(into, s, spec, props);
    }

    @Override
    public void tick(long nowMillis) throws IOException {
        if (lastCommitMillis < 0) {
            lastCommitMillis = nowMillis;
        }
        if (nowMillis - lastCommitMillis >= config.commitInterval().toMillis()) {
            committedSinceFlush = committedSinceFlush.plus(commitAll());
            lastCommitMillis = nowMillis;
            if (lastMaintenanceMillis < 0) {
                lastMaintenanceMillis = nowMillis;
            }
            if (loadDone && nowMillis - lastMaintenanceMillis >= config.maintenance().interval().toMillis()) {
                maintain(nowMillis);
                lastMaintenanceMillis = nowMillis;
            }
        }
    }

    /** Compacts, expires snapshots and removes orphan files where due (tables have nothing staged: called after a commit). */
    public void maintain(long nowMillis) throws IOException {
        for (ProcessedTable t : tables.values()) {
            synchronized (t) {
                guard(() -> {
                    maintenance.run(t, nowMillis);
                    return null;
                });
            }
        }
    }

    @Override
    public FlushResult flush() throws IOException {
        if (stagedBytes() > MAX_STAGED_BYTES) {
            committedSinceFlush = committedSinceFlush.plus(commitAll());
        }
        FlushResult r = committedSinceFlush;
        committedSinceFlush = FlushResult.EMPTY;
        return r;
    }

    /** Commits every table's staged changes. */
    public FlushResult commitAll() throws IOException {
        FlushResult r = FlushResult.EMPTY;
        for (ProcessedTable t : tables.values()) {
            if (t.hasStaged()) {
                synchronized (t) {
                    long unfilledBefore = t.unfilledValues();
                    r = r.plus(guard(t::commit));
                    counters.add(SinkCounters.PROCESSED_COMMITS, 1);
                    if (t.unfilledValues() > unfilledBefore) {
                        counters.add(SinkCounters.PROCESSED_UNFILLED_VALUES, t.unfilledValues() - unfilledBefore);
                    }
                }
            }
        }
        return r;
    }

    /** Nothing to drop: staged events stay valid, and the replay that follows a discard re-delivers them to no effect. */
    @Override
    public void discard() {}

    /** Staged changes are not counted: they do not hold back the pipeline's checkpoint, and are bounded here. */
    @Override
    public long stagedBytes() {
        long n = 0;
        for (ProcessedTable t : tables.values()) {
            n += t.stagedBytes();
        }
        return n;
    }

    @Override
    public void fullLoadComplete() throws IOException {
        loadDone = true;
        tables.values().forEach(t -> t.loadDone(true));
        commitAll();
    }

    @Override
    public void close() throws IOException {
        try {
            commitAll();
        } finally {
            catalog.close();
        }
    }

    @Override
    public Optional<BulkLoad> bulkLoad() {
        return Optional.of((schema, chunk) -> {
            ProcessedTable t = table(schema);
            if (t == null) {
                return new ChunkWriter() {
                    @Override
                    public void write(LoadBatch rows) {}

                    @Override
                    public long commit() {
                        return 0;
                    }

                    @Override
                    public void close() {}
                };
            }
            return guard(() -> new LoadChunk(t, schema, chunk));
        });
    }

    /** Runs Iceberg work, turning its unchecked failures into the I/O failures the pipeline classifies and retries. */
    static <T> T guard(IcebergWork<T> work) throws IOException {
        try {
            return work.run();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (org.apache.iceberg.exceptions.CommitFailedException | org.apache.iceberg.exceptions.ValidationException e) {
            throw new IOException("Iceberg commit failed: " + e.getMessage(), e);
        }
    }

    /** A piece of Iceberg work. */
    interface IcebergWork<T> {
        T run() throws IOException;
    }
}
