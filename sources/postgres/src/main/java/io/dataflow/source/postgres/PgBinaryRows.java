package io.dataflow.source.postgres;

import io.dataflow.api.LoadBatch;
import io.dataflow.api.LogicalType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decodes {@code COPY (SELECT ...) TO STDOUT (FORMAT binary)} rows straight into a {@link LoadBatch}. Columns of the
 * common types travel in PostgreSQL's binary form and land in the batch's primitive arrays without a String (integers,
 * floats, booleans, dates, times, timestamps, text, bytea, uuid, enums, json); every other column is selected as
 * the text of its output function ({@link PgColumn#textExpression()}) and read by {@link PgTextValues}, under the
 * session settings of {@link PgTextValues#SESSION}.
 *
 * <p>The stream is the binary COPY format: an 11-byte signature, flags and a header extension, then per row a 16-bit
 * field count and per field a 32-bit length (-1 for null) and the bytes; a field count of -1 ends it. PostgreSQL
 * sends one row per CopyData message (the header rides on the first), which {@link #read} relies on.
 */
final class PgBinaryRows {
    /** How one column travels. */
    enum Wire { BOOL, INT2, INT4, INT8, OID, FLOAT4, FLOAT8, TEXT, JSONB, BYTEA, DATE, TIME, TIMESTAMP, UUID, AS_TEXT }

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    /** PostgreSQL's date and timestamp epoch, 2000-01-01, in days and microseconds since 1970-01-01. */
    private static final int PG_EPOCH_DAYS = 10_957;
    private static final long PG_EPOCH_MICROS = PG_EPOCH_DAYS * 86_400_000_000L;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final List<PgColumn> columns;
    private final LogicalType[] types;
    private final Wire[] wires;
    private boolean headerRead;

    PgBinaryRows(List<PgColumn> columns, List<LogicalType> types) {
        this.columns = List.copyOf(columns);
        this.types = types.toArray(LogicalType[]::new);
        this.wires = columns.stream().map(PgBinaryRows::wire).toArray(Wire[]::new);
    }

    /** The binary form a column is read in; {@link Wire#AS_TEXT} for everything without a decoder here. */
    static Wire wire(PgColumn c) {
        if (c.isArray()) {
            return Wire.AS_TEXT;
        }
        if (c.typeKind() == 'e') {
            return Wire.TEXT; // enum_send sends the label
        }
        return switch (c.typeName()) {
            case "bool" -> Wire.BOOL;
            case "int2" -> Wire.INT2;
            case "int4" -> Wire.INT4;
            case "int8" -> Wire.INT8;
            case "oid" -> Wire.OID;
            case "float4" -> Wire.FLOAT4;
            case "float8" -> Wire.FLOAT8;
            case "text", "varchar", "bpchar", "name", "json" -> Wire.TEXT;
            case "jsonb" -> Wire.JSONB;
            case "bytea" -> Wire.BYTEA;
            case "date" -> Wire.DATE;
            case "time" -> Wire.TIME;
            case "timestamp", "timestamptz" -> Wire.TIMESTAMP;
            case "uuid" -> Wire.UUID;
            default -> Wire.AS_TEXT;
        };
    }

    /** The select list: binary-decoded columns as they are, the others cast to text. */
    String selectList() {
        return java.util.stream.IntStream.range(0, wires.length)
                .mapToObj(i -> wires[i] == Wire.AS_TEXT ? columns.get(i).textExpression() : columns.get(i).selectExpression())
                .collect(Collectors.joining(", "));
    }

    /**
     * Decodes one CopyData message into a new row of {@code batch} with {@code ordinal}; returns false (and adds no
     * row) for the end-of-data marker.
     */
    boolean read(byte[] message, LoadBatch batch, long ordinal) {
        int p = 0;
        if (!headerRead) {
            p = header(message);
            headerRead = true;
        }
        if (message.length - p < 2) {
            throw malformed("truncated row", message.length);
        }
        short fields = (short) SHORT.get(message, p);
        p += 2;
        if (fields == -1) {
            return false;
        }
        if (fields != wires.length) {
            throw malformed("row has " + fields + " fields, expected " + wires.length, p);
        }
        int r = batch.addRow(ordinal);
        for (int c = 0; c < wires.length; c++) {
            int len = (int) INT.get(message, p);
            p += 4;
            if (len < 0) {
                continue; // null
            }
            if (p + len > message.length) {
                throw malformed("field " + columns.get(c).name() + " runs past the row", p);
            }
            field(message, p, len, batch, r, c);
            p += len;
        }
        return true;
    }

    private void field(byte[] m, int p, int len, LoadBatch b, int r, int c) {
        switch (wires[c]) {
            case BOOL -> b.setLong(r, c, m[p] != 0 ? 1 : 0);
            case INT2 -> b.setLong(r, c, (short) SHORT.get(m, p));
            case INT4 -> b.setLong(r, c, (int) INT.get(m, p));
            case INT8 -> b.setLong(r, c, (long) LONG.get(m, p));
            case OID -> b.setLong(r, c, Integer.toUnsignedLong((int) INT.get(m, p)));
            case FLOAT4 -> b.setDouble(r, c, Float.intBitsToFloat((int) INT.get(m, p)));
            case FLOAT8 -> b.setDouble(r, c, Double.longBitsToDouble((long) LONG.get(m, p)));
            case TEXT, BYTEA -> b.setBytes(r, c, m, p, len);
            case JSONB -> {
                if (m[p] != 1) {
                    throw malformed("jsonb version " + m[p] + " of column " + columns.get(c).name() + " is unknown", p);
                }
                b.setBytes(r, c, m, p + 1, len - 1);
            }
            case DATE -> {
                int days = (int) INT.get(m, p);
                if (days != Integer.MAX_VALUE && days != Integer.MIN_VALUE) { // +-infinity have no Parquet date: null
                    b.setLong(r, c, (long) days + PG_EPOCH_DAYS);
                }
            }
            case TIME -> b.setLong(r, c, (long) LONG.get(m, p));
            case TIMESTAMP -> {
                long micros = (long) LONG.get(m, p);
                if (micros != Long.MAX_VALUE && micros != Long.MIN_VALUE) {
                    b.setLong(r, c, micros + PG_EPOCH_MICROS);
                }
            }
            case UUID -> {
                byte[] text = new byte[36];
                int t = 0;
                for (int i = 0; i < 16; i++) {
                    if (i == 4 || i == 6 || i == 8 || i == 10) {
                        text[t++] = '-';
                    }
                    text[t++] = HEX[(m[p + i] >> 4) & 0xf];
                    text[t++] = HEX[m[p + i] & 0xf];
                }
                b.setBytes(r, c, text, 0, 36);
            }
            case AS_TEXT -> {
                LogicalType t = types[c];
                if (t.isTextual()) {
                    b.setBytes(r, c, m, p, len);
                } else {
                    b.set(r, c, PgTextValues.convert(t, new String(m, p, len, StandardCharsets.UTF_8)));
                }
            }
        }
    }

    private static int header(byte[] m) {
        if (m.length < SIGNATURE.length + 8 || !java.util.Arrays.equals(m, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw malformed("no binary COPY signature", 0);
        }
        int p = SIGNATURE.length + 4; // flags: no OIDs in the SELECT form
        int extension = (int) INT.get(m, p);
        return p + 4 + extension;
    }

    private static IllegalStateException malformed(String what, int at) {
        return new IllegalStateException("binary COPY stream from PostgreSQL is malformed at byte " + at + ": " + what);
    }
}
