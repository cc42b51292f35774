package io.dataflow.lake;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.LoadBatch;
import io.dataflow.api.TableSchema;
import io.dataflow.api.Checkpoint;
import io.dataflow.api.Sink;
import io.dataflow.api.TableId;
import io.dataflow.config.TargetConfig;
import io.dataflow.api.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lake's raw zone: every event becomes one row of a Parquet file per table and partition (the full
 * load, or a commit date), following {@link RawZoneLayout}. Files are streamed while staged and published
 * atomically on {@link #flush()}. A file is also cut early when its table's schema changes.
 */
public final class LakeSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(LakeSink.class);
    private final ObjectStore store;
    private final RawZoneLayout layout;
    private final CompressionCodecName codec;
    private final Map<String, ChangeFileWriter> open = new LinkedHashMap<>();
    private final Map<TableId, Integer> loadFiles = new HashMap<>();
    private final Map<TableId, ChangeFileWriter> openLoad = new HashMap<>();
    private FlushResult cutEarly = FlushResult.EMPTY;
    private long schemaCuts;

    private final boolean chunkedFullLoad;

    public LakeSink(ObjectStore store, String pipeline, TargetConfig.Compression compression) {
        this(store, pipeline, compression, false);
    }

    /**
     * @param chunkedFullLoad the full load is written in numbered chunks by {@link #bulkLoad()}, which a restart redoes
     *     one by one: recovery keeps full-load files (otherwise an unfinished full load starts over, so they go)
     */
    public LakeSink(ObjectStore store, String pipeline, TargetConfig.Compression compression, boolean chunkedFullLoad) {
        this.chunkedFullLoad = chunkedFullLoad;
        this.store = store;
        this.layout = new RawZoneLayout(pipeline);
        this.codec = switch (compression) {
            case ZSTD -> CompressionCodecName.ZSTD;
            case SNAPPY -> CompressionCodecName.SNAPPY;
            case UNCOMPRESSED -> CompressionCodecName.UNCOMPRESSED;
        };
    }

    @Override
    public String name() {
        return "lake " + store.describe();
    }

    /** Files cut early because a table's schema changed, since start. */
    public long schemaCuts() {
        return schemaCuts;
    }

    @Override
    public void recover(Checkpoint checkpoint) throws IOException {
        discard();
        store.cleanUpIncomplete(layout.root());
        int removed = 0;
        loadFiles.clear();
        for (ObjectStore.ObjectInfo o : store.list(layout.root())) {
            if (RawZoneLayout.isLoadFile(o.key())) {
                if (!checkpoint.fullLoadDone() && !chunkedFullLoad) {
                    store.delete(o.key());
                    removed++;
                }
                continue;
            }
            Optional<String> pos = RawZoneLayout.positionOf(o.key());
            if (pos.isPresent() && !checkpoint.covers(pos.get())) {
                store.delete(o.key());
                removed++;
            }
        }
        if (removed > 0) {
            LOG.info("removed {} raw-zone files written after checkpoint {} (they will be written again)", removed,
                    checkpoint.sequence());
        }
    }

    @Override
    public void write(List<ChangeEvent> events) throws IOException {
        for (ChangeEvent e : events) {
            if (e.op() == io.dataflow.api.Op.RELOAD) {
                continue; // a reload keeps the lake's rows: the rows read again follow as changes
            }
            writerFor(e).write(e);
        }
    }

    private ChangeFileWriter writerFor(ChangeEvent e) throws IOException {
        if (e.fullLoad()) {
            ChangeFileWriter w = openLoad.get(e.table());
            if (w != null && !w.schema().sameShape(e.schema())) {
                cut(w);
                openLoad.remove(e.table());
                w = null;
            }
            if (w == null) {
                int n = loadFiles.merge(e.table(), 1, Integer::sum);
                w = newWriter(layout.loadFile(e.table(), n), e);
                openLoad.put(e.table(), w);
            }
            return w;
        }
        String partition = partitionOf(e);
        ChangeFileWriter w = open.get(partition);
        if (w != null && w.schema() != e.schema() && !w.schema().sameShape(e.schema())) {
            cut(w);
            open.remove(partition);
            w = null;
        }
        if (w == null) {
            w = newWriter(layout.changeFile(e.table(), e.commitTimeMicros(), e.position()), e);
            open.put(partition, w);
        }
        return w;
    }

    /** The table's folder for the event's commit day; formatted once per table and day, not per event. */
    private String partitionOf(ChangeEvent e) {
        long day = Math.floorDiv(e.commitTimeMicros(), 86_400_000_000L);
        Partition p = partitions.get(e.table());
        if (p == null || p.day() != day) {
            p = new Partition(day, layout.tableDir(e.table()) + RawZoneLayout.datePath(e.commitTimeMicros()));
            partitions.put(e.table(), p);
        }
        return p.key();
    }

    private record Partition(long day, String key) {}

    private final Map<io.dataflow.api.TableId, Partition> partitions = new java.util.HashMap<>();

    private ChangeFileWriter newWriter(String key, ChangeEvent first) throws IOException {
        return new ChangeFileWriter(store, key, first.schema(), codec, metadata(first.schema()));
    }

    private static Map<String, String> metadata(TableSchema schema) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("dataflow.table", schema.id().toString());
        meta.put("dataflow.primary_key", String.join(",", schema.keyColumns()));
        StringBuilder types = new StringBuilder();
        schema.columns().forEach(c -> types.append(types.length() == 0 ? "" : ",").append(c.name()).append(':')
                .append(c.type().sourceType().isEmpty() ? c.type().toString() : c.type().sourceType()));
        meta.put("dataflow.source_types", types.toString());
        ColumnDefaults.encode(schema).ifPresent(d -> meta.put(ColumnDefaults.KEY, d));
        return meta;
    }

    private void cut(ChangeFileWriter w) throws IOException {
        long size = w.commit();
        cutEarly = cutEarly.plus(new FlushResult(1, w.rows(), size));
        schemaCuts++;
    }

    /** The keys of the files that the next {@link #flush()} publishes (the files being written). */
    public List<String> stagedFiles() {
        List<String> keys = new ArrayList<>();
        open.values().forEach(w -> keys.add(w.key()));
        openLoad.values().forEach(w -> keys.add(w.key()));
        return keys;
    }

    @Override
    public FlushResult flush() throws IOException {
        FlushResult result = cutEarly;
        List<ChangeFileWriter> all = new ArrayList<>(open.values());
        all.addAll(openLoad.values());
        try {
            for (ChangeFileWriter w : all) {
                long size = w.commit();
                result = result.plus(new FlushResult(1, w.rows(), size));
            }
        } finally {
            open.clear();
            openLoad.clear();
            cutEarly = FlushResult.EMPTY;
        }
        return result;
    }

    @Override
    public void discard() throws IOException {
        for (ChangeFileWriter w : open.values()) {
            w.close();
        }
        for (ChangeFileWriter w : openLoad.values()) {
            w.close();
        }
        open.clear();
        openLoad.clear();
        cutEarly = FlushResult.EMPTY;
    }

    @Override
    public long stagedBytes() {
        long n = 0;
        for (ChangeFileWriter w : open.values()) {
            n += w.stagedBytes();
        }
        for (ChangeFileWriter w : openLoad.values()) {
            n += w.stagedBytes();
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        discard();
    }

    /** Chunk {@code n} of a table's parallel full load is the file {@code LOAD<n>.parquet}. */
    @Override
    public java.util.Optional<BulkLoad> bulkLoad() {
        return java.util.Optional.of((schema, chunk) -> {
            RawFileWriter w = new RawFileWriter(store, layout.loadFile(schema.id(), chunk), schema, codec, metadata(schema));
            return new ChunkWriter() {
                @Override
                public void write(LoadBatch rows) throws IOException {
                    w.write(rows);
                }

                @Override
                public long commit() throws IOException {
                    return w.commit();
                }

                @Override
                public void close() throws IOException {
                    w.close();
                }
            };
        });
    }
}
