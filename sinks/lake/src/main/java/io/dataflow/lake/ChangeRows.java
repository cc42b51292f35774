package io.dataflow.lake;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.LoadBatch;
import io.dataflow.api.Op;
import io.dataflow.api.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Change events of one table and schema held column by column, as {@link RawFileWriter} writes them: the row values in
 * a {@link LoadBatch} (strings as UTF-8, binary values shared, not copied) and the raw zone's own columns per row (Op
 * code, commit time, position, transaction id, unchanged columns). Holds at most its capacity in rows; {@link #bytes}
 * says about how much its text and binary values take, so that the owner can write them out before they grow large.
 */
final class ChangeRows {
    private static final byte[][] OP_CODES = Arrays.stream(Op.values())
            .map(op -> op.code().getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);

    private final TableSchema schema;
    private final int columns;
    private final LoadBatch values;
    final byte[][] ops;
    final int[] opLengths;
    final long[] commitTimes;
    final byte[][] positions;
    final int[] positionLengths;
    final byte[][] txIds;
    final int[] txIdLengths;
    final boolean[] noTxId;
    final byte[][] unchanged;
    final int[] unchangedLengths;
    final boolean[] noUnchanged;
    /** Zero offsets and no nulls, for the columns that have neither. */
    final int[] zeros;
    final boolean[] noNulls;
    private long bytes;
    private String lastTxId;
    private byte[] lastTxIdBytes;

    ChangeRows(TableSchema schema, int capacity) {
        this.schema = schema;
        this.columns = schema.columns().size();
        this.values = new LoadBatch(schema, capacity, 0, 0);
        ops = new byte[capacity][];
        opLengths = new int[capacity];
        commitTimes = new long[capacity];
        positions = new byte[capacity][];
        positionLengths = new int[capacity];
        txIds = new byte[capacity][];
        txIdLengths = new int[capacity];
        noTxId = new boolean[capacity];
        unchanged = new byte[capacity][];
        unchangedLengths = new int[capacity];
        noUnchanged = new boolean[capacity];
        zeros = new int[capacity];
        noNulls = new boolean[capacity];
    }

    TableSchema schema() {
        return schema;
    }

    LoadBatch values() {
        return values;
    }

    int size() {
        return values.size();
    }

    int capacity() {
        return values.capacity();
    }

    boolean isFull() {
        return values.isFull();
    }

    /** About how many bytes the held rows' text and binary values and positions take. */
    long bytes() {
        return bytes;
    }

    /** Adds the event (of this schema's shape) as the next row. */
    void add(ChangeEvent e) {
        int r = values.addRow(0);
        Object[] row = e.row();
        for (int c = 0; c < columns; c++) {
            Object v = row[c];
            if (v != null) {
                values.set(r, c, v);
                if (values.storage(c) == LoadBatch.Storage.BYTES) {
                    bytes += values.lengths(c)[r];
                }
            }
        }
        byte[] op = OP_CODES[e.op().ordinal()];
        ops[r] = op;
        opLengths[r] = op.length;
        commitTimes[r] = e.commitTimeMicros();
        byte[] position = e.position().getBytes(StandardCharsets.UTF_8);
        positions[r] = position;
        positionLengths[r] = position.length;
        bytes += position.length + 16;
        String tx = e.txId();
        noTxId[r] = tx.isEmpty();
        if (!tx.isEmpty()) {
            if (!tx.equals(lastTxId)) { // the changes of one transaction arrive together: encode its id once
                lastTxId = tx;
                lastTxIdBytes = tx.getBytes(StandardCharsets.UTF_8);
            }
            txIds[r] = lastTxIdBytes;
            txIdLengths[r] = lastTxIdBytes.length;
        }
        noUnchanged[r] = e.unchanged().isEmpty();
        if (!e.unchanged().isEmpty()) {
            byte[] names = String.join(",", e.unchanged()).getBytes(StandardCharsets.UTF_8);
            unchanged[r] = names;
            unchangedLengths[r] = names.length;
            bytes += names.length;
        }
    }

    /** Empties the rows for reuse; the references they held are dropped. */
    void clear() {
        int n = values.size();
        for (int c = 0; c < columns; c++) {
            if (values.storage(c) == LoadBatch.Storage.BYTES) {
                Arrays.fill(values.arrays(c), 0, n, null);
            } else if (values.storage(c) == LoadBatch.Storage.OBJECT) {
                Arrays.fill(values.objects(c), 0, n, null);
            }
        }
        Arrays.fill(positions, 0, n, null);
        Arrays.fill(unchanged, 0, n, null);
        Arrays.fill(txIds, 0, n, null);
        values.clear();
        bytes = 0;
    }
}
