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
        return String.format(Locale.ROOT, "0-%016x-%016x", snapshotLogPosition, ordinal);
    }

    /**
     * A streamed change: phase 1, the transaction's commit order key, the event's own log position and a
     * sequence number that distinguishes events sharing both.
     */
    public static String change(long commitOrder, long eventLogPosition, int sequence) {
        return String.format(Locale.ROOT, "1-%016x-%016x-%04x", commitOrder, eventLogPosition, sequence);
    }

    /**
     * A streamed change from a MySQL-family binlog: phase 1, the binlog file number, the position of the
     * transaction in that file, the event's index in the transaction and the row's index in the event.
     */
    public static String binlogChange(long file, long transactionPosition, long event, long row) {
        return String.format(Locale.ROOT, "1-%016x-%016x-%08x-%04x", file, transactionPosition, event, row);
    }
}
