package io.dataflow.lake.processed;

import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;

/** The live rows of one data file: its rows with the position deletes that apply to it taken out, streamed. */
final class LiveRows {
    private LiveRows() {}

    /** Reads the columns of {@code requested} (plus what the deletes need) of the task's file. */
    static CloseableIterable<Record> read(Table table, FileScanTask task, Schema requested) {
        GenericDeleteFilter filter = new GenericDeleteFilter(table.io(), task, table.schema(), requested);
        Schema read = filter.requiredSchema();
        return filter.filter(Parquet.read(table.io().newInputFile(task.file().location(), task.file().fileSizeInBytes()))
                .project(read)
                .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(read, fileSchema))
                .build());
    }
}
