package io.dataflow.lake.processed;

import io.dataflow.api.LoadBatch;
import io.dataflow.api.Sink;
import io.dataflow.api.TableSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * One chunk of a table's parallel full load into its processed table: the rows go straight into data files (no lookup:
 * the full load reads each key once), committed as one Iceberg snapshot that also removes any files an earlier attempt
 * of the same chunk committed, so a chunk redone after a crash replaces its rows instead of adding them twice.
 */
final class LoadChunk implements Sink.ChunkWriter {
    private static final java.util.concurrent.atomic.AtomicLong TASKS = new java.util.concurrent.atomic.AtomicLong(1_000_000);
    private final ProcessedTable owner;
    private final Table table;
    private final TableSchema schema;
    private final String tag;
    private final FanoutDataWriter<Record> writer;
    private final int[] toTable;
    private final PartitionKey partition;
    private final InternalRecordWrapper wrapper;
    private final GenericRecord record;
    private final PartitionSpec spec;
    private boolean done;

    LoadChunk(ProcessedTable owner, TableSchema schema, int chunk) {
        this.owner = owner;
        this.table = owner.table();
        this.schema = schema;
        this.tag = String.format(Locale.ROOT, "load%08d", chunk);
        Schema s = table.schema();
        this.spec = table.spec();
        OutputFileFactory files = OutputFileFactory.builderFor(table, 0, TASKS.incrementAndGet()).format(FileFormat.PARQUET)
                .operationId(tag + "-" + java.util.UUID.randomUUID()).build();
        GenericFileWriterFactory factory = new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
        long target = Long.parseLong(table.properties().getOrDefault("write.target-file-size-bytes", Long.toString(128L << 20)));
        this.writer = new FanoutDataWriter<>(factory, files, table.io(), target);
        this.toTable = new int[schema.columns().size()];
        for (int i = 0; i < toTable.length; i++) {
            toTable[i] = -1;
            for (int c = 0; c < s.columns().size(); c++) {
                if (s.columns().get(c).name().equals(schema.columns().get(i).name())) {
                    toTable[i] = c;
                }
            }
        }
        this.partition = new PartitionKey(spec, s);
        this.wrapper = new InternalRecordWrapper(s.asStruct());
        this.record = GenericRecord.create(s);
    }

    @Override
    public void write(LoadBatch rows) throws IOException {
        for (int r = 0; r < rows.size(); r++) {
            Object[] row = rows.row(r);
            for (int c = 0; c < record.size(); c++) {
                record.set(c, null);
            }
            for (int i = 0; i < toTable.length; i++) {
                if (toTable[i] >= 0) {
                    record.set(toTable[i], IcebergValues.value(row[i], schema.columns().get(i).type()));
                }
            }
            partition.partition(wrapper.wrap(record));
            writer.write(record, spec, partition.copy());
        }
    }

    @Override
    public long commit() throws IOException {
        writer.close();
        done = true;
        List<DataFile> added = writer.result().dataFiles();
        return ProcessedZone.guard(() -> {
            synchronized (owner) {
                table.refresh();
                List<DataFile> earlier = new ArrayList<>();
                if (table.currentSnapshot() != null) {
                    try (CloseableIterable<FileScanTask> tasks = CallerThread.planFiles(table, null)) {
                        for (FileScanTask t : tasks) {
                            String name = t.file().location().substring(t.file().location().lastIndexOf('/') + 1);
                            if (name.contains("-" + tag + "-")) {
                                earlier.add(t.file());
                            }
                        }
                    }
                }
                OverwriteFiles overwrite = table.newOverwrite();
                earlier.forEach(overwrite::deleteFile);
                long bytes = 0;
                for (DataFile f : added) {
                    overwrite.addFile(f);
                    bytes += f.fileSizeInBytes();
                }
                overwrite.set(ProcessedTable.POSITION, owner.committedPosition());
                overwrite.commit();
                return bytes;
            }
        });
    }

    @Override
    public void close() throws IOException {
        if (!done) {
            writer.close();
            for (DataFile f : writer.result().dataFiles()) {
                table.io().deleteFile(f.location());
            }
        }
    }
}
