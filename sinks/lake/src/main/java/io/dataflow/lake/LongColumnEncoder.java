package io.dataflow.lake;

import java.io.IOException;
import java.util.Arrays;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/** A flat INT32 or INT64 column (integers, dates, times, timestamps) of a raw-zone file: see {@link FlatColumnEncoder}. */
final class LongColumnEncoder extends FlatColumnEncoder {
    private final boolean int32;
    private final int width;
    private long[] entries = new long[256];
    private final DictionarySlots slots = new DictionarySlots();
    private long min;
    private long max;
    private long previous;
    private int previousId = -1;

    LongColumnEncoder(ColumnDescriptor column, PageWriter pages, ParquetProperties props, Scratch scratch) {
        super(column, pages, props, scratch);
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
        int h = hash(v);
        for (int s = slots.probe(h); ; s = slots.next(s)) {
            int id = slots.idAt(s);
            if (id < 0 || entries[id] == v) {
                return id;
            }
        }
    }

    private int insert(long v) {
        int id = slots.add(hash(v));
        if (id == entries.length) {
            entries = Arrays.copyOf(entries, id * 2);
        }
        entries[id] = v;
        return id;
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
        return slots.count();
    }

    @Override
    long dictionaryBytes() {
        return (long) slots.count() * width;
    }

    @Override
    PageBuffer dictionaryPage() {
        PageBuffer out = new PageBuffer(slots.count() * width);
        for (int id = 0; id < slots.count(); id++) {
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
        slots.clear();
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
