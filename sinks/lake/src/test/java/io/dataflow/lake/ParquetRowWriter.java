package io.dataflow.lake;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.TableSchema;
import io.dataflow.api.ObjectStore;
import io.dataflow.api.ObjectStore.PendingObject;
import java.io.IOException;
import java.util.Map;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

/**
 * The reference for {@link RawFileWriter}: the same rows written one record at a time through parquet-java's own
 * record writer and column writers, with the same settings (page version, dictionaries, statistics, row group size).
 */
final class ParquetRowWriter implements AutoCloseable {
    private final String key;
    private final TableSchema schema;
    private final PendingObject pending;
    private final ParquetWriter<ChangeEvent> writer;
    private long rows;
    private boolean closed;

    ParquetRowWriter(ObjectStore store, String key, TableSchema schema, CompressionCodecName codec, Map<String, String> metadata)
            throws IOException {
        this.key = key;
        this.schema = schema;
        this.pending = store.create(key);
        try {
            Builder builder = new Builder(new StoreOutputFile(pending, key), new ChangeEventWriteSupport(schema, metadata))
                    .withConf(new PlainParquetConfiguration())
                    .withCodecFactory(new CodecFactory())
                    .withCompressionCodec(codec)
                    .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                    .withRowGroupSize((long) RawFileWriter.ROW_GROUP_BYTES);
            ParquetProperties props = RawFileWriter.properties(schema);
            builder.withWriterVersion(props.getWriterVersion()).withDictionaryEncoding(true).withStatisticsEnabled(true);
            for (org.apache.parquet.column.ColumnDescriptor c : ParquetSchemas.of(schema).getColumns()) {
                builder.withDictionaryEncoding(String.join(".", c.getPath()), props.isDictionaryEnabled(c));
            }
            this.writer = builder.build();
        } catch (IOException | RuntimeException e) {
            pending.close();
            throw e;
        }
    }

    String key() {
        return key;
    }

    TableSchema schema() {
        return schema;
    }

    long rows() {
        return rows;
    }

    void write(ChangeEvent e) throws IOException {
        writer.write(e);
        rows++;
    }

    /** Bytes buffered in memory plus bytes already streamed out. */
    long stagedBytes() {
        return writer.getDataSize();
    }

    /** Finishes the file and publishes it atomically; returns its size. */
    long commit() throws IOException {
        writer.close();
        long size = pending.bytesWritten();
        pending.commit();
        closed = true;
        return size;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            try {
                writer.close();
            } catch (IOException | RuntimeException ignored) {
                // aborting: the content does not matter
            }
            pending.close();
        }
    }

    private static final class Builder extends ParquetWriter.Builder<ChangeEvent, Builder> {
        private final WriteSupport<ChangeEvent> support;

        Builder(OutputFile file, WriteSupport<ChangeEvent> support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<ChangeEvent> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return support;
        }

        @Override
        protected WriteSupport<ChangeEvent> getWriteSupport(org.apache.parquet.conf.ParquetConfiguration conf) {
            return support;
        }
    }
}
