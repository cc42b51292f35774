package io.dataflow.api;

import java.util.Objects;

/**
 * One row change, converted from the source's own representation at the edge.
 *
 * <p>{@code row} holds the row after the change (for inserts, updates and full-load reads) or the row
 * before it (for deletes; then at least the key columns are set), with one value per column of {@link
 * #schema()} in the Java classes {@link LogicalType.Kind} names. {@code position} sorts, byte-wise, in
 * source commit order and is unique per event; replays reproduce the same positions.
 *
 * @param schema          the table's schema at this event
 * @param op              what happened
 * @param row             the values, aligned with {@code schema.columns()}
 * @param position        the event's source position, see {@link SourcePositions}
 * @param commitTimeMicros the source commit time (the snapshot time for full-load rows), microseconds since the epoch
 * @param txId            the source transaction id, empty when unknown
 * @param fullLoad        true for rows read by the full load
 * @param unchanged       columns whose values the source did not send because they did not change (PostgreSQL
 *                        TOAST values of an UPDATE without REPLICA IDENTITY FULL); their value in {@code row} is
 *                        null and a replay keeps the previous value
 * @param before          the whole row before an UPDATE, aligned like {@code row}, when the table has no key and the
 *                        source sent it (PostgreSQL with REPLICA IDENTITY FULL, binlog sources); null otherwise. A
 *                        database target finds the row to change by it
 */
public record ChangeEvent(
        TableSchema schema, Op op, Object[] row, String position, long commitTimeMicros, String txId, boolean fullLoad,
        java.util.List<String> unchanged, Object[] before) {

    public ChangeEvent(TableSchema schema, Op op, Object[] row, String position, long commitTimeMicros, String txId, boolean fullLoad) {
        this(schema, op, row, position, commitTimeMicros, txId, fullLoad, java.util.List.of(), null);
    }

    public ChangeEvent(TableSchema schema, Op op, Object[] row, String position, long commitTimeMicros, String txId, boolean fullLoad,
            java.util.List<String> unchanged) {
        this(schema, op, row, position, commitTimeMicros, txId, fullLoad, unchanged, null);
    }

    public ChangeEvent {
        unchanged = unchanged == null ? java.util.List.of() : java.util.List.copyOf(unchanged);
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(row, "row");
        Objects.requireNonNull(position, "position");
        txId = txId == null ? "" : txId;
        if (row.length != schema.columns().size()) {
            throw new IllegalArgumentException("row has " + row.length + " values, schema of " + schema.id()
                    + " has " + schema.columns().size() + " columns");
        }
        if (before != null && before.length != row.length) {
            throw new IllegalArgumentException("before has " + before.length + " values, row has " + row.length);
        }
    }

    public TableId table() {
        return schema.id();
    }

    /**
     * About how many bytes the row's values take: text and binary values by their length, other values by the size of
     * their fixed-width form (8 bytes; a decimal by its digits); for flush triggers and metrics of sinks that do not
     * write files.
     */
    public long approximateBytes() {
        long n = 0;
        for (Object v : row) {
            n += v == null ? 1 : v instanceof byte[] b ? b.length : v instanceof CharSequence s ? s.length()
                    : v instanceof java.math.BigDecimal d ? d.precision() / 2 + 2 : 8;
        }
        return n;
    }
}
