package io.dataflow.source.postgres;

import io.dataflow.api.SourcePositions;

/**
 * The {@code _position} of PostgreSQL changes, the same for the Debezium reader and the native one: {@code
 * 1-<end LSN of the transaction committed before>-<event LSN>-<seq>}. pgoutput delivers whole transactions in commit
 * order, so the first field increases from one transaction to the next and the event's LSN within one; the sequence
 * tells apart rows that share an LSN (a multi-row insert writes one WAL record, a key change gives a delete and an
 * insert).
 */
final class PgChangePositions {
    private long lastCommitLsn = -1;
    private long lastEventLsn = -1;
    private int sequence;

    String next(long commitLsn, long eventLsn) {
        sequence = commitLsn == lastCommitLsn && eventLsn == lastEventLsn ? sequence + 1 : 0;
        lastCommitLsn = commitLsn;
        lastEventLsn = eventLsn;
        return SourcePositions.change(commitLsn, eventLsn, sequence);
    }
}
