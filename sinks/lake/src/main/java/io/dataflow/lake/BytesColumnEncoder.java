package io.dataflow.lake;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * A flat BYTE_ARRAY column (text, JSON, binary, positions) of a raw-zone file: see {@link FlatColumnEncoder}. A value
 * equal to the previous one of the page (a padded {@code char(n)}, a status column, a constant) costs one vectorized
 * comparison: no hashing and no statistics update.
 */
final class BytesColumnEncoder extends FlatColumnEncoder {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The dictionary's entries as a PLAIN dictionary page: length (4 bytes) and bytes, entry after entry. */
    private PageBuffer entries = new PageBuffer(1024);
    private int[] entryOffsets = new int[256];
    private int[] entryLengths = new int[256];
    private final DictionarySlots slots = new DictionarySlots();
    private byte[] min = new byte[64];  // may be the same array as max
    private int minLength = -1;
    private byte[] max = new byte[64];
    private int maxLength = -1;
    private int previousId = -1;
    private long unencoded;

    BytesColumnEncoder(ColumnDescriptor column, PageWriter pages, ParquetProperties props, Scratch scratch) {
        super(column, pages, props, scratch);
        PrimitiveTypeName type = column.getPrimitiveType().getPrimitiveTypeName();
        if (type != PrimitiveTypeName.BINARY) {
            throw new IllegalArgumentException("column " + Arrays.toString(column.getPath()) + " is " + type + ", not BINARY");
        }
    }

    /** Rows {@code from..to} of a batch column: row r's value is {@code arrays[r][offsets[r] .. +lengths[r]]}. */
    void write(byte[][] arrays, int[] offsets, int[] lengths, boolean[] nulls, int from, int to) throws IOException {
        for (int r = from; r < to; ) {
            int end = Math.min(to, r + room());
            reserve(end - r);
            while (r < end) {
                if (nulls[r]) {
                    nullRow();
                } else {
                    valueRow();
                    add(arrays[r], offsets[r], lengths[r]);
                }
                r++;
                if (pageFull()) {
                    writePage();
                    break;
                }
            }
        }
    }

    /**
     * {@code count} rows, row r's value being the {@code length} bytes at {@code array[r * stride]} (stride 0: the
     * same value in every row).
     */
    void writeStrided(byte[] array, int stride, int length, int count) throws IOException {
        for (int r = 0; r < count; ) {
            int end = Math.min(count, r + room());
            reserve(end - r);
            while (r < end) {
                valueRow();
                add(array, r * stride, length);
                r++;
                if (pageFull()) {
                    writePage();
                    break;
                }
            }
        }
    }

    /** {@code count} null rows. */
    void writeNulls(int count) throws IOException {
        for (int r = 0; r < count; ) {
            int end = Math.min(count, r + room());
            reserve(end - r);
            for (; r < end; r++) {
                nullRow();
            }
            if (pageFull()) {
                writePage();
            }
        }
    }

    private void add(byte[] a, int off, int len) {
        plainBytes += 4 + len;
        unencoded += len;
        if (dictionary) {
            if (previousId >= 0 && entryLengths[previousId] == len
                    && Arrays.equals(a, off, off + len, entries.array(), entryOffsets[previousId], entryOffsets[previousId] + len)) {
                addId(previousId);
                return;
            }
            int h = hash(a, off, len);
            int id = find(a, off, len, h);
            if (id < 0) {
                if (dictionaryBytes() + 4 + len > dictionaryByteLimit) {
                    fallBack();
                    plain.writeLengthAndBytes(a, off, len);
                    statistics(a, off, len);
                    return;
                }
                id = insert(a, off, len, h);
            }
            addId(id);
            previousId = id;
        } else {
            plain.writeLengthAndBytes(a, off, len);
        }
        statistics(a, off, len);
    }

    /**
     * Keeps the page's smallest and largest value. The first value is copied once and is both (a page of one large value
     * holds one copy, not two); a later value replaces one of them in its own array, never in the shared one.
     */
    private void statistics(byte[] a, int off, int len) {
        if (minLength < 0) {
            min = copy(min, a, off, len);
            max = min;
            minLength = len;
            maxLength = len;
            return;
        }
        if (Arrays.compareUnsigned(a, off, off + len, min, 0, minLength) < 0) {
            min = copy(min == max ? null : min, a, off, len);
            minLength = len;
        } else if (Arrays.compareUnsigned(a, off, off + len, max, 0, maxLength) > 0) {
            max = copy(max == min ? null : max, a, off, len);
            maxLength = len;
        }
    }

    /** {@code len} bytes of {@code a} in {@code into} when it is big enough, else in a new array of exactly that size. */
    private static byte[] copy(byte[] into, byte[] a, int off, int len) {
        byte[] out = into != null && into.length >= len ? into : new byte[len];
        System.arraycopy(a, off, out, 0, len);
        return out;
    }

    static int hash(byte[] a, int off, int len) {
        long h = 0x9E3779B97F4A7C15L ^ len;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            h = (h ^ (long) LONG.get(a, off + i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 29;
        }
        for (; i < len; i++) {
            h = (h ^ a[off + i]) * 0x94D049BB133111EBL;
        }
        h ^= h >>> 32;
        return (int) h;
    }

    private int find(byte[] a, int off, int len, int h) {
        byte[] stored = entries.array();
        for (int s = slots.probe(h); ; s = slots.next(s)) {
            int id = slots.idAt(s);
            if (id < 0 || (slots.hash(id) == h && entryLengths[id] == len
                    && Arrays.equals(a, off, off + len, stored, entryOffsets[id], entryOffsets[id] + len))) {
                return id;
            }
        }
    }

    private int insert(byte[] a, int off, int len, int h) {
        int id = slots.add(h);
        if (id == entryOffsets.length) {
            entryOffsets = Arrays.copyOf(entryOffsets, id * 2);
            entryLengths = Arrays.copyOf(entryLengths, id * 2);
        }
        entryOffsets[id] = entries.size() + 4;
        entryLengths[id] = len;
        entries.writeLengthAndBytes(a, off, len);
        return id;
    }

    @Override
    void writePlainEntry(int id) {
        plain.writeLengthAndBytes(entries.array(), entryOffsets[id], entryLengths[id]);
    }

    @Override
    int dictionarySize() {
        return slots.count();
    }

    @Override
    long dictionaryBytes() {
        return entries.size();
    }

    @Override
    PageBuffer dictionaryPage() {
        return entries;
    }

    @Override
    void clearDictionary() {
        entries = new PageBuffer(16);
        entryOffsets = new int[16];
        entryLengths = new int[16];
        slots.clear();
        previousId = -1;
    }

    /**
     * The page's statistics. parquet-java keeps "constant" binaries without copying them, so the min and max arrays are
     * handed over (copied only when longer than the value) and this encoder starts new ones: a large value is not copied
     * again here.
     */
    @Override
    Statistics<?> statistics() {
        Statistics<?> s = Statistics.createStats(column.getPrimitiveType());
        if (minLength >= 0) {
            boolean shared = min == max && minLength == maxLength;
            Binary low = Binary.fromConstantByteArray(minLength == min.length ? min : Arrays.copyOf(min, minLength));
            Binary high = shared ? low : Binary.fromConstantByteArray(maxLength == max.length ? max : Arrays.copyOf(max, maxLength));
            s.updateStats(low);
            s.updateStats(high);
            min = new byte[64];
            max = new byte[64];
            minLength = -1;
            maxLength = -1;
        }
        return s;
    }

    @Override
    long unencodedBytes() {
        return unencoded;
    }

    @Override
    void resetPage() {
        minLength = -1;
        maxLength = -1;
        previousId = -1;
        unencoded = 0;
    }
}
