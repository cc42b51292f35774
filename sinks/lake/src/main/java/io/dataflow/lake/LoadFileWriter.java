package io.dataflow.lake;

import io.dataflow.api.LoadBatch;
import io.dataflow.api.LogicalType;
import io.dataflow.api.Op;
import io.dataflow.api.SourcePositions;
import io.dataflow.api.TableSchema;
import io.dataflow.storage.ObjectStore;
import io.dataflow.storage.ObjectStore.PendingObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * One full-load chunk file, written from {@link LoadBatch}es column by column straight into Parquet's column writers
 * (no record assembly, no object per value): the same schema, encodings and statistics as {@link TableFileWriter}'s
 * files, with {@code Op = I}, the snapshot time as {@code _commit_ts} and each row's full-load position. Published on
 * {@link #commit()}.
 */
final class LoadFileWriter implements AutoCloseable {
    private static final Binary READ = Binary.fromConstantByteArray(Op.READ.code().getBytes(StandardCharsets.UTF_8));

    private final TableSchema schema;
    private final MessageType parquetSchema;
    private final ParquetProperties props;
    private final BytesInputCompressor compressor;
    private final PendingObject pending;
    private final ParquetFileWriter file;
    private final Map<String, String> metadata;
    private final LogicalType[] types;
    private final long rowGroupBytes;
    private final byte[] position = new byte[SourcePositions.FULL_LOAD_LENGTH];
    private ColumnChunkPageWriteStore pages;
    private ColumnWriteStore columns;
    private ColumnWriter[] writers;
    private long rows;
    private long groupRows;
    private boolean closed;

    LoadFileWriter(ObjectStore store, String key, TableSchema schema, CompressionCodecName codec, Map<String, String> metadata)
            throws IOException {
        this(store, key, schema, codec, metadata, TableFileWriter.ROW_GROUP_BYTES);
    }

    /** @param rowGroupBytes buffered bytes at which a row group is written out */
    LoadFileWriter(ObjectStore store, String key, TableSchema schema, CompressionCodecName codec, Map<String, String> metadata,
            long rowGroupBytes) throws IOException {
        this.schema = schema;
        this.rowGroupBytes = rowGroupBytes;
        this.parquetSchema = ParquetSchemas.of(schema);
        this.metadata = Map.copyOf(metadata);
        this.types = schema.columns().stream().map(c -> c.type()).toArray(LogicalType[]::new);
        if (parquetSchema.getColumns().size() != types.length + ParquetSchemas.RESERVED.size()) {
            throw new IllegalArgumentException("table " + schema.id() + " has nested columns the chunk writer cannot write");
        }
        this.props = TableFileWriter.properties();
        this.compressor = new CodecFactory().getCompressor(codec);
        this.pending = store.create(key);
        try {
            file = new ParquetFileWriter(new StoreOutputFile(pending, key), parquetSchema, ParquetFileWriter.Mode.OVERWRITE,
                    rowGroupBytes, 0, null, props);
            file.start();
            startRowGroup();
        } catch (IOException | RuntimeException e) {
            pending.close();
            throw e;
        }
    }

    private void startRowGroup() {
        pages = new ColumnChunkPageWriteStore(compressor, parquetSchema, props.getAllocator(), props.getColumnIndexTruncateLength(),
                props.getPageWriteChecksumEnabled());
        columns = props.newColumnWriteStore(parquetSchema, pages, pages);
        List<ColumnDescriptor> leaves = parquetSchema.getColumns();
        writers = new ColumnWriter[leaves.size()];
        for (int i = 0; i < writers.length; i++) {
            writers[i] = columns.getColumnWriter(leaves.get(i));
        }
    }

    TableSchema schema() {
        return schema;
    }

    long rows() {
        return rows;
    }

    void write(LoadBatch batch) throws IOException {
        int n = batch.size();
        ColumnWriter op = writers[0];
        ColumnWriter commitTs = writers[1];
        long ts = batch.commitTimeMicros();
        for (int r = 0; r < n; r++) {
            op.write(READ, 0, 0);
            commitTs.write(ts, 0, 0);
        }
        for (int c = 0; c < types.length; c++) {
            column(batch, c, writers[c + 2], n);
        }
        int after = types.length + 2;
        ColumnWriter pos = writers[after];
        Binary reused = Binary.fromReusedByteArray(position);
        for (int r = 0; r < n; r++) {
            SourcePositions.fullLoad(batch.snapshotLogPosition(), batch.ordinal(r), position);
            pos.write(reused, 0, 0);
        }
        for (int k = after + 1; k < writers.length; k++) {
            for (int r = 0; r < n; r++) {
                writers[k].writeNull(0, 0);
            }
        }
        for (int r = 0; r < n; r++) {
            columns.endRecord();
        }
        rows += n;
        groupRows += n;
        if (columns.getBufferedSize() >= rowGroupBytes) {
            flushRowGroup();
            startRowGroup();
        }
    }

    /** Writes one table column of the batch; values are at definition level 1, nulls at 0 (arrays: see ColumnValues). */
    private void column(LoadBatch b, int c, ColumnWriter w, int n) {
        boolean[] nulls = b.nulls(c);
        LogicalType t = types[c];
        switch (b.storage(c)) {
            case LONG -> {
                long[] v = b.longs(c);
                switch (t.kind()) {
                    case BOOLEAN -> {
                        for (int r = 0; r < n; r++) {
                            if (nulls[r]) {
                                w.writeNull(0, 0);
                            } else {
                                w.write(v[r] != 0, 0, 1);
                            }
                        }
                    }
                    case INT16, INT32, DATE -> {
                        for (int r = 0; r < n; r++) {
                            if (nulls[r]) {
                                w.writeNull(0, 0);
                            } else {
                                w.write((int) v[r], 0, 1);
                            }
                        }
                    }
                    default -> {
                        for (int r = 0; r < n; r++) {
                            if (nulls[r]) {
                                w.writeNull(0, 0);
                            } else {
                                w.write(v[r], 0, 1);
                            }
                        }
                    }
                }
            }
            case DOUBLE -> {
                double[] v = b.doubles(c);
                boolean single = t.kind() == LogicalType.Kind.FLOAT32;
                for (int r = 0; r < n; r++) {
                    if (nulls[r]) {
                        w.writeNull(0, 0);
                    } else if (single) {
                        w.write((float) v[r], 0, 1);
                    } else {
                        w.write(v[r], 0, 1);
                    }
                }
            }
            case BYTES -> {
                byte[][] arrays = b.arrays(c);
                int[] offsets = b.offsets(c);
                int[] lengths = b.lengths(c);
                for (int r = 0; r < n; r++) {
                    if (nulls[r]) {
                        w.writeNull(0, 0);
                    } else {
                        w.write(Binary.fromReusedByteArray(arrays[r], offsets[r], lengths[r]), 0, 1);
                    }
                }
            }
            case OBJECT -> {
                Object[] v = b.objects(c);
                for (int r = 0; r < n; r++) {
                    ColumnValues.write(w, t, nulls[r] ? null : v[r]);
                }
            }
        }
    }

    private void flushRowGroup() throws IOException {
        if (groupRows > 0) {
            file.startBlock(groupRows);
            columns.flush();
            pages.flushToFileWriter(file);
            file.endBlock();
            groupRows = 0;
        }
        columns.close();
        pages.close();
    }

    /** Finishes the file and publishes it atomically; returns its size. */
    long commit() throws IOException {
        flushRowGroup();
        file.end(metadata);
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
                columns.close();
                pages.close();
            } catch (RuntimeException ignored) {
                // aborting: the content does not matter
            }
            pending.close();
        }
    }
}
