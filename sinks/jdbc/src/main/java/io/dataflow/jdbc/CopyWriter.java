package io.dataflow.jdbc;

import io.dataflow.api.TableSchema;
import io.dataflow.convert.TargetDialect;
import io.dataflow.convert.TargetTable;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams rows of one event schema into a PostgreSQL table with {@code COPY ... FROM STDIN} (text format) on the
 * caller's connection and transaction; values as {@link RowMapping} renders them.
 */
final class CopyWriter {
    private static final int BUFFER = 1 << 16;
    private static final int PIECE = 8192;
    private static final java.util.HexFormat HEX = java.util.HexFormat.of();

    private final RowMapping rows;
    private final CopyIn copy;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(BUFFER + 4096);
    private long bytes;

    CopyWriter(Connection connection, TargetDialect dialect, TargetTable table, RowMapping rows) throws SQLException {
        this.rows = rows;
        copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(ApplySql.copy(dialect, table));
    }

    TableSchema schema() {
        return rows.schema();
    }

    void write(Object[] row) throws SQLException {
        for (int i = 0; i < rows.size(); i++) {
            if (i > 0) {
                buffer.write('\t');
            }
            byte[] hex = rows.hexBytes(row, i);
            if (hex != null) {
                hex(hex);
                continue;
            }
            Object v = rows.value(row, i);
            if (v == null) {
                buffer.write('\\');
                buffer.write('N');
            } else {
                escape((String) v);
            }
        }
        buffer.write('\n');
        if (buffer.size() >= BUFFER) {
            drain();
        }
    }

    /** Ends the COPY; returns the bytes sent. */
    long finish() throws SQLException {
        drain();
        copy.endCopy();
        return bytes;
    }

    void cancel() throws SQLException {
        if (copy.isActive()) {
            copy.cancelCopy();
        }
    }

    /**
     * COPY text format: backslash, tab, newline and carriage return are escaped. A value is encoded piece by piece into
     * the buffer, which is sent whenever it is full: a large value (a 64 MiB bytea is 128 MiB of hex text) is never held
     * a second time as bytes.
     */
    private void escape(String s) throws SQLException {
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            String rep = switch (ch) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (rep != null) {
                utf8(s, start, i);
                utf8(rep, 0, rep.length());
                start = i + 1;
            }
        }
        utf8(s, start, s.length());
    }

    /** A bytea as COPY text: {@code \\x} (the backslash escaped) and its hex digits, written piece by piece. */
    private void hex(byte[] b) throws SQLException {
        buffer.write('\\');
        buffer.write('\\');
        buffer.write('x');
        for (int at = 0; at < b.length; at += PIECE / 2) {
            byte[] digits = HEX.formatHex(b, at, Math.min(b.length, at + PIECE / 2)).getBytes(StandardCharsets.US_ASCII);
            buffer.write(digits, 0, digits.length);
            if (buffer.size() >= BUFFER) {
                drain();
            }
        }
    }

    /** Characters {@code from..to} of {@code s} as UTF-8, at most {@link #PIECE} characters at a time. */
    private void utf8(String s, int from, int to) throws SQLException {
        for (int at = from; at < to; ) {
            int end = Math.min(to, at + PIECE);
            if (end < to && Character.isHighSurrogate(s.charAt(end - 1))) {
                end--; // never split a surrogate pair
            }
            byte[] b = s.substring(at, end).getBytes(StandardCharsets.UTF_8);
            buffer.write(b, 0, b.length);
            at = end;
            if (buffer.size() >= BUFFER) {
                drain();
            }
        }
    }

    private void drain() throws SQLException {
        if (buffer.size() > 0) {
            byte[] b = buffer.toByteArray();
            copy.writeToCopy(b, 0, b.length);
            bytes += b.length;
            buffer.reset();
        }
    }
}
