package io.dataflow.api;

/**
 * The {@code _position} of PostgreSQL changes, the same for the Debezium reader, the native one and the Kafka Connect
 * sink reading Debezium's records: {@code
 * 1-<end LSN of the transaction committed before>-<event LSN>-<seq>}. pgoutput delivers whole transactions in commit
 * order, so the first field increases from one transaction to the next and the event's LSN within one; the sequence
 * tells apart rows that share an LSN (a multi-row insert writes one WAL record, a key change gives a delete and an
 * insert).
 */
public final class ChangePositions {
    private long lastCommitLsn = -1;
    private long lastEventLsn = -1;
    private int sequence;

    public String next(long commitLsn, long eventLsn) {
        sequence = commitLsn == lastCommitLsn && eventLsn == lastEventLsn ? sequence + 1 : 0;
        lastCommitLsn = commitLsn;
        lastEventLsn = eventLsn;
        return SourcePositions.change(commitLsn, eventLsn, sequence);
    }

    /**
     * The first element of the {@code source.sequence} of Debezium's PostgreSQL connector, {@code ["<end LSN of the
     * transaction committed before>","<event LSN>"]}: the key that orders the event's transaction; 0 when absent.
     */
    public static long sequenceCommitLsn(String sequence) {
        if (sequence == null) {
            return 0;
        }
        int i = sequence.indexOf('[') + 1;
        while (i > 0 && i < sequence.length() && Character.isWhitespace(sequence.charAt(i))) {
            i++;
        }
        if (i <= 0 || i >= sequence.length() || sequence.charAt(i) != '"') {
            return 0;
        }
        int end = sequence.indexOf('"', i + 1);
        try {
            return end < 0 ? 0 : Long.parseLong(sequence.substring(i + 1, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
