package io.dataflow.lake.processed;

import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.data.DeleteLoader;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;

/**
 * The live rows of one data file: its rows with the position deletes that apply to it taken out, streamed. Delete
 * files are read on the calling thread: Iceberg's default reads them on a pool shared by the whole JVM (one thread per
 * core), and several writers reading at once (the tasks of a Kafka Connect worker) filled it with reads that wait for
 * reads queued behind them, for ever.
 */
final class LiveRows {
    private LiveRows() {}

    /** Reads the columns of {@code requested} (plus what the deletes need) of the task's file. */
    static CloseableIterable<Record> read(Table table, FileScanTask task, Schema requested) {
        GenericDeleteFilter filter = new GenericDeleteFilter(table.io(), task, table.schema(), requested) {
            @Override
            protected DeleteLoader newDeleteLoader() {
                return new BaseDeleteLoader(this::loadInputFile, CallerThread.INSTANCE);
            }
        };
        Schema read = filter.requiredSchema();
        return filter.filter(Parquet.read(table.io().newInputFile(task.file().location(), task.file().fileSizeInBytes()))
                .project(read)
                .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(read, fileSchema))
                .build());
    }
}
