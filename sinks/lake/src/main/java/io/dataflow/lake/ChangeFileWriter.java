package io.dataflow.lake;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.ObjectStore;
import io.dataflow.api.TableSchema;
import java.io.IOException;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * One raw-zone file of change events being written: events are gathered column by column ({@link ChangeRows}) and
 * written to the file's {@link RawFileWriter} a block at a time, instead of one Parquet record at a time. The block
 * starts small and doubles up to {@link #MAX_ROWS} (a table with few changes holds little), and is written out early
 * once its text and binary values reach {@link #MAX_BYTES} (large values are not held by the thousand). Published on
 * {@link #commit()}.
 */
final class ChangeFileWriter implements AutoCloseable {
    static final int MAX_ROWS = 2048;
    static final long MAX_BYTES = 4 << 20;
    private static final int FIRST_ROWS = 16;

    private final String key;
    private final TableSchema schema;
    private final RawFileWriter file;
    private ChangeRows rows;
    private long written;

    ChangeFileWriter(ObjectStore store, String key, TableSchema schema, CompressionCodecName codec, Map<String, String> metadata)
            throws IOException {
        this.key = key;
        this.schema = schema;
        this.file = new RawFileWriter(store, key, schema, codec, metadata);
        this.rows = new ChangeRows(schema, FIRST_ROWS);
    }

    String key() {
        return key;
    }

    TableSchema schema() {
        return schema;
    }

    /** Rows written, including those still gathered. */
    long rows() {
        return written + rows.size();
    }

    /** Appends an event of this file's schema (or of a schema of the same shape). */
    void write(ChangeEvent e) throws IOException {
        rows.add(e);
        if (rows.isFull() || rows.bytes() >= MAX_BYTES) {
            writeRows();
        }
    }

    private void writeRows() throws IOException {
        file.write(rows);
        written += rows.size();
        if (rows.isFull() && rows.capacity() < MAX_ROWS) {
            rows = new ChangeRows(schema, rows.capacity() * 2);
        } else {
            rows.clear();
        }
    }

    /** Bytes already streamed out plus bytes held in memory. */
    long stagedBytes() {
        return file.stagedBytes() + heldBytes();
    }

    /** About how many bytes of text and binary values are gathered and not yet written to the file's pages. */
    long heldBytes() {
        return rows.bytes();
    }

    /** Finishes the file and publishes it atomically; returns its size. */
    long commit() throws IOException {
        writeRows();
        return file.commit();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
