package io.dataflow.source.debezium;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.engine.RecordChangeEvent;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** What a delivered batch keeps until DataFlow's checkpoint: the last record of each source partition. */
class LastPerPartitionTest {

    private static RecordChangeEvent<SourceRecord> record(String database, long position) {
        SourceRecord r = new SourceRecord(Map.of("server", "s", "database", database), Map.of("pos", position), "topic", null, null);
        return () -> r;
    }

    @Test
    void oneSourcePartitionKeepsOnlyTheLastRecord() {
        RecordChangeEvent<SourceRecord> a = record("db", 1);
        RecordChangeEvent<SourceRecord> b = record("db", 2); // an equal partition map, not the same instance
        RecordChangeEvent<SourceRecord> c = record("db", 3);
        assertThat(DebeziumSource.lastPerPartition(List.of(a, b, c))).containsExactly(c);
    }

    @Test
    void severalSourcePartitionsKeepTheLastRecordOfEach() {
        RecordChangeEvent<SourceRecord> a1 = record("a", 1);
        RecordChangeEvent<SourceRecord> b1 = record("b", 2);
        RecordChangeEvent<SourceRecord> a2 = record("a", 3);
        RecordChangeEvent<SourceRecord> c1 = record("c", 4);
        RecordChangeEvent<SourceRecord> b2 = record("b", 5);
        assertThat(DebeziumSource.lastPerPartition(List.of(a1, b1, a2, c1, b2))).containsExactly(a2, b2, c1);
    }

    @Test
    void anEmptyBatchKeepsNothing() {
        assertThat(DebeziumSource.lastPerPartition(List.of())).isEmpty();
    }
}
