package io.dataflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Positions of PostgreSQL changes: the sequence within one LSN, and the commit LSN read from Debezium's sequence. */
class ChangePositionsTest {
    @Test
    void rowsSharingAnLsnAreToldApartBySequence() {
        ChangePositions p = new ChangePositions();
        assertThat(p.next(10, 20)).isEqualTo(SourcePositions.change(10, 20, 0));
        assertThat(p.next(10, 20)).isEqualTo(SourcePositions.change(10, 20, 1));
        assertThat(p.next(10, 21)).isEqualTo(SourcePositions.change(10, 21, 0));
    }

    @Test
    void theCommitLsnIsTheSequencesFirstElement() {
        assertThat(ChangePositions.sequenceCommitLsn("[\"24023928\",\"24024096\"]")).isEqualTo(24023928L);
        assertThat(ChangePositions.sequenceCommitLsn("[ \"7\", \"9\" ]")).isEqualTo(7L);
        assertThat(ChangePositions.sequenceCommitLsn("[null,\"24024096\"]")).isZero();
        assertThat(ChangePositions.sequenceCommitLsn("[\"x\",\"1\"]")).isZero();
        assertThat(ChangePositions.sequenceCommitLsn("")).isZero();
        assertThat(ChangePositions.sequenceCommitLsn(null)).isZero();
    }
}
