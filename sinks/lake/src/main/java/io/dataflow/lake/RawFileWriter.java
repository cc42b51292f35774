package io.dataflow.lake;

import io.dataflow.api.LoadBatch;
import io.dataflow.api.LogicalType;
import io.dataflow.api.Op;
import io.dataflow.api.SourcePositions;
import io.dataflow.api.TableSchema;
import io.dataflow.api.ObjectStore;
import io.dataflow.api.ObjectStore.PendingObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * One raw-zone Parquet file (rows of one table, one schema, one partition), written column by column: flat integer and
 * byte-array columns (most columns, and the raw zone's own columns) by {@link FlatColumnEncoder}s straight from the
 * rows' arrays, the others (lists, decimals, floats, booleans) by parquet-java's column writers; both into one row
 * group's page store, a row group written out at {@link #ROW_GROUP_BYTES}. Rows come as full-load batches ({@link
 * #write(LoadBatch)}: {@code Op = I}, the snapshot time as {@code _commit_ts}, each row's full-load position) or as
 * change rows ({@link #write(ChangeRows)}). The file's encodings, statistics and values are those parquet-java's own
 * record writer gives the same rows (the tests compare both). Published on {@link #commit()}.
 */
final class RawFileWriter implements AutoCloseable {
    static final int ROW_GROUP_BYTES = 64 << 20;
    private static final ParquetProperties.WriterVersion VERSION = ParquetProperties.WriterVersion.PARQUET_1_0;
    private static final byte[] READ = Op.READ.code().getBytes(StandardCharsets.UTF_8);

    private final TableSchema schema;
    private final MessageType parquetSchema;
    private final ParquetProperties props;
    private final BytesInputCompressor compressor;
    private final PendingObject pending;
    private final ParquetFileWriter file;
    private final Map<String, String> metadata;
    private final LogicalType[] types;
    private final long rowGroupBytes;
    private final FlatColumnEncoder.Scratch scratch = new FlatColumnEncoder.Scratch();
    private byte[] positions = new byte[0];
    /** The batch's commit time in every row, and no nulls: the {@code _commit_ts} column. */
    private long[] commitTimes = new long[0];
    private boolean[] noNulls = new boolean[0];
    private ColumnChunkPageWriteStore pages;
    /** The encoders of this row group, by leaf; null for the leaves written by parquet-java's column writers. */
    private FlatColumnEncoder[] encoders;
    /** Parquet-java's column store and writers for the other leaves (null when there are none). */
    private ColumnWriteStore columns;
    private ColumnWriter[] writers;
    private long rows;
    private long groupRows;
    private boolean closed;

    RawFileWriter(ObjectStore store, String key, TableSchema schema, CompressionCodecName codec, Map<String, String> metadata)
            throws IOException {
        this(store, key, schema, codec, metadata, ROW_GROUP_BYTES);
    }

    /** @param rowGroupBytes buffered bytes at which a row group is written out */
    RawFileWriter(ObjectStore store, String key, TableSchema schema, CompressionCodecName codec, Map<String, String> metadata,
            long rowGroupBytes) throws IOException {
        this.schema = schema;
        this.rowGroupBytes = rowGroupBytes;
        this.parquetSchema = ParquetSchemas.of(schema);
        this.metadata = Map.copyOf(metadata);
        this.types = schema.columns().stream().map(c -> c.type()).toArray(LogicalType[]::new);
        if (parquetSchema.getColumns().size() != types.length + ParquetSchemas.RESERVED.size()) {
            throw new IllegalArgumentException("table " + schema.id() + " has nested columns the chunk writer cannot write");
        }
        this.props = properties(schema);
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

    /**
     * Parquet version-1 pages, dictionaries and statistics; no dictionary for the position (unique per row) nor for
     * binary columns (bytea, BLOB), where a dictionary would only hold a copy of large values.
     */
    static ParquetProperties properties(TableSchema schema) {
        ParquetProperties.Builder b = ParquetProperties.builder().withWriterVersion(VERSION).withDictionaryEncoding(true)
                .withDictionaryEncoding(ParquetSchemas.POSITION, false).withStatisticsEnabled(true);
        for (io.dataflow.api.Column c : schema.columns()) {
            if (c.type().kind() == LogicalType.Kind.BYTES) {
                b.withDictionaryEncoding(c.name(), false);
            }
        }
        return b.build();
    }

    private void startRowGroup() {
        pages = new ColumnChunkPageWriteStore(compressor, parquetSchema, props.getAllocator(), props.getColumnIndexTruncateLength(),
                props.getPageWriteChecksumEnabled());
        List<ColumnDescriptor> leaves = parquetSchema.getColumns();
        encoders = new FlatColumnEncoder[leaves.size()];
        List<Type> rest = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            ColumnDescriptor leaf = leaves.get(i);
            PageWriter writer = pages.getPageWriter(leaf);
            switch (encoding(i, leaf)) {
                case LONG -> encoders[i] = new LongColumnEncoder(leaf, writer, props, scratch);
                case BYTES -> encoders[i] = new BytesColumnEncoder(leaf, writer, props, scratch);
                default -> rest.add(parquetSchema.getType(i));
            }
        }
        writers = new ColumnWriter[leaves.size()];
        columns = null;
        if (!rest.isEmpty()) {
            MessageType others = new MessageType(parquetSchema.getName(), rest);
            columns = props.newColumnWriteStore(others, pages, pages);
            for (ColumnDescriptor leaf : others.getColumns()) {
                writers[parquetSchema.getFieldIndex(leaf.getPath()[0])] = columns.getColumnWriter(leaf);
            }
        }
    }

    /**
     * How leaf {@code i} is written: LONG or BYTES by this class's own encoders (flat integer and byte-array columns
     * whose batch storage matches), OBJECT for parquet-java's column writers (everything else).
     */
    private LoadBatch.Storage encoding(int i, ColumnDescriptor leaf) {
        if (leaf.getMaxRepetitionLevel() > 0) {
            return LoadBatch.Storage.OBJECT;
        }
        PrimitiveTypeName physical = leaf.getPrimitiveType().getPrimitiveTypeName();
        LoadBatch.Storage storage = i < 2 || i >= types.length + 2
                ? (physical == PrimitiveTypeName.INT64 ? LoadBatch.Storage.LONG : LoadBatch.Storage.BYTES)
                : LoadBatch.storage(types[i - 2].kind());
        boolean integer = physical == PrimitiveTypeName.INT32 || physical == PrimitiveTypeName.INT64;
        if (storage == LoadBatch.Storage.LONG && integer) {
            return storage;
        }
        if (storage == LoadBatch.Storage.BYTES && physical == PrimitiveTypeName.BINARY) {
            return storage;
        }
        return LoadBatch.Storage.OBJECT;
    }

    TableSchema schema() {
        return schema;
    }

    long rows() {
        return rows;
    }

    /** Full-load rows. */
    void write(LoadBatch batch) throws IOException {
        int n = batch.size();
        if (n == 0) {
            return;
        }
        if (commitTimes.length < n || commitTimes[0] != batch.commitTimeMicros()) {
            commitTimes = new long[Math.max(n, commitTimes.length)];
            Arrays.fill(commitTimes, batch.commitTimeMicros());
            noNulls = new boolean[commitTimes.length];
        }
        ((BytesColumnEncoder) encoders[0]).writeStrided(READ, 0, READ.length, n);
        ((LongColumnEncoder) encoders[1]).write(commitTimes, noNulls, 0, n);
        values(batch, n);
        int after = types.length + 2;
        if (positions.length < n * SourcePositions.FULL_LOAD_LENGTH) {
            positions = new byte[n * SourcePositions.FULL_LOAD_LENGTH];
        }
        SourcePositions.fullLoad(batch.snapshotLogPosition(), batch.ordinals(), n, positions);
        ((BytesColumnEncoder) encoders[after]).writeStrided(positions, SourcePositions.FULL_LOAD_LENGTH, SourcePositions.FULL_LOAD_LENGTH, n);
        for (int k = after + 1; k < encoders.length; k++) {
            ((BytesColumnEncoder) encoders[k]).writeNulls(n);
        }
        endRows(n);
    }

    /** Change rows (of this file's schema). */
    void write(ChangeRows rows) throws IOException {
        int n = rows.size();
        if (n == 0) {
            return;
        }
        ((BytesColumnEncoder) encoders[0]).write(rows.ops, rows.zeros, rows.opLengths, rows.noNulls, 0, n);
        ((LongColumnEncoder) encoders[1]).write(rows.commitTimes, rows.noNulls, 0, n);
        values(rows.values(), n);
        int after = types.length + 2;
        ((BytesColumnEncoder) encoders[after]).write(rows.positions, rows.zeros, rows.positionLengths, rows.noNulls, 0, n);
        ((BytesColumnEncoder) encoders[after + 1]).write(rows.txIds, rows.zeros, rows.txIdLengths, rows.noTxId, 0, n);
        ((BytesColumnEncoder) encoders[after + 2]).write(rows.unchanged, rows.zeros, rows.unchangedLengths, rows.noUnchanged, 0, n);
        endRows(n);
    }

    /** The table's columns of rows {@code 0..n} of the batch. */
    private void values(LoadBatch batch, int n) throws IOException {
        for (int c = 0; c < types.length; c++) {
            FlatColumnEncoder e = encoders[c + 2];
            if (e instanceof LongColumnEncoder longs) {
                longs.write(batch.longs(c), batch.nulls(c), 0, n);
            } else if (e instanceof BytesColumnEncoder bytes) {
                bytes.write(batch.arrays(c), batch.offsets(c), batch.lengths(c), batch.nulls(c), 0, n);
            } else {
                column(batch, c, writers[c + 2], n);
            }
        }
    }

    /** Ends {@code n} rows written to every column; writes the row group out once it holds its size. */
    private void endRows(int n) throws IOException {
        if (columns != null) {
            for (int r = 0; r < n; r++) {
                columns.endRecord();
            }
        }
        rows += n;
        groupRows += n;
        if (bufferedBytes() >= rowGroupBytes) {
            flushRowGroup();
            startRowGroup();
        }
    }

    /** Bytes already streamed out plus bytes buffered for the row group. */
    long stagedBytes() {
        return pending.bytesWritten() + bufferedBytes();
    }

    private long bufferedBytes() {
        long bytes = columns == null ? 0 : columns.getBufferedSize();
        for (FlatColumnEncoder e : encoders) {
            if (e != null) {
                bytes += e.bufferedBytes();
            }
        }
        return bytes;
    }

    /**
     * Writes one table column of the batch that the encoders leave to parquet-java (see {@link #encoding}): booleans,
     * floats, decimals and arrays. Values are at definition level 1, nulls at 0 (arrays: see ColumnValues).
     */
    private void column(LoadBatch b, int c, ColumnWriter w, int n) {
        boolean[] nulls = b.nulls(c);
        LogicalType t = types[c];
        switch (b.storage(c)) {
            case LONG -> {
                long[] v = b.longs(c);
                for (int r = 0; r < n; r++) {
                    if (nulls[r]) {
                        w.writeNull(0, 0);
                    } else {
                        w.write(v[r] != 0, 0, 1);
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
            case BYTES -> throw new IllegalStateException("column " + t + " is written by its BytesColumnEncoder");
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
            for (FlatColumnEncoder e : encoders) {
                if (e != null) {
                    e.finish();
                }
            }
            if (columns != null) {
                columns.flush();
            }
            pages.flushToFileWriter(file);
            file.endBlock();
            groupRows = 0;
        }
        if (columns != null) {
            columns.close();
        }
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
                if (columns != null) {
                    columns.close();
                }
                pages.close();
            } catch (RuntimeException ignored) {
                // aborting: the content does not matter
            }
            pending.close();
        }
    }
}
