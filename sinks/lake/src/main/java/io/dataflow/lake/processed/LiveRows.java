package io.dataflow.lake.processed;

import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import java.util.concurrent.ExecutorService;
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
    private static final ExecutorService CALLER = new CallerThread();

    private LiveRows() {}

    /** Reads the columns of {@code requested} (plus what the deletes need) of the task's file. */
    static CloseableIterable<Record> read(Table table, FileScanTask task, Schema requested) {
        GenericDeleteFilter filter = new GenericDeleteFilter(table.io(), task, table.schema(), requested) {
            @Override
            protected DeleteLoader newDeleteLoader() {
                return new BaseDeleteLoader(this::loadInputFile, CALLER);
            }
        };
        Schema read = filter.requiredSchema();
        return filter.filter(Parquet.read(table.io().newInputFile(task.file().location(), task.file().fileSizeInBytes()))
                .project(read)
                .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(read, fileSchema))
                .build());
    }

    /** Runs each task at once on the thread that submits it; never shut down. */
    private static final class CallerThread extends java.util.concurrent.AbstractExecutorService {
        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void shutdown() {}

        @Override
        public java.util.List<Runnable> shutdownNow() {
            return java.util.List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, java.util.concurrent.TimeUnit unit) {
            return false;
        }
    }
}
