package io.dataflow.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflow.api.TableId;
import io.dataflow.config.ProcessedConfig;
import io.dataflow.config.TargetConfig;
import io.dataflow.lake.processed.ProcessedTables;
import io.dataflow.lake.processed.SharedProcessedZone;
import io.dataflow.runtime.SinkCounters;
import io.dataflow.storage.LocalObjectStore;
import io.dataflow.testing.LakeReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processed zone written by the writers of several partitions of one topic at once: each partition's keys, each
 * table recording how far it has each partition, so that replays after a crash, Connect's redelivery and a source
 * connector's re-sends apply nothing twice and the table equals the source's last state.
 */
class ProcessedPartitionsTest {
    private static final TableId ACCOUNTS = new TableId("public", "accounts");

    @TempDir
    Path dir;

    private static TargetConfig target(Duration flush, Duration commit) {
        return new TargetConfig(TargetConfig.Type.LAKE, "unused", new TargetConfig.Flush(flush, 1_000_000, 64L << 20),
                TargetConfig.Compression.ZSTD, io.dataflow.config.S3Settings.DEFAULT, null,
                new ProcessedConfig(true, commit, Map.of(), ProcessedConfig.Catalog.LAKE, ProcessedConfig.Maintenance.DEFAULT));
    }

    /** The source: rows by id (balance, note) as the changes given to {@link #apply} leave them; LSNs ascend across partitions. */
    private final Map<Long, List<Object>> source = new TreeMap<>();
    private long lsn = 0x1000;

    /** A change of row {@code id} (keys are spread over partitions by parity, as Kafka spreads a topic's keys). */
    private SinkRecord apply(long offset, String op, long id, long balance) {
        lsn += 0x100;
        SinkRecord r = Envelopes.change((int) (id % 2), offset, op, id, balance, lsn, lsn - 0x80, lsn);
        if (op.equals("d")) {
            source.remove(id);
        } else {
            String note = op.equals("u") ? (String) source.get(id).get(1) : "n" + id; // an update leaves note unchanged (TOAST)
            source.put(id, List.of(balance, note));
        }
        return r;
    }

    private Map<Long, List<Object>> table(LocalObjectStore store) throws IOException {
        Table t = ProcessedTables.open(store, dir.toString(), "p", ACCOUNTS).orElseThrow();
        Map<Long, List<Object>> rows = new TreeMap<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(t).build()) {
            for (Record r : records) {
                assertThat(rows.put((Long) r.getField("id"), List.of(r.getField("balance"), r.getField("note")))).as("one row per key").isNull();
            }
        }
        return rows;
    }

    @Test
    void twoPartitionsOfOneTableReachTheSourcesStateThroughCrashesAndResends() throws Exception {
        PartitionWriterTest.FailingStore store = new PartitionWriterTest.FailingStore(new LocalObjectStore(dir));
        TargetConfig target = target(Duration.ofSeconds(1), Duration.ofSeconds(1));
        SharedProcessedZone zone = SharedProcessedZone.open(store, dir.toString(), "p", target.processed(), new SinkCounters());
        PartitionWriter[] w = {PartitionWriter.open(store, "p", target, Envelopes.TOPIC, 0, zone),
                PartitionWriter.open(store, "p", target, Envelopes.TOPIC, 1, zone)};
        long[] offsets = new long[2];
        List<List<SinkRecord>> sent = List.of(new ArrayList<>(), new ArrayList<>());
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 6; round++) {
            List<List<SinkRecord>> batch = List.of(new ArrayList<>(), new ArrayList<>());
            for (int k = 0; k < 40; k++) {
                long id = random.nextInt(30);
                String op = !source.containsKey(id) ? "c" : random.nextInt(4) == 0 ? "d" : "u";
                int p = (int) (id % 2);
                SinkRecord r = apply(offsets[p]++, op, id, random.nextInt(1000));
                batch.get(p).add(r);
                sent.get(p).add(r);
            }
            for (int p = 0; p < 2; p++) {
                w[p].put(batch.get(p), round * 1000L);
                w[p].flushIfDue(round * 1000L + 1000); // both partitions commit to the table each round
            }
        }
        assertThat(table(new LocalObjectStore(dir))).isEqualTo(source);

        // partition 1: the processed commit succeeds, then the state write fails (the task crashes there)
        List<SinkRecord> more = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            long id = 2L * random.nextInt(15) + 1;
            more.add(apply(offsets[1]++, source.containsKey(id) ? "u" : "c", id, 5000 + k));
        }
        sent.get(1).addAll(more);
        w[1].put(more, 10_000);
        store.failStateWritesAfter(1);
        assertThatThrownBy(w[1]::flush).isInstanceOf(IOException.class);
        store.failStateWritesAfter(-1);
        // its next owner reads from the state's offset: the table has those changes already and skips them
        PartitionWriter again = PartitionWriter.open(store, "p", target, Envelopes.TOPIC, 1, zone);
        long from = again.durableOffset();
        assertThat(from).isLessThan(offsets[1]);
        again.put(sent.get(1).subList((int) from, sent.get(1).size()), 11_000);
        // and the source connector restarted: it sends partition 1's last ten changes again, at new offsets
        List<SinkRecord> resent = new ArrayList<>();
        for (SinkRecord r : sent.get(1).subList(sent.get(1).size() - 10, sent.get(1).size())) {
            resent.add(new SinkRecord(r.topic(), 1, r.keySchema(), r.key(), r.valueSchema(), r.value(), offsets[1]++));
        }
        again.put(resent.subList(0, 5), 11_500);
        again.flush(); // a commit in the middle of the re-sent changes: applying them would take rows back in time
        assertThat(table(new LocalObjectStore(dir))).as("re-sent changes skipped").isEqualTo(source);
        again.put(resent.subList(5, 10), 11_600);
        again.flush();
        w[0].flush();
        assertThat(again.durableOffset()).isEqualTo(offsets[1]);
        assertThat(table(new LocalObjectStore(dir))).as("nothing applied twice, nothing lost").isEqualTo(source);
        try (LakeReader reader = new LakeReader(dir)) {
            assertThat(reader.query("select count(*) n, count(distinct _position) d from {raw}", "p", "public", "accounts").get(0))
                    .as("the raw zone has every change once").containsEntry("n", 240L + 20).containsEntry("d", 240L + 20);
        }
        zone.close();
    }

    @Test
    void aProcessedZoneBehindTheRawZoneIsCaughtUpFromItsOwnOffset() throws Exception {
        LocalObjectStore store = new LocalObjectStore(dir);
        TargetConfig target = target(Duration.ofSeconds(1), Duration.ofSeconds(60));
        SharedProcessedZone zone = SharedProcessedZone.open(store, dir.toString(), "p", target.processed(), new SinkCounters());
        PartitionWriter w = PartitionWriter.open(store, "p", target, Envelopes.TOPIC, 0, zone);
        List<SinkRecord> records = new ArrayList<>();
        for (int k = 0; k < 30; k++) {
            long id = 2L * (k % 10);
            records.add(apply(k, source.containsKey(id) ? "u" : "c", id, k));
        }
        w.put(records, 0);
        assertThat(w.flushIfDue(0)).isFalse();
        assertThat(w.flushIfDue(1000)).as("the raw zone's flush is due, the processed commit is not").isTrue();
        assertThat(w.durableOffset()).as("the processed zone holds nothing yet").isEqualTo(0);
        // the task dies before the processed zone commits; the next owner reads from offset 0
        PartitionWriter next = PartitionWriter.open(store, "p", target, Envelopes.TOPIC, 0, zone);
        assertThat(next.durableOffset()).isEqualTo(0);
        next.put(records, 2000);
        next.flush();
        assertThat(next.durableOffset()).isEqualTo(30);
        assertThat(table(store)).isEqualTo(source);
        try (LakeReader reader = new LakeReader(dir)) {
            assertThat(reader.query("select count(*) n from {raw}", "p", "public", "accounts").get(0)).containsEntry("n", 30L);
        }
        zone.close();
    }

    @Test
    void aPartitionBehindAnAddedColumnKeepsIt() throws Exception {
        LocalObjectStore store = new LocalObjectStore(dir);
        TargetConfig target = target(Duration.ofSeconds(1), Duration.ofSeconds(1));
        SharedProcessedZone zone = SharedProcessedZone.open(store, dir.toString(), "p", target.processed(), new SinkCounters());
        PartitionWriter even = PartitionWriter.open(store, "p", target, Envelopes.TOPIC, 0, zone);
        PartitionWriter odd = PartitionWriter.open(store, "p", target, Envelopes.TOPIC, 1, zone);
        even.put(List.of(Envelopes.insertV2(0, 0, 2, 600, 0x100, 0x200)), 0); // the column came
        even.flush();
        odd.put(List.of(Envelopes.change(1, 0, "c", 1, 10, 500, 0x10, 0x20)), 0); // written before it came
        odd.flush();
        Table t = ProcessedTables.open(store, dir.toString(), "p", ACCOUNTS).orElseThrow();
        assertThat(t.schema().findField("region")).as("the older partition does not drop the new column").isNotNull();
        Map<Long, Object> regions = new TreeMap<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(t).build()) {
            records.forEach(r -> regions.put((Long) r.getField("id"), String.valueOf(r.getField("region"))));
        }
        assertThat(regions).isEqualTo(Map.of(1L, "null", 2L, "eu"));
        zone.close();
    }
}
