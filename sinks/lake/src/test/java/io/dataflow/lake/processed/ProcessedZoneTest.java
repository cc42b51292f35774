package io.dataflow.lake.processed;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.Checkpoint;
import io.dataflow.api.Column;
import io.dataflow.api.LoadBatch;
import io.dataflow.api.LogicalType;
import io.dataflow.api.LogicalType.Kind;
import io.dataflow.api.ObjectStore;
import io.dataflow.api.Op;
import io.dataflow.api.Sink;
import io.dataflow.api.SourcePositions;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.config.ProcessedConfig;
import io.dataflow.config.TargetConfig;
import io.dataflow.lake.LakeSink;
import io.dataflow.lake.LakeZones;
import io.dataflow.storage.InMemoryObjectStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;

/**
 * The processed zone on an in-memory store: random inserts, updates (some leaving a large value unchanged, as PostgreSQL
 * TOAST does) and deletes, committed in many batches, read back with Iceberg's own generic reader and compared with a
 * model of the source table; and the same after a crash between the raw zone's checkpoint and the processed commit.
 */
class ProcessedZoneTest {
    static final TableId T = new TableId("shop", "Orders");
    static final TableSchema S = new TableSchema(T, List.of(
            new Column("id", LogicalType.of(Kind.INT64), false),
            new Column("amount", LogicalType.decimal(12, 2), true),
            new Column("day", LogicalType.of(Kind.DATE), true),
            new Column("doc", LogicalType.of(Kind.STRING), true)), List.of("id"));
    static final ProcessedConfig CONFIG = new ProcessedConfig(true, Duration.ofSeconds(30), Map.of(), ProcessedConfig.Catalog.LAKE,
            ProcessedConfig.Maintenance.DEFAULT);

    final ObjectStore store = new InMemoryObjectStore();
    final io.dataflow.runtime.SinkCounters counters = new io.dataflow.runtime.SinkCounters();
    final TreeMap<Long, Object[]> source = new TreeMap<>();
    final Random random = new Random(7);
    long order;

    ProcessedZone zone() {
        return ProcessedZone.open(store, "mem://lake", "p", CONFIG, false, counters);
    }

    ChangeEvent next() {
        order++;
        long id = random.nextInt(300);
        Object[] before = source.get(id);
        int kind = random.nextInt(10);
        String position = SourcePositions.change(order, order, 0);
        if (before == null) {
            Object[] row = {id, BigDecimal.valueOf(random.nextInt(100_000), 2), LocalDate.ofEpochDay(19_000 + random.nextInt(900)),
                    "doc-" + id + "-" + "x".repeat(random.nextInt(50))};
            source.put(id, row.clone());
            return new ChangeEvent(S, Op.INSERT, row, position, order * 1000, "", false);
        }
        if (kind < 2) {
            source.remove(id);
            return new ChangeEvent(S, Op.DELETE, new Object[] {id, null, null, null}, position, order * 1000, "", false);
        }
        Object[] row = before.clone();
        row[1] = BigDecimal.valueOf(random.nextInt(100_000), 2);
        source.put(id, row.clone());
        if (kind < 6) {
            row[3] = null; // not sent: unchanged TOAST value
            return new ChangeEvent(S, Op.UPDATE, row, position, order * 1000, "", false, List.of("doc"));
        }
        return new ChangeEvent(S, Op.UPDATE, row, position, order * 1000, "", false);
    }

    static TreeMap<Long, List<Object>> read(Table table) throws Exception {
        table.refresh();
        TreeMap<Long, List<Object>> rows = new TreeMap<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            for (Record r : records) {
                Long id = (Long) r.getField("id");
                assertThat(rows).as("one row per key").doesNotContainKey(id);
                rows.put(id, List.of(r.getField("amount"), r.getField("day"), r.getField("doc")));
            }
        }
        return rows;
    }

    TreeMap<Long, List<Object>> expected() {
        TreeMap<Long, List<Object>> rows = new TreeMap<>();
        source.forEach((id, row) -> rows.put(id, List.of(row[1], row[2], row[3])));
        return rows;
    }

    Table table() {
        return new LakeCatalog(new StoreFileIO(store, "mem://lake"), "p").load(T).orElseThrow();
    }

    @Test
    void keepsTheCurrentStateThroughManyCommits() throws Exception {
        try (ProcessedZone zone = zone()) {
            zone.recover(Checkpoint.NONE);
            for (int batch = 0; batch < 25; batch++) {
                List<ChangeEvent> events = new ArrayList<>();
                for (int i = 0; i < 80; i++) {
                    events.add(next());
                }
                zone.write(events);
                zone.commitAll();
            }
        }
        assertThat(read(table())).isEqualTo(expected());
        assertThat(ProcessedTable.positionOf(table().currentSnapshot())).isEqualTo(SourcePositions.change(order, order, 0));
    }

    @Test
    void skipsEventsAtOrBelowTheCommittedPosition() throws Exception {
        List<ChangeEvent> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add(next());
        }
        try (ProcessedZone zone = zone()) {
            zone.recover(Checkpoint.NONE);
            zone.write(events);
            zone.commitAll();
            zone.write(events.subList(50, 200)); // a source replay of events already applied
            zone.commitAll();
        }
        assertThat(read(table())).isEqualTo(expected());
    }

    @Test
    void aCrashAfterTheCheckpointIsRepairedFromTheRawZone() throws Exception {
        Checkpoint checkpoint;
        try (ProcessedZone processed = zone(); Sink lake = new LakeZones(new LakeSink(store, "p", TargetConfig.Compression.ZSTD), processed)) {
            lake.recover(Checkpoint.NONE);
            for (int batch = 0; batch < 6; batch++) {
                List<ChangeEvent> events = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    events.add(next());
                }
                lake.write(events);
                lake.flush();
                if (batch == 2) {
                    processed.commitAll();
                }
            }
            checkpoint = new Checkpoint(SourcePositions.change(order, order, 0), Map.of(), true, 6);
            // the process dies here: the processed zone's last three batches were never committed
            clearStaged(processed);
        }
        assertThat(read(table())).isNotEqualTo(expected());
        try (ProcessedZone zone = zone()) {
            zone.recover(checkpoint);
        }
        assertThat(read(table())).isEqualTo(expected());
    }

    private static void clearStaged(ProcessedZone zone) throws Exception {
        java.lang.reflect.Field f = ProcessedZone.class.getDeclaredField("tables");
        f.setAccessible(true);
        ((Map<?, ?>) f.get(zone)).clear();
    }

    @Test
    void aChunkDoneTwiceReplacesItsRows() throws Exception {
        try (ProcessedZone zone = ProcessedZone.open(store, "mem://lake", "p", CONFIG, true, counters)) {
            zone.recover(Checkpoint.NONE);
            for (int attempt = 0; attempt < 2; attempt++) {
                for (int chunk = 1; chunk <= 3; chunk++) {
                    try (Sink.ChunkWriter w = zone.bulkLoad().orElseThrow().open(S, chunk)) {
                        LoadBatch batch = new LoadBatch(S, 100, 5, 1000);
                        for (long id = chunk * 100L; id < chunk * 100L + 50; id++) {
                            int r = batch.addRow(id);
                            batch.setLong(r, 0, id);
                            batch.set(r, 1, BigDecimal.valueOf(id, 2));
                            batch.setLong(r, 2, 19_000);
                            byte[] doc = ("load-" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                            batch.setBytes(r, 3, doc, 0, doc.length);
                            source.put(id, new Object[] {id, BigDecimal.valueOf(id, 2), LocalDate.ofEpochDay(19_000), "load-" + id});
                        }
                        w.write(batch);
                        if (attempt == 1 || chunk != 2) {
                            w.commit();
                        }
                    }
                }
            }
            zone.fullLoadComplete();
        }
        assertThat(read(table())).isEqualTo(expected());
    }

    @Test
    void maintenanceLeavesFewerFilesAndTheSameRows() throws Exception {
        ProcessedConfig config = new ProcessedConfig(true, Duration.ofSeconds(30), Map.of(), ProcessedConfig.Catalog.LAKE,
                new ProcessedConfig.Maintenance(Duration.ofMinutes(5), 4, 4, 128L << 20, Duration.ZERO));
        try (ProcessedZone zone = ProcessedZone.open(store, "mem://lake", "p", config, false, counters)) {
            zone.recover(Checkpoint.NONE);
            zone.fullLoadComplete();
            for (int batch = 0; batch < 20; batch++) {
                List<ChangeEvent> events = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    events.add(next());
                }
                zone.write(events);
                zone.commitAll();
            }
            int[] before = files(table());
            assertThat(before[1]).as("delete files before").isGreaterThan(4);
            store.put("processed/p/shop/Orders/data/00000-0-stray-00001.parquet", new byte[] {1, 2, 3});
            zone.maintain(System.currentTimeMillis());
            int[] after = files(table());
            assertThat(after[0]).as("data files after compaction").isLessThan(before[0]);
            assertThat(after[1]).as("delete files after compaction").isZero();
            assertThat(table().snapshots()).as("snapshots after expiry").hasSize(1);
            assertThat(store.get("processed/p/shop/Orders/data/00000-0-stray-00001.parquet")).as("orphan").isEmpty();
            assertThat(counters.get(io.dataflow.runtime.SinkCounters.PROCESSED_COMPACTIONS)).isEqualTo(1);
            assertThat(counters.get(io.dataflow.runtime.SinkCounters.PROCESSED_ORPHANS_REMOVED)).isPositive();
            // later commits merge into the compacted table
            List<ChangeEvent> events = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                events.add(next());
            }
            zone.write(events);
        }
        assertThat(read(table())).isEqualTo(expected());
        assertThat(ProcessedTable.positionOf(table().currentSnapshot())).isEqualTo(SourcePositions.change(order, order, 0));
        assertThat(table().currentSnapshot().summary()).containsEntry(ProcessedTable.LOAD_DONE, "true");
    }

    /** {data files, delete files} of the current snapshot. */
    static int[] files(Table table) throws Exception {
        table.refresh();
        java.util.Set<String> deletes = new java.util.HashSet<>();
        int data = 0;
        try (CloseableIterable<org.apache.iceberg.FileScanTask> tasks = table.newScan().planFiles()) {
            for (org.apache.iceberg.FileScanTask t : tasks) {
                data++;
                t.deletes().forEach(d -> {
                    assertThat(d.content()).as("only position deletes").isEqualTo(org.apache.iceberg.FileContent.POSITION_DELETES);
                    deletes.add(d.location());
                });
            }
        }
        return new int[] {data, deletes.size()};
    }

    @Test
    void partitionedByDayAndBucketStaysEqualAndReadsWithoutIcebergAfterCompaction(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        ObjectStore local = new io.dataflow.storage.LocalObjectStore(dir);
        ProcessedConfig config = new ProcessedConfig(true, Duration.ofSeconds(30), Map.of("shop.Orders", List.of("year(day)", "bucket(2, id)")),
                ProcessedConfig.Catalog.LAKE, new ProcessedConfig.Maintenance(Duration.ofMinutes(5), 2, 2, 128L << 20, Duration.ofHours(1)));
        String root = dir.toString();
        try (ProcessedZone zone = ProcessedZone.open(local, root, "p", config, false, counters)) {
            zone.recover(Checkpoint.NONE);
            zone.fullLoadComplete();
            for (int batch = 0; batch < 12; batch++) {
                List<ChangeEvent> events = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    events.add(next());
                }
                zone.write(events);
                zone.commitAll();
            }
            zone.maintain(System.currentTimeMillis());
        }
        Table table = ProcessedTables.open(local, root, "p", T).orElseThrow();
        assertThat(table.spec().fields()).hasSize(2);
        assertThat(read(table)).isEqualTo(expected());
        int[] files = files(table);
        assertThat(files[1]).as("delete files after compaction").isZero();
        // no delete files: the data files alone are the table, as any Parquet reader sees them
        List<String> paths = new ArrayList<>();
        try (CloseableIterable<org.apache.iceberg.FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(t -> paths.add("'" + t.file().location() + "'"));
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("select id, amount, day, doc from read_parquet([" + String.join(", ", paths)
                        + "]) order by id")) {
            TreeMap<Long, List<Object>> duck = new TreeMap<>();
            while (rs.next()) {
                duck.put(rs.getLong(1), java.util.Arrays.asList(rs.getBigDecimal(2), rs.getObject(3, LocalDate.class), rs.getString(4)));
            }
            assertThat(duck).as("DuckDB over the data files").isEqualTo(expected());
        }
    }

    @Test
    void aTableWithoutPrimaryKeyIsLeftToTheRawZone() throws Exception {
        TableSchema keyless = new TableSchema(new TableId("shop", "log"), List.of(new Column("line", LogicalType.of(Kind.STRING), true)), List.of());
        try (ProcessedZone zone = zone()) {
            zone.recover(Checkpoint.NONE);
            zone.write(List.of(new ChangeEvent(keyless, Op.INSERT, new Object[] {"a"}, SourcePositions.change(1, 1, 0), 1000, "", false)));
            zone.commitAll();
        }
        assertThat(new LakeCatalog(new StoreFileIO(store, "mem://lake"), "p").load(keyless.id())).isEmpty();
    }

    @Test
    void aTypeChangeIcebergCannotPromoteKeepsTheOldValuesBesideTheNewColumn() throws Exception {
        TableSchema retyped = new TableSchema(T, List.of(S.columns().get(0), new Column("amount", LogicalType.of(Kind.STRING), true),
                S.columns().get(2), S.columns().get(3)), List.of("id"));
        try (ProcessedZone zone = zone()) {
            zone.recover(Checkpoint.NONE);
            zone.write(List.of(new ChangeEvent(S, Op.INSERT, new Object[] {1L, new BigDecimal("1.50"), LocalDate.ofEpochDay(1), "a"},
                    SourcePositions.change(1, 1, 0), 1000, "", false)));
            zone.write(List.of(new ChangeEvent(retyped, Op.INSERT, new Object[] {2L, "two fifty", LocalDate.ofEpochDay(2), "b"},
                    SourcePositions.change(2, 2, 0), 2000, "", false)));
            zone.commitAll();
        }
        Table table = table();
        String kept = table.schema().columns().stream().map(org.apache.iceberg.types.Types.NestedField::name)
                .filter(n -> n.startsWith("amount__decimal_before_")).findFirst().orElseThrow();
        TreeMap<Long, List<Object>> rows = new TreeMap<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            for (Record r : records) {
                rows.put((Long) r.getField("id"), java.util.Arrays.asList(r.getField(kept), r.getField("amount")));
            }
        }
        assertThat(rows).containsEntry(1L, java.util.Arrays.asList(new BigDecimal("1.50"), null))
                .containsEntry(2L, java.util.Arrays.asList(null, "two fifty"));
    }
}
