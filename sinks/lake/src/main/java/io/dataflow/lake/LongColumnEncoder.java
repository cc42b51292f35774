package io.dataflow.lake;

import java.io.IOException;
import java.util.Arrays;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/** A flat INT32 or INT64 column (integers, dates, times, timestamps) of a chunk file: see {@link FlatColumnEncoder}. */
final class LongColumnEncoder extends FlatColumnEncoder {
    private final boolean int32;
    private final int width;
    private long[] entries = new long[256];
    private int entryCount;
    /** Open addressing: id + 1 of the entry in each slot, 0 when empty. */
    private int[] slots = new int[512];
    private long min;
    private long max;
    private long previous;
    private int previousId = -1;

    LongColumnEncoder(ColumnDescriptor column, PageWriter pages, ParquetProperties props, boolean dictionary) {
        super(column, pages, props, dictionary);
        PrimitiveTypeName type = column.getPrimitiveType().getPrimitiveTypeName();
        if (type != PrimitiveTypeName.INT32 && type != PrimitiveTypeName.INT64) {
            throw new IllegalArgumentException("column " + Arrays.toString(column.getPath()) + " is " + type + ", not INT32 or INT64");
        }
        this.int32 = type == PrimitiveTypeName.INT32;
        this.width = int32 ? 4 : 8;
        resetPage();
    }

    /** Rows {@code from..to} of a batch column (INT32 columns hold values in int range). */
    void write(long[] values, boolean[] nulls, int from, int to) throws IOException {
        // at most 8 bytes a row: a page fills by its row count, checked once per run of rows
        for (int r = from; r < to; ) {
            int end = Math.min(to, r + room());
            reserve(end - r);
            for (; r < end; r++) {
                if (nulls[r]) {
                    nullRow();
                } else {
                    valueRow();
                    add(values[r]);
                }
            }
            if (pageFull()) {
                writePage();
            }
        }
    }

    private void add(long v) {
        plainBytes += width;
        if (dictionary) {
            if (previousId >= 0 && v == previous) {
                addId(previousId);
                return;
            }
            int id = find(v);
            if (id < 0) {
                if (dictionaryBytes() + width > dictionaryByteLimit) {
                    fallBack();
                    addPlain(v);
                    return;
                }
                id = insert(v);
            }
            addId(id);
            previous = v;
            previousId = id;
        } else {
            addPlain(v);
            return;
        }
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
    }

    private void addPlain(long v) {
        if (int32) {
            plain.writeInt((int) v);
        } else {
            plain.writeLong(v);
        }
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
    }

    private static int hash(long v) {
        long h = v * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private int find(long v) {
        int mask = slots.length - 1;
        for (int i = hash(v) & mask; ; i = (i + 1) & mask) {
            int s = slots[i];
            if (s == 0) {
                return -1;
            }
            if (entries[s - 1] == v) {
                return s - 1;
            }
        }
    }

    private int insert(long v) {
        if (entryCount == entries.length) {
            entries = Arrays.copyOf(entries, entryCount * 2);
        }
        entries[entryCount] = v;
        entryCount++;
        if (entryCount * 2 > slots.length) {
            slots = new int[slots.length * 2];
            for (int id = 0; id < entryCount; id++) {
                place(id);
            }
        } else {
            place(entryCount - 1);
        }
        return entryCount - 1;
    }

    private void place(int id) {
        int mask = slots.length - 1;
        int i = hash(entries[id]) & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = id + 1;
    }

    @Override
    void writePlainEntry(int id) {
        if (int32) {
            plain.writeInt((int) entries[id]);
        } else {
            plain.writeLong(entries[id]);
        }
    }

    @Override
    int dictionarySize() {
        return entryCount;
    }

    @Override
    long dictionaryBytes() {
        return (long) entryCount * width;
    }

    @Override
    PageBuffer dictionaryPage() {
        PageBuffer out = new PageBuffer(entryCount * width);
        for (int id = 0; id < entryCount; id++) {
            if (int32) {
                out.writeInt((int) entries[id]);
            } else {
                out.writeLong(entries[id]);
            }
        }
        return out;
    }

    @Override
    void clearDictionary() {
        entries = new long[16];
        entryCount = 0;
        slots = new int[32];
        previousId = -1;
    }

    @Override
    Statistics<?> statistics() {
        Statistics<?> s = Statistics.createStats(column.getPrimitiveType());
        if (rows > nulls) {
            if (int32) {
                s.updateStats((int) min);
                s.updateStats((int) max);
            } else {
                s.updateStats(min);
                s.updateStats(max);
            }
        }
        return s;
    }

    @Override
    long unencodedBytes() {
        return 0;
    }

    @Override
    void resetPage() {
        min = Long.MAX_VALUE;
        max = Long.MIN_VALUE;
        previousId = -1;
    }
}
