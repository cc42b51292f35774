package io.dataflow.lake;

import org.apache.parquet.column.values.bitpacking.BytePacker;
import org.apache.parquet.column.values.bitpacking.Packer;

/**
 * Parquet's RLE / bit-packing hybrid encoding of small non-negative integers (definition levels, dictionary ids):
 * a run of 8 or more equal values becomes one RLE run, everything between runs is bit-packed in groups of 8 (the
 * last group of a page padded with zeros; readers stop at the page's value count).
 */
final class HybridEncoder {
    private static final BytePacker[] PACKERS = new BytePacker[33];

    static {
        for (int w = 1; w <= 32; w++) {
            PACKERS[w] = Packer.LITTLE_ENDIAN.newBytePacker(w);
        }
    }

    private final int[] group = new int[8];

    /** The bits needed for values up to {@code max}. */
    static int bitWidth(int max) {
        return 32 - Integer.numberOfLeadingZeros(max);
    }

    /** Appends the encoding of {@code values[0..count)}, each below {@code 2^bitWidth}, to {@code out} (no length prefix). */
    void encode(int[] values, int count, int bitWidth, PageBuffer out) {
        if (count == 0) {
            return;
        }
        if (bitWidth == 0) {
            rle(out, count, 0, 0);
            return;
        }
        int valueBytes = (bitWidth + 7) / 8;
        int literalStart = 0;
        int i = 0;
        while (i < count) {
            int x = values[i];
            int j = i + 1;
            while (j < count && values[j] == x) {
                j++;
            }
            int run = j - i;
            if (run >= 8) {
                int pending = i - literalStart;
                int pad = (8 - (pending & 7)) & 7;
                if (run - pad >= 8) {
                    if (pending + pad > 0) {
                        bitPacked(values, literalStart, pending + pad, bitWidth, out);
                    }
                    rle(out, run - pad, x, valueBytes);
                    literalStart = j;
                }
            }
            i = j;
        }
        if (literalStart < count) {
            bitPacked(values, literalStart, count - literalStart, bitWidth, out);
        }
    }

    private static void rle(PageBuffer out, int run, int value, int valueBytes) {
        out.writeUnsignedVarInt(run << 1);
        for (int b = 0; b < valueBytes; b++) {
            out.writeByte(value >>> (8 * b));
        }
    }

    private void bitPacked(int[] values, int from, int count, int bitWidth, PageBuffer out) {
        int groups = (count + 7) / 8;
        out.writeUnsignedVarInt(groups << 1 | 1);
        BytePacker packer = PACKERS[bitWidth];
        byte[] dest = out.reserve(groups * bitWidth);
        int at = out.size();
        int full = count / 8;
        for (int g = 0; g < full; g++, at += bitWidth) {
            packer.pack8Values(values, from + 8 * g, dest, at);
        }
        if (full < groups) {
            int rest = count - 8 * full;
            java.util.Arrays.fill(group, 0);
            System.arraycopy(values, from + 8 * full, group, 0, rest);
            packer.pack8Values(group, 0, dest, at);
        }
        out.advance(groups * bitWidth);
    }
}
