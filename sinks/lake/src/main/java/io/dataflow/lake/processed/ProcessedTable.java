package io.dataflow.lake.processed;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.Column;
import io.dataflow.api.Op;
import io.dataflow.api.Sink.FlushResult;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.DeleteGranularity;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DeleteWriteResult;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.FanoutPositionOnlyDeleteWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One table of the processed zone: an Iceberg table equal to the source table as of its last commit.
 *
 * <p>Changes are staged in {@link PendingChanges} (reduced to the last state per key) and applied by {@link #commit()}
 * as one Iceberg row delta: the staged keys are looked up in the data files whose key statistics can hold them
 * ({@link KeyIndex}), each live row found is removed with a <em>position delete</em> (file and row number), and the
 * new row images are appended in one file sorted by key. No equality deletes are written, so every Iceberg reader
 * (Athena, Trino, Spark, DuckDB, PyIceberg, Snowflake) reads the table, and a read costs one pass over the data files
 * and their small position-delete files. Every commit records the highest source position it covers in the snapshot
 * summary ({@value #POSITION}); events at or below it are skipped, so a replay after a crash applies nothing twice.
 */
final class ProcessedTable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessedTable.class);
    static final String POSITION = "dataflow.position";
    static final String LOAD_DONE = "dataflow.load-done";
    private static final AtomicLong TASKS = new AtomicLong();
    private final Table table;
    private final TableId id;
    private final PendingChanges pending = new PendingChanges();
    private String committed;
    private TableSchema model;
    private int[] modelToTable;
    /** Columns of the table's schema and where its key columns stand, as of the last {@link #evolve}: per-event work. */
    private int columnCount;
    private int[] keyColumns;
    private long unfilled;
    private boolean loadDone;
    private final TableMaintenance rewriter;
    /** Several writers commit to this table at once, each its own keys ({@link SharedProcessedZone}). */
    private boolean shared;
    /** A column the table holds with a wider type than an event's keeps it (a shared table; a rebuild in place). */
    private boolean keepsWider;
    /** In a shared table, what this writer's file names hold ({@code -s<tag>c}): it compacts only its own files. */
    private String filePrefix = "c";
    /** Table properties every commit sets, in the same Iceberg commit as the rows (a shared writer's progress). */
    private Map<String, String> progress = Map.of();
    /** Per column of the event schema: the wider Iceberg type the table keeps for it (a shared table), else null. */
    private Type[] widenTo;

    ProcessedTable(TableId id, Table table) {
        this(id, table, new TableMaintenance(io.dataflow.config.ProcessedConfig.Maintenance.DEFAULT, new io.dataflow.runtime.SinkCounters(), null));
    }

    ProcessedTable(TableId id, Table table, TableMaintenance rewriter) {
        this.id = id;
        this.table = table;
        this.rewriter = rewriter;
        this.committed = positionOf(table.currentSnapshot());
    }

    /**
     * From now on other writers commit to the table too, each its own keys: commits start from the table's latest
     * version, and the schema only grows (an event written before a column came, or with its narrower type, is written
     * into the table's wider schema; a column the event lacks is kept).
     */
    void shared(String writer) {
        this.shared = true;
        this.keepsWider = true;
        this.filePrefix = "s" + writer.replaceAll("[^A-Za-z0-9]", "_") + "x" + Integer.toHexString(writer.hashCode()) + "c";
    }

    /**
     * The table is being refilled from the start of the raw zone while its schema is already the newest: an event of an
     * older schema with a narrower type (an int before the column became bigint) is written into the wider column
     * instead of the column being renamed away.
     */
    void replaysHistory() {
        this.keepsWider = true;
    }

    /**
     * Whether a data file is this writer's: every file of an unshared table; in a shared one, the files it wrote (its
     * keys' rows, which only it deletes from, so compacting them never races another writer's deletes).
     */
    boolean owns(String location) {
        return !shared || location.contains("-" + filePrefix);
    }

    /** The operation id of files this writer writes: its prefix and {@code what}, unique. */
    String operationId(String what) {
        return filePrefix + what + UUID.randomUUID();
    }

    /** Table properties the next commits set with their rows (e.g. how far a writer's stream is applied). */
    void progress(Map<String, String> properties) {
        this.progress = properties;
    }

    static String positionOf(Snapshot s) {
        return s == null ? "" : s.summary().getOrDefault(POSITION, "");
    }

    /** Whether the table's last commit recorded the full load as complete. */
    boolean loadDone() {
        Snapshot s = table.currentSnapshot();
        return s != null && "true".equals(s.summary().get(LOAD_DONE));
    }

    /** From now on commits record the full load as complete (once it is). */
    void loadDone(boolean done) {
        this.loadDone = done;
    }

    /** Removes every row (a full load that starts over); the committed position goes back to none. */
    synchronized Void truncate() {
        if (table.currentSnapshot() != null) {
            table.newDelete().scanManifestsWith(CallerThread.INSTANCE).deleteFromRowFilter(org.apache.iceberg.expressions.Expressions.alwaysTrue())
                    .set(POSITION, "").commit();
        }
        committed = "";
        pending.clear();
        return null;
    }

    /**
     * The source emptied the table at {@code position}: what is staged (all of it before) is dropped and every row is
     * deleted, in one commit that records the position, so a replay does not empty the table again.
     */
    private synchronized void truncateAt(String position) {
        pending.clear();
        if (table.currentSnapshot() != null) {
            table.newDelete().scanManifestsWith(CallerThread.INSTANCE).deleteFromRowFilter(org.apache.iceberg.expressions.Expressions.alwaysTrue())
                    .set(POSITION, position).commit();
        }
        committed = position.compareTo(committed) > 0 ? position : committed;
        LOG.info("processed zone {}: emptied (TRUNCATE in the source at {})", id, position);
    }

    TableId id() {
        return id;
    }

    Table table() {
        return table;
    }

    /** The highest source position this table's last commit covers; empty before the first change commit. */
    String committedPosition() {
        return committed;
    }

    long stagedBytes() {
        return pending.bytes();
    }

    boolean hasStaged() {
        return !pending.isEmpty();
    }

    /** Values an update left out (unchanged TOAST) that were found neither staged nor in the table, since start. */
    long unfilledValues() {
        return unfilled;
    }

    /** Stages one change; events at or below the committed position are ignored (they are in the table already). */
    void stage(ChangeEvent e) {
        stage(e, false);
    }

    /**
     * Stages one change; with {@code always}, even one at or below the committed position (a rebuild reads full-load
     * files whose positions do not ascend from one file to the next).
     */
    void stage(ChangeEvent e, boolean always) {
        if (!always && !committed.isEmpty() && e.position().compareTo(committed) <= 0) {
            return;
        }
        if (e.op() == Op.TRUNCATE) {
            truncateAt(e.position());
            return;
        }
        if (model == null || !model.sameShape(e.schema())) {
            evolve(e.schema());
        }
        Object[] values = new Object[columnCount];
        BitSet unchanged = new BitSet();
        for (int i = 0; i < modelToTable.length; i++) {
            int t = modelToTable[i];
            if (t >= 0) {
                Column c = e.schema().columns().get(i);
                values[t] = IcebergValues.value(e.row()[i], c.type());
                if (widenTo != null && widenTo[i] != null) {
                    values[t] = IcebergValues.widen(values[t], widenTo[i]);
                }
                if (e.unchanged().contains(c.name())) {
                    unchanged.set(t);
                }
            }
        }
        List<Object> key = key(values);
        if (e.op() == Op.DELETE) {
            pending.delete(key, e.position());
        } else {
            pending.upsert(key, values, unchanged, e.position(), e.approximateBytes());
        }
    }

    private List<Object> key(Object[] values) {
        List<Object> key = new ArrayList<>(keyColumns.length);
        for (int c : keyColumns) {
            key.add(IcebergValues.keyPart(values[c]));
        }
        return key;
    }

    /** The field ids of the key: the identifier fields, or every column of a table without a usable key. */
    private List<Integer> keyIds() {
        Set<Integer> ids = table.schema().identifierFieldIds();
        List<Integer> out = new ArrayList<>();
        for (Types.NestedField f : table.schema().columns()) {
            if (ids.isEmpty() ? f.type().isPrimitiveType() : ids.contains(f.fieldId())) {
                out.add(f.fieldId());
            }
        }
        return out;
    }

    /**
     * Brings the Iceberg schema to the event's: staged changes are committed first (they use the old columns), then new
     * columns are added, dropped ones removed, widened types promoted; a type Iceberg cannot promote keeps the old column
     * under a new name and adds the column with its new type (reported).
     */
    private void evolve(TableSchema next) {
        if (hasStaged()) {
            commit();
        }
        if (shared) {
            table.refresh();
        }
        Schema wanted = IcebergValues.schema(next);
        UpdateSchema renames = null;
        for (Types.NestedField f : wanted.columns()) {
            Types.NestedField have = table.schema().findField(f.name());
            if (have != null && !have.type().equals(f.type()) && !(keepsWider && wider(have, f))
                    && !(f.type().isPrimitiveType() && TypeUtil.isPromotionAllowed(have.type(), f.type().asPrimitiveType()))) {
                String kept = f.name() + "__" + have.type().typeId().name().toLowerCase(java.util.Locale.ROOT) + "_before_"
                        + (table.currentSnapshot() == null ? 0 : table.currentSnapshot().sequenceNumber());
                renames = renames == null ? table.updateSchema() : renames;
                renames.renameColumn(f.name(), kept);
                LOG.warn("processed zone {}: column {} changed type from {} to {}, which Iceberg cannot promote; the old values stay"
                        + " in column {} and {} holds values from now on (rebuild the table to convert the old rows)",
                        id, f.name(), have.type(), f.type(), kept, f.name());
            }
        }
        if (renames != null) {
            renames.commit();
        }
        Schema current = table.schema();
        UpdateSchema update = null;
        Map<String, Object> defaults = new HashMap<>();
        for (Types.NestedField f : wanted.columns()) {
            Types.NestedField have = current.findField(f.name());
            if (have == null) {
                update = update == null ? table.updateSchema() : update;
                update.addColumn(f.name(), f.type());
                Column c = next.columns().get(next.indexOf(f.name()));
                if (c.defaultValue() != null) {
                    defaults.put(f.name(), IcebergValues.value(c.defaultValue(), c.type()));
                }
                LOG.info("processed zone {}: column {} added{}", id, f.name(), c.defaultValue() == null ? "" : " with default " + c.defaultValue());
            } else if (!have.type().equals(f.type()) && !(keepsWider && wider(have, f))) {
                update = update == null ? table.updateSchema() : update;
                update.updateColumn(f.name(), f.type().asPrimitiveType());
                LOG.info("processed zone {}: column {} widened from {} to {}", id, f.name(), have.type(), f.type());
            }
        }
        List<String> dropped = new ArrayList<>();
        for (Types.NestedField f : current.columns()) {
            if (wanted.findField(f.name()) == null && next.indexOf(f.name()) < 0 && !current.identifierFieldIds().contains(f.fieldId())
                    && !f.name().contains("_before_") && !shared) {
                update = update == null ? table.updateSchema() : update;
                update.deleteColumn(f.name());
                dropped.add(f.name());
                LOG.info("processed zone {}: column {} dropped", id, f.name());
            }
        }
        List<String> added = wanted.columns().stream().map(Types.NestedField::name).filter(n -> current.findField(n) == null).toList();
        if (!dropped.isEmpty() && !added.isEmpty()) {
            LOG.warn("processed zone {}: columns {} went and {} came in one change (a rename?): the new columns start empty for rows"
                    + " that existed, as change events carry no values for them; the raw zone keeps the old columns' values", id, dropped, added);
        }
        if (update != null) {
            update.commit();
        }
        if (!defaults.isEmpty() && shared) {
            LOG.info("processed zone {}: rows that existed before the new column(s) {} keep null (the writers of a shared table do not"
                    + " rewrite each other's rows; rebuild the table to fill them)", id, defaults.keySet());
        } else if (!defaults.isEmpty() && table.currentSnapshot() != null) {
            try {
                rewriter.rewriteAll(this, row -> {
                    defaults.forEach(row::setField);
                    return row;
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LOG.info("processed zone {}: rows that existed before the new column(s) {} now hold their default, as in the source", id,
                    defaults.keySet());
        }
        Schema schema = table.schema();
        modelToTable = new int[next.columns().size()];
        widenTo = null;
        for (int i = 0; i < modelToTable.length; i++) {
            modelToTable[i] = indexOf(schema, next.columns().get(i).name());
            Types.NestedField f = wanted.findField(next.columns().get(i).name());
            Types.NestedField have = modelToTable[i] < 0 || f == null ? null : schema.columns().get(modelToTable[i]);
            if (have != null && !have.type().equals(f.type())) {
                widenTo = widenTo == null ? new Type[modelToTable.length] : widenTo;
                widenTo[i] = have.type();
            }
        }
        columnCount = schema.columns().size();
        List<Integer> ids = keyIds();
        keyColumns = new int[ids.size()];
        for (int k = 0; k < keyColumns.length; k++) {
            keyColumns[k] = indexOf(schema, schema.findField(ids.get(k)).name());
        }
        model = next;
    }

    /** Whether the table's column already holds the event's type widened (the event was written before the widening). */
    private static boolean wider(Types.NestedField have, Types.NestedField event) {
        return event.type().isPrimitiveType() && have.type().isPrimitiveType()
                && TypeUtil.isPromotionAllowed(event.type(), have.type().asPrimitiveType());
    }

    private static int indexOf(Schema schema, String name) {
        List<Types.NestedField> cols = schema.columns();
        for (int i = 0; i < cols.size(); i++) {
            if (cols.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Applies the staged changes as one Iceberg commit; returns what it wrote. */
    synchronized FlushResult commit() {
        if (pending.isEmpty()) {
            return FlushResult.EMPTY;
        }
        try {
            return apply();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private FlushResult apply() throws IOException {
        if (shared) {
            table.refresh(); // another writer's commits: their files hold none of this writer's keys, but read the latest version
        }
        Schema schema = table.schema();
        List<Integer> keyIds = keyIds();
        List<List<Object>> keys = pending.sortedKeys();
        Snapshot base = table.currentSnapshot();
        OutputFileFactory files = OutputFileFactory.builderFor(table, 0, TASKS.incrementAndGet())
                .format(FileFormat.PARQUET).operationId(operationId("")).build();
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET)
                .deleteFileFormat(FileFormat.PARQUET).build();
        long target = table.properties().containsKey("write.target-file-size-bytes")
                ? Long.parseLong(table.properties().get("write.target-file-size-bytes")) : 128L << 20;
        Set<String> referenced = new HashSet<>();
        DeleteWriteResult deleted;
        Map<List<Object>, Record> prior = new HashMap<>();
        boolean needPrior = pending.changes().stream().anyMatch(c -> !c.isDelete() && !c.missing().isEmpty());
        try (FanoutPositionOnlyDeleteWriter<Record> deletes = new FanoutPositionOnlyDeleteWriter<>(writers, files, table.io(), target,
                DeleteGranularity.FILE)) { // one delete file per data file: a reader (and the next commit) reads only its own
            if (base != null) {
                List<Object> firsts = new ArrayList<>(keys.size());
                keys.forEach(k -> firsts.add(k.get(0)));
                Types.NestedField first = schema.findField(keyIds.get(0));
                KeyIndex index = new KeyIndex(first.fieldId(), first.type(), firsts);
                PositionDelete<Record> pd = PositionDelete.create();
                try (CloseableIterable<FileScanTask> tasks = CallerThread.planFiles(table, base.snapshotId())) {
                    for (FileScanTask task : tasks) {
                        if (!index.mayContain(task.file())) {
                            continue;
                        }
                        scan(task, schema, keyIds, needPrior, (key, pos, row) -> {
                            PendingChanges.Change c = pending.get(key);
                            if (c != null) {
                                PartitionSpec spec = table.specs().get(task.file().specId());
                                deletes.write(pd.set(task.file().location(), pos), spec, task.file().partition());
                                referenced.add(task.file().location());
                                if (row != null && !c.isDelete() && !c.missing().isEmpty()) {
                                    prior.put(key, row.copy());
                                }
                            }
                        });
                    }
                }
            }
            deletes.close();
            deleted = deletes.result();
        }
        List<DataFile> added;
        long rows = 0;
        try (FanoutDataWriter<Record> data = new FanoutDataWriter<>(writers, files, table.io(), target)) {
            PartitionSpec spec = table.spec();
            PartitionKey partition = new PartitionKey(spec, schema);
            InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
            GenericRecord record = GenericRecord.create(schema);
            for (List<Object> key : keys) {
                PendingChanges.Change c = pending.get(key);
                if (c.isDelete()) {
                    continue;
                }
                Object[] values = c.values();
                if (!c.missing().isEmpty()) {
                    Record before = prior.get(key);
                    for (int col = c.missing().nextSetBit(0); col >= 0; col = c.missing().nextSetBit(col + 1)) {
                        if (before != null) {
                            values[col] = before.getField(schema.columns().get(col).name());
                        } else {
                            unfilled++;
                        }
                    }
                }
                for (int col = 0; col < values.length; col++) {
                    record.set(col, values[col]);
                }
                partition.partition(wrapper.wrap(record));
                data.write(record, spec, partition.copy());
                rows++;
            }
            data.close();
            added = data.result().dataFiles();
        }
        Transaction txn = progress.isEmpty() ? null : table.newTransaction();
        RowDelta delta = (txn == null ? table.newRowDelta() : txn.newRowDelta()).scanManifestsWith(CallerThread.INSTANCE);
        long bytes = 0;
        for (DataFile f : added) {
            delta.addRows(f);
            bytes += f.fileSizeInBytes();
        }
        for (DeleteFile f : deleted.deleteFiles()) {
            delta.addDeletes(f);
            bytes += f.fileSizeInBytes();
        }
        String position = pending.lastPosition().compareTo(committed) > 0 ? pending.lastPosition() : committed;
        delta.set(POSITION, position);
        if (loadDone) {
            delta.set(LOAD_DONE, "true");
        }
        if (base != null) {
            delta.validateFromSnapshot(base.snapshotId()).validateDataFilesExist(referenced);
        }
        List<org.apache.iceberg.ContentFile<?>> written = new ArrayList<>(added);
        written.addAll(deleted.deleteFiles());
        CallerThread.commitOrRemove(table, written, () -> {
            delta.commit();
            if (txn != null) {
                UpdateProperties properties = txn.updateProperties();
                progress.forEach(properties::set);
                properties.commit();
                txn.commitTransaction();
            }
        });
        committed = position;
        int keysApplied = pending.size();
        pending.clear();
        LOG.debug("processed zone {}: {} keys applied ({} rows written, {} delete files) up to {}", id, keysApplied, rows,
                deleted.deleteFiles().size(), position);
        return new FlushResult(added.size() + deleted.deleteFiles().size(), keysApplied, bytes);
    }

    /** A live row found in a data file. */
    private interface RowVisitor {
        void visit(List<Object> key, long position, Record row) throws IOException;
    }

    /** Reads the live rows of one data file (its position deletes applied): the key columns, or whole rows when needed. */
    private void scan(FileScanTask task, Schema schema, List<Integer> keyIds, boolean wholeRows, RowVisitor visitor) throws IOException {
        Schema wanted = wholeRows ? schema : TypeUtil.select(schema, new HashSet<>(keyIds));
        Schema requested = TypeUtil.join(wanted, new Schema(MetadataColumns.ROW_POSITION));
        try (CloseableIterable<Record> rows = LiveRows.read(table, task, requested)) {
            List<String> keyNames = new ArrayList<>();
            for (int idx : keyIds) {
                keyNames.add(schema.findField(idx).name());
            }
            for (Record r : rows) {
                List<Object> key = new ArrayList<>(keyNames.size());
                for (String n : keyNames) {
                    key.add(IcebergValues.keyPart(r.getField(n)));
                }
                visitor.visit(key, (Long) r.getField(MetadataColumns.ROW_POSITION.name()), wholeRows ? r : null);
            }
        }
    }

    /** The names of the key columns. */
    List<String> keyNames() {
        List<String> names = new ArrayList<>();
        for (int id : keyIds()) {
            names.add(table.schema().findField(id).name());
        }
        return names;
    }
}
