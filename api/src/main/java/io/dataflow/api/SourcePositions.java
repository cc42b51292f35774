package io.dataflow.api;

import java.util.Locale;

/**
 * Builds the {@code _position} strings. A position is fixed-width lowercase hex fields joined by
 * {@code '-'}, so byte-wise order equals numeric order and every engine's positions sort within that
 * engine. The first field is the phase: {@code 0} for full-load rows, {@code 1} for streamed changes, so
 * full-load rows sort before every change streamed after them.
 */
public final class SourcePositions {
    private SourcePositions() {}

    /** A full-load row: phase 0, the snapshot's log position, then the row's ordinal in the load. */
    public static String fullLoad(long snapshotLogPosition, long ordinal) {
        char[] out = new char[35];
        out[0] = '0';
        out[1] = '-';
        hex(snapshotLogPosition, out, 2, 16);
        out[18] = '-';
        hex(ordinal, out, 19, 16);
        return new String(out);
    }

    /** The bytes of {@link #fullLoad(long, long)} (ASCII), written into {@code out} (35 bytes), without a String. */
    public static void fullLoad(long snapshotLogPosition, long ordinal, byte[] out) {
        fullLoad(snapshotLogPosition, ordinal, out, 0);
    }

    /** The bytes of {@link #fullLoad(long, long)} written into {@code out} at {@code at} (35 bytes). */
    public static void fullLoad(long snapshotLogPosition, long ordinal, byte[] out, int at) {
        out[at] = '0';
        out[at + 1] = '-';
        for (int i = at + 17; i >= at + 2; i--, snapshotLogPosition >>>= 4) {
            out[i] = HEX_BYTES[(int) (snapshotLogPosition & 0xf)];
        }
        out[at + 18] = '-';
        for (int i = at + 34; i >= at + 19; i--, ordinal >>>= 4) {
            out[i] = HEX_BYTES[(int) (ordinal & 0xf)];
        }
    }

    /**
     * The positions of {@code count} full-load rows of one snapshot, row r's 35 bytes at {@code out[r * 35]}: the
     * common prefix is formatted once, then each ordinal.
     */
    public static void fullLoad(long snapshotLogPosition, long[] ordinals, int count, byte[] out) {
        if (count == 0) {
            return;
        }
        fullLoad(snapshotLogPosition, ordinals[0], out, 0);
        for (int r = 1, at = FULL_LOAD_LENGTH; r < count; r++, at += FULL_LOAD_LENGTH) {
            System.arraycopy(out, 0, out, at, 19);
            long ordinal = ordinals[r];
            for (int i = at + 34; i > at + 19; i -= 2, ordinal >>>= 8) {
                int b = (int) (ordinal & 0xff);
                out[i] = HEX_BYTES[b & 0xf];
                out[i - 1] = HEX_BYTES[b >>> 4];
            }
        }
    }

    /** The length of a full-load position. */
    public static final int FULL_LOAD_LENGTH = 35;

    private static final byte[] HEX_BYTES = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    /** Writes {@code width} lowercase hex digits of {@code v} (two's complement for negatives) at {@code at}. */
    private static void hex(long v, char[] out, int at, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = DIGITS[(int) (v & 0xf)];
            v >>>= 4;
        }
    }

    /**
     * A streamed change: phase 1, the transaction's commit order key, the event's own log position and a
     * sequence number that distinguishes events sharing both.
     */
    public static String change(long commitOrder, long eventLogPosition, int sequence) {
        char[] out = new char[40];
        out[0] = '1';
        out[1] = '-';
        hex(commitOrder, out, 2, 16);
        out[18] = '-';
        hex(eventLogPosition, out, 19, 16);
        out[35] = '-';
        hex(sequence, out, 36, 4);
        return new String(out);
    }

    /**
     * A streamed change ordered by log sequence numbers written as hex groups ({@code 00000027:00000758:0005}, SQL
     * Server): phase 1, the commit LSN, the change LSN (each its 20 hex digits, the separators dropped) and the serial
     * number of the row within the change.
     */
    public static String lsnChange(String commitLsn, String changeLsn, long serial) {
        return String.format(Locale.ROOT, "1-%s-%s-%08x", lsn(commitLsn), lsn(changeLsn), serial);
    }

    private static String lsn(String text) {
        if (text == null || text.isBlank()) {
            return "00000000000000000000";
        }
        String[] parts = text.trim().split(":");
        int[] widths = {8, 8, 4};
        StringBuilder out = new StringBuilder(20);
        for (int i = 0; i < 3; i++) {
            String p = i < parts.length ? parts[i].toLowerCase(Locale.ROOT) : "";
            out.append("0".repeat(Math.max(0, widths[i] - p.length()))).append(p);
        }
        return out.toString();
    }

    /**
     * A streamed change ordered by an opaque resume token that sorts in log order as text (MongoDB's change-stream
     * {@code _data}, hex of an order-preserving encoding): phase 1, then the token in lower case.
     */
    public static String tokenChange(String token) {
        return "1-" + token.toLowerCase(Locale.ROOT);
    }

    /** The number of a binlog file name ({@code mysql-bin.000042} is 42); 0 when there is none. */
    public static long binlogFileNumber(Object file) {
        if (file == null) {
            return 0;
        }
        String f = file.toString();
        try {
            return Long.parseLong(f.substring(f.lastIndexOf('.') + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * A streamed change from a MySQL-family binlog: phase 1, the binlog file number, the position of the
     * transaction in that file, the event's index in the transaction and the row's index in the event.
     */
    public static String binlogChange(long file, long transactionPosition, long event, long row) {
        if (event >>> 32 != 0 || row >>> 16 != 0) {
            return String.format(Locale.ROOT, "1-%016x-%016x-%08x-%04x", file, transactionPosition, event, row);
        }
        char[] out = new char[49]; // what the format above gives, without parsing it for every change
        out[0] = '1';
        out[1] = '-';
        hex(file, out, 2, 16);
        out[18] = '-';
        hex(transactionPosition, out, 19, 16);
        out[35] = '-';
        hex(event, out, 36, 8);
        out[44] = '-';
        hex(row, out, 45, 4);
        return new String(out);
    }
}
