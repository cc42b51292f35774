package io.dataflow.bench;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.Checkpoint;
import io.dataflow.api.Column;
import io.dataflow.api.LoadBatch;
import io.dataflow.api.LogicalType;
import io.dataflow.api.Op;
import io.dataflow.api.Sink;
import io.dataflow.api.SourcePositions;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.config.ProcessedConfig;
import io.dataflow.lake.processed.ProcessedTables;
import io.dataflow.lake.processed.ProcessedZone;
import io.dataflow.runtime.SinkCounters;
import io.dataflow.storage.LocalObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The processed zone's merge, in this JVM on a local lake (no database: what is measured is the Iceberg side): a table
 * of N rows is loaded in key order, then batches of updates to random keys are committed. {@code merge} reports changes
 * applied per second on a large table; {@code hour} commits an hour's worth of small batches (120 commits of 30 s at
 * 100 tx/s) and reads the whole table before and after maintenance, with the file counts.
 */
final class ProcessedMerge extends Scenario {
    static final TableId T = new TableId("bench", "accounts");
    static final TableSchema S = new TableSchema(T, List.of(
            new Column("id", LogicalType.of(LogicalType.Kind.INT64), false),
            new Column("balance", LogicalType.of(LogicalType.Kind.INT64), true),
            new Column("note", LogicalType.of(LogicalType.Kind.STRING), true)), List.of("id"));

    ProcessedMerge(Settings settings) {
        super(settings);
    }

    private ProcessedZone zone(Path lake, ProcessedConfig.Maintenance maintenance, SinkCounters counters) throws Exception {
        ProcessedConfig config = new ProcessedConfig(true, Duration.ofDays(1), Map.of(), ProcessedConfig.Catalog.LAKE, maintenance);
        return ProcessedZone.open(new LocalObjectStore(lake), lake.toString(), "bench", config, true, counters);
    }

    /** Loads rows 1..n in chunks of a million; returns seconds. */
    private double load(ProcessedZone zone, long n) throws Exception {
        return Results.seconds(() -> {
            int chunk = 0;
            for (long start = 1; start <= n; start += 1_000_000) {
                try (Sink.ChunkWriter w = zone.bulkLoad().orElseThrow().open(S, ++chunk)) {
                    LoadBatch batch = new LoadBatch(S, 10_000, 1, 0);
                    for (long id = start; id < Math.min(n + 1, start + 1_000_000); id++) {
                        int r = batch.addRow(id);
                        batch.setLong(r, 0, id);
                        batch.setLong(r, 1, id * 10);
                        byte[] note = ("initial " + id).getBytes(StandardCharsets.UTF_8);
                        batch.setBytes(r, 2, note, 0, note.length);
                        if (batch.isFull()) {
                            w.write(batch);
                            batch = new LoadBatch(S, 10_000, 1, 0);
                        }
                    }
                    w.write(batch);
                    w.commit();
                }
            }
            zone.fullLoadComplete();
        });
    }

    private static List<ChangeEvent> updates(Random random, long rows, int n, long[] order) {
        List<ChangeEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order[0]++;
            long id = 1 + (long) (random.nextDouble() * rows);
            events.add(new ChangeEvent(S, Op.UPDATE, new Object[] {id, order[0], "updated " + order[0]},
                    SourcePositions.change(order[0], order[0], 0), System.currentTimeMillis() * 1000, "", false));
        }
        return events;
    }

    Map<String, Object> merge(long rows, int batches, int batch) throws Exception {
        Path lake = work.resolve("lake-processed-merge");
        Results.deleteTree(lake);
        SinkCounters counters = new SinkCounters();
        Map<String, Object> m = Results.header("processed-merge-random-keys", "bench.accounts (local lake)", rows, 1);
        try (ProcessedZone zone = zone(lake, ProcessedConfig.Maintenance.DEFAULT, counters)) {
            zone.recover(Checkpoint.NONE);
            double loadS = load(zone, rows);
            System.err.printf(Locale.ROOT, "loaded %d rows in %.1f s%n", rows, loadS);
            m.put("load_s", Results.round(loadS));
            m.put("load_rows_per_s", Math.round(rows / loadS));
            Random random = new Random(1);
            long[] order = {0};
            List<Double> commits = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                List<ChangeEvent> events = updates(random, rows, batch, order);
                double s = Results.seconds(() -> {
                    zone.write(events);
                    zone.commitAll();
                });
                commits.add(s);
                System.err.printf(Locale.ROOT, "commit %d: %d random-key updates in %.2f s (%.0f changes/s)%n", b + 1, batch, s, batch / s);
            }
            m.put("batch", batch);
            m.put("commit_s", Results.stats(commits));
            m.put("changes_per_s", Math.round(batch / Results.median(commits)));
        }
        m.put("lake_bytes", Results.treeSize(lake));
        m.put("peak_heap_mb", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        return m;
    }

    Map<String, Object> hour(long rows, int commits, int batch) throws Exception {
        Path lake = work.resolve("lake-processed-hour");
        Results.deleteTree(lake);
        SinkCounters counters = new SinkCounters();
        Map<String, Object> m = Results.header("processed-hour-of-changes-then-maintenance", "bench.accounts (local lake)", rows, 1);
        ProcessedConfig.Maintenance maintenance = new ProcessedConfig.Maintenance(Duration.ofMinutes(5), 16, 16, 128L << 20, Duration.ofHours(1));
        try (ProcessedZone zone = zone(lake, maintenance, counters)) {
            zone.recover(Checkpoint.NONE);
            load(zone, rows);
            Random random = new Random(2);
            long[] order = {0};
            double applyS = Results.seconds(() -> {
                for (int c = 0; c < commits; c++) {
                    zone.write(updates(random, rows, batch, order));
                    zone.commitAll();
                }
            });
            m.put("commits", commits);
            m.put("batch", batch);
            m.put("apply_s", Results.round(applyS));
            m.put("changes_per_s", Math.round((double) commits * batch / applyS));
            Table table = ProcessedTables.open(new LocalObjectStore(lake), lake.toString(), "bench", T).orElseThrow();
            m.put("before_maintenance", readCost(table));
            double maintainS = Results.seconds(() -> zone.maintain(System.currentTimeMillis() + Duration.ofHours(2).toMillis()));
            m.put("maintenance_s", Results.round(maintainS));
            table.refresh();
            m.put("after_maintenance", readCost(table));
            m.put("counters", counters.snapshot());
        }
        return m;
    }

    /** Files and the time to read every row (median of 3). */
    private static Map<String, Object> readCost(Table table) throws Exception {
        int data = 0;
        java.util.Set<String> deletes = new java.util.HashSet<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask t : tasks) {
                data++;
                t.deletes().forEach(d -> deletes.add(d.location()));
            }
        }
        List<Double> reads = new ArrayList<>();
        long[] n = {0};
        for (int i = 0; i < 3; i++) {
            reads.add(Results.seconds(() -> {
                n[0] = 0;
                try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
                    for (Record r : records) {
                        n[0]++;
                    }
                }
            }));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data_files", data);
        m.put("position_delete_files", deletes.size());
        m.put("rows", n[0]);
        m.put("full_read_s", Results.stats(reads));
        System.err.printf(Locale.ROOT, "read cost: %s%n", m);
        return m;
    }
}
