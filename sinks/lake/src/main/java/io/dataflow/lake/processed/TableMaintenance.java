package io.dataflow.lake.processed;

import io.dataflow.api.ObjectStore;
import io.dataflow.config.ProcessedConfig;
import io.dataflow.runtime.SinkCounters;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.util.StructLikeWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a processed table fast to read and to merge into, between commits on the pipeline's thread:
 * <ul>
 *   <li><b>compaction</b>: when a table holds more position-delete files or small data files than allowed, each
 *       partition's data files that have deletes, and its small files, are rewritten with their deletes applied (sorted
 *       by key when they fit the sort buffer, so key lookups prune again) and the delete files are dropped;</li>
 *   <li><b>snapshot expiry</b>: snapshots older than {@code keep-snapshots} go (the current one, which holds the
 *       committed source position, always stays), with the files only they referenced;</li>
 *   <li><b>orphan removal</b>: files under the table's {@code data/} and {@code metadata/} folders that no snapshot
 *       references (a crash between writing files and committing them) are deleted.</li>
 * </ul>
 */
final class TableMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(TableMaintenance.class);
    /** Bytes of rows sorted in memory per rewritten partition; larger rewrites keep the files' own order. */
    static final long SORT_BYTES = 64L << 20;
    private final ProcessedConfig.Maintenance settings;
    private final SinkCounters counters;
    private final ObjectStore store;
    private final StoreFileIO io;

    TableMaintenance(ProcessedConfig.Maintenance settings, SinkCounters counters, StoreFileIO io) {
        this.settings = settings;
        this.counters = counters;
        this.store = io == null ? null : io.store();
        this.io = io;
    }

    /** Runs what is due on one table; the caller holds the table's lock and has nothing staged for it. */
    void run(ProcessedTable owner, long nowMillis) throws IOException {
        run(owner, nowMillis, true, true);
    }

    /**
     * Runs what is due on a table other writers commit to at the same time: compaction of the writer's own files
     * (no other writer deletes from them, so the rewrite does not race their commits), snapshot expiry when {@code
     * expire} (one writer should), and no orphan removal (files another writer has written and not yet committed would
     * look like orphans).
     */
    void runShared(ProcessedTable owner, long nowMillis, boolean expire) throws IOException {
        run(owner, nowMillis, expire, false);
    }

    private void run(ProcessedTable owner, long nowMillis, boolean expire, boolean orphans) throws IOException {
        Table table = owner.table();
        table.refresh();
        if (table.currentSnapshot() == null) {
            return;
        }
        compact(owner);
        if (expire) {
            expire(table, nowMillis);
        }
        if (orphans) {
            removeOrphans(table);
        }
    }

    /** Compacts when the table holds too many delete files or small data files; returns the files it replaced. */
    int compact(ProcessedTable owner) throws IOException {
        Table table = owner.table();
        Snapshot base = table.currentSnapshot();
        long small = settings.targetFileSize() / 4;
        Map<StructLikeWrapper, Group> groups = new LinkedHashMap<>();
        Set<String> deleteFiles = new HashSet<>();
        int smallFiles = 0;
        try (CloseableIterable<FileScanTask> tasks = CallerThread.planFiles(table, base.snapshotId())) {
            for (FileScanTask task : tasks) {
                if (!owner.owns(task.file().location())) {
                    continue;
                }
                boolean isSmall = task.file().fileSizeInBytes() < small;
                smallFiles += isSmall ? 1 : 0;
                task.deletes().forEach(d -> deleteFiles.add(d.location()));
                if (isSmall || !task.deletes().isEmpty()) {
                    PartitionSpec spec = table.specs().get(task.file().specId());
                    StructLikeWrapper key = StructLikeWrapper.forType(spec.partitionType()).set(task.file().partition());
                    groups.computeIfAbsent(key, k -> new Group(spec, task.file().partition())).tasks.add(task);
                }
            }
        }
        if (deleteFiles.size() <= settings.maxDeleteFiles() && smallFiles <= settings.maxSmallFiles()) {
            return 0;
        }
        int replaced = 0;
        for (Group g : groups.values()) {
            if (g.tasks.size() < 2 && g.tasks.get(0).deletes().isEmpty()) {
                continue;
            }
            replaced += rewrite(owner, base, g, UnaryOperator.identity());
        }
        if (replaced > 0) {
            counters.add(SinkCounters.PROCESSED_COMPACTIONS, 1);
        }
        return replaced;
    }

    /**
     * Rewrites every live row of the table through {@code change}: how the rows that existed when a column with a
     * DEFAULT was added get that default (the source fills them without a change event).
     */
    void rewriteAll(ProcessedTable owner, UnaryOperator<Record> change) throws IOException {
        Table table = owner.table();
        Snapshot base = table.currentSnapshot();
        if (base == null) {
            return;
        }
        Map<StructLikeWrapper, Group> groups = new LinkedHashMap<>();
        try (CloseableIterable<FileScanTask> tasks = CallerThread.planFiles(table, base.snapshotId())) {
            for (FileScanTask task : tasks) {
                PartitionSpec spec = table.specs().get(task.file().specId());
                StructLikeWrapper key = StructLikeWrapper.forType(spec.partitionType()).set(task.file().partition());
                groups.computeIfAbsent(key, k -> new Group(spec, task.file().partition())).tasks.add(task);
            }
        }
        for (Group g : groups.values()) {
            rewrite(owner, table.currentSnapshot(), g, change);
        }
    }

    private static final class Group {
        final PartitionSpec spec;
        final StructLike partition;
        final List<FileScanTask> tasks = new ArrayList<>();

        Group(PartitionSpec spec, StructLike partition) {
            this.spec = spec;
            this.partition = partition;
        }
    }

    private int rewrite(ProcessedTable owner, Snapshot base, Group g, UnaryOperator<Record> change) throws IOException {
        Table table = owner.table();
        Schema schema = table.schema();
        OutputFileFactory files = OutputFileFactory.builderFor(table, 0, System.nanoTime()).format(FileFormat.PARQUET)
                .operationId(owner.operationId("compact-")).build();
        GenericFileWriterFactory factory = new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
        Set<DataFile> oldData = new HashSet<>();
        Map<String, DeleteFile> oldDeletes = new HashMap<>();
        List<Record> buffer = new ArrayList<>();
        long buffered = 0;
        boolean sorted = true;
        FanoutDataWriter<Record> writer = new FanoutDataWriter<>(factory, files, table.io(), settings.targetFileSize());
        try {
            for (FileScanTask task : g.tasks) {
                oldData.add(task.file());
                for (DeleteFile d : task.deletes()) {
                    if (owner.owns(d.location())) { // another writer's delete files name its own rows: they stay
                        oldDeletes.put(d.location(), d);
                    }
                }
                try (CloseableIterable<Record> rows = LiveRows.read(table, task, schema)) {
                    for (Record r : rows) {
                        Record row = change.apply(project(r, schema));
                        long size = estimate(row);
                        if (sorted && buffered + size <= SORT_BYTES) {
                            buffer.add(row);
                            buffered += size;
                        } else {
                            if (sorted) {
                                for (Record b : buffer) {
                                    writer.write(b, g.spec, g.partition);
                                }
                                buffer.clear();
                                sorted = false;
                            }
                            writer.write(row, g.spec, g.partition);
                        }
                    }
                }
            }
            if (sorted) {
                List<String> keys = owner.keyNames();
                buffer.sort((a, b) -> {
                    List<Object> ka = new ArrayList<>();
                    List<Object> kb = new ArrayList<>();
                    for (String k : keys) {
                        ka.add(KeyIndex.internal(a.getField(k)));
                        kb.add(KeyIndex.internal(b.getField(k)));
                    }
                    return PendingChanges.compareKeys(ka, kb);
                });
                for (Record b : buffer) {
                    writer.write(b, g.spec, g.partition);
                }
            }
        } finally {
            writer.close();
        }
        List<DataFile> added = writer.result().dataFiles();
        RewriteFiles rewrite = table.newRewrite().scanManifestsWith(CallerThread.INSTANCE).validateFromSnapshot(base.snapshotId());
        oldData.forEach(rewrite::deleteFile);
        oldDeletes.values().forEach(rewrite::deleteFile);
        added.forEach(rewrite::addFile);
        rewrite.set(ProcessedTable.POSITION, owner.committedPosition());
        if (owner.loadDone()) {
            rewrite.set(ProcessedTable.LOAD_DONE, "true");
        }
        CallerThread.commitOrRemove(table, added, rewrite::commit);
        int replaced = oldData.size() + oldDeletes.size();
        counters.add(SinkCounters.PROCESSED_FILES_COMPACTED, replaced);
        LOG.info("processed zone {}: compacted {} data files and {} delete files into {} files", owner.id(), oldData.size(),
                oldDeletes.size(), added.size());
        return replaced;
    }

    /** About how many bytes a row holds on the heap. */
    static long estimate(Record r) {
        long n = 64;
        for (int i = 0; i < r.size(); i++) {
            Object v = r.get(i, Object.class);
            n += 16 + (v instanceof CharSequence c ? 2L * c.length() : v instanceof java.nio.ByteBuffer b ? b.remaining()
                    : v instanceof java.util.Collection<?> l ? 16L * l.size() : 8);
        }
        return n;
    }

    private static Record project(Record r, Schema schema) {
        Record out = org.apache.iceberg.data.GenericRecord.create(schema);
        for (int i = 0; i < schema.columns().size(); i++) {
            out.set(i, r.getField(schema.columns().get(i).name()));
        }
        return out;
    }

    private void expire(Table table, long nowMillis) {
        int before = table.snapshots() instanceof java.util.Collection<?> c ? c.size() : 0;
        if (before <= 1) {
            return;
        }
        table.expireSnapshots().planWith(CallerThread.INSTANCE).executeDeleteWith(CallerThread.INSTANCE).expireOlderThan(nowMillis - settings.keepSnapshots().toMillis()).retainLast(1).commit();
        table.refresh();
        int after = ((java.util.Collection<?>) table.snapshots()).size();
        if (after < before) {
            counters.add(SinkCounters.PROCESSED_SNAPSHOTS_EXPIRED, before - after);
        }
    }

    /** Deletes data and manifest files no snapshot references. */
    int removeOrphans(Table table) throws IOException {
        Set<String> referenced = new HashSet<>();
        for (Snapshot s : table.snapshots()) {
            referenced.add(s.manifestListLocation());
            for (ManifestFile m : s.allManifests(table.io())) {
                referenced.add(m.path());
                if (m.content() == org.apache.iceberg.ManifestContent.DATA) {
                    try (CloseableIterable<String> paths = ManifestFiles.readPaths(m, table.io(), table.specs())) {
                        paths.forEach(referenced::add);
                    }
                } else {
                    try (var deletes = ManifestFiles.readDeleteManifest(m, table.io(), table.specs())) {
                        for (DeleteFile d : deletes) {
                            referenced.add(d.location());
                        }
                    }
                }
            }
        }
        String prefix = io.key(table.location()) + "/";
        int removed = 0;
        for (ObjectStore.ObjectInfo o : store.list(prefix)) {
            String name = o.key().substring(prefix.length());
            boolean candidate = name.startsWith("data/") || (name.startsWith("metadata/") && name.endsWith(".avro"));
            if (candidate && !referenced.contains(io.location(o.key()))) {
                store.delete(o.key());
                removed++;
            }
        }
        if (removed > 0) {
            counters.add(SinkCounters.PROCESSED_ORPHANS_REMOVED, removed);
            LOG.info("processed zone {}: removed {} files no snapshot references", table.name(), removed);
        }
        return removed;
    }
}
