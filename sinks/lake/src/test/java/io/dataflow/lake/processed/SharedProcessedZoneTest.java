package io.dataflow.lake.processed;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.Op;
import io.dataflow.api.SourcePositions;
import io.dataflow.storage.LocalObjectStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers of three streams commit to one table from three threads at once, on a local folder (each commit races the
 * others for the next table version): the table ends equal to the source, every stream's progress is recorded, and no
 * writer waits forever.
 */
class SharedProcessedZoneTest {
    @TempDir
    Path dir;

    @Test
    void threeWritersCommittingAtOnceReachTheSourcesState() throws Exception {
        LocalObjectStore store = new LocalObjectStore(dir);
        // writer 0 compacts as often as it can, while the others commit
        io.dataflow.config.ProcessedConfig config = new io.dataflow.config.ProcessedConfig(true, java.time.Duration.ofSeconds(1), Map.of(),
                io.dataflow.config.ProcessedConfig.Catalog.LAKE, new io.dataflow.config.ProcessedConfig.Maintenance(java.time.Duration.ofSeconds(1),
                        4, 4, 128L << 20, java.time.Duration.ofHours(1)));
        io.dataflow.runtime.SinkCounters counters = new io.dataflow.runtime.SinkCounters();
        SharedProcessedZone zone = SharedProcessedZone.open(store, dir.toString(), "p", config, counters);
        Map<Long, List<Object>> source = new ConcurrentHashMap<>();
        List<Throwable> failures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            int stream = s;
            threads.add(new Thread(() -> {
                try {
                    write(zone.writer("t/" + stream, stream == 0), stream, source);
                } catch (Throwable t) {
                    synchronized (failures) {
                        failures.add(t);
                    }
                }
            }, "writer-" + s));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(120_000);
            assertThat(t.isAlive()).as("%s still running:\n%s", t.getName(), Arrays.toString(t.getStackTrace()).replace(", ", "\n")).isFalse();
        }
        assertThat(failures).isEmpty();
        org.apache.iceberg.Table table = ProcessedTables.open(store, dir.toString(), "p", ProcessedZoneTest.T).orElseThrow();
        TreeMap<Long, List<Object>> expected = new TreeMap<>();
        source.forEach((id, row) -> expected.put(id, row));
        assertThat(ProcessedZoneTest.read(table)).isEqualTo(expected);
        assertThat(table.properties()).containsEntry("dataflow.stream.t/0.offset", "" + ROUNDS * 20)
                .containsEntry("dataflow.stream.t/2.offset", "" + ROUNDS * 20);
        assertThat(counters.get(io.dataflow.runtime.SinkCounters.PROCESSED_COMPACTIONS)).as("compactions").isPositive();
        zone.close();
    }

    private static final int ROUNDS = 15;

    /** {@link #ROUNDS} commits of 20 random changes of the stream's own keys (id % 3 == stream). */
    private static void write(SharedProcessedZone.Writer w, int stream, Map<Long, List<Object>> source) throws Exception {
        Random random = new Random(stream);
        Map<Long, Object[]> mine = new TreeMap<>();
        long offset = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (int k = 0; k < 20; k++, offset++) {
                long id = 3L * random.nextInt(100) + stream;
                String position = SourcePositions.change(offset + 1, offset + 1, 0);
                Object[] before = mine.get(id);
                ChangeEvent e;
                if (before != null && random.nextInt(5) == 0) {
                    mine.remove(id);
                    e = new ChangeEvent(ProcessedZoneTest.S, Op.DELETE, new Object[] {id, null, null, null}, position, 0, "", false);
                } else {
                    Object[] row = {id, BigDecimal.valueOf(random.nextInt(100_000), 2), LocalDate.ofEpochDay(19_000 + random.nextInt(900)),
                            "doc-" + id};
                    mine.put(id, row);
                    e = new ChangeEvent(ProcessedZoneTest.S, before == null ? Op.INSERT : Op.UPDATE, row.clone(), position, 0, "", false);
                }
                w.stage(e, offset);
            }
            w.commit(offset);
            w.maintainIfDue(round * 1000L); // (a compaction that loses to another writer's commit waits for the next round)
        }
        mine.forEach((id, row) -> source.put(id, List.of(row[1], row[2], row[3])));
    }
}
