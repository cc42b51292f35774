package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.ObjectStore;
import io.dataflow.api.TableId;
import io.dataflow.lake.processed.ProcessedTables;
import io.dataflow.storage.LocalObjectStore;
import io.dataflow.testing.TestDb;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processed zone end to end: a full load and random inserts, updates and deletes committed while replicating, then
 * the Iceberg table, read back with Apache Iceberg's own generic reader, equals the source table row for row.
 */
class ProcessedZoneIT {
    @TempDir
    Path dir;

    static String processedYaml(TestDb db, String name, Path lake, String processed) {
        return db.pipelineYaml(name, "full-load-and-cdc", lake.toString(), "public.*") + "    processed: " + processed + "\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb"})
    void theIcebergTableEqualsTheSourceAfterCatchUp(String type) throws Exception {
        Path lake = dir.resolve("lake");
        try (TestDb db = CrashRecoveryIT.database(type); Workload workload = new Workload(db, 3000, 2)) {
            try (RunningPipeline p = new RunningPipeline(processedYaml(db, "pz", lake, "{commit-interval: 1s}"), Map.of())) {
                p.awaitFullLoad();
                workload.start();
                RunningPipeline.await(Duration.ofSeconds(60), () -> workload.committed() > 1500, "changes committed");
                workload.stop();
                List<String> source = workload.source();
                RunningPipeline.await(Duration.ofSeconds(90), () -> source.equals(rows(lake, "pz", db)), "the processed zone to catch up");
                assertThat(p.stop()).isZero();
            }
            assertThat(rows(lake, "pz", db)).as("processed zone after stop vs source").containsExactlyElementsOf(workload.source());
        }
    }

    /** The processed table as {@code id|balance|note}, ordered by id; empty when the table does not exist yet. */
    static List<String> rows(Path lake, String pipeline, TestDb db) {
        return rows(lake, lake.toAbsolutePath().normalize().toString(), pipeline, db);
    }

    /** As {@link #rows(Path, String, TestDb)}, for a lake's copy in {@code lake} whose tables name {@code root} (e.g. s3://). */
    static List<String> rows(Path lake, String root, String pipeline, TestDb db) {
        try (ObjectStore store = new LocalObjectStore(lake)) {
            Table table = ProcessedTables.open(store, root, pipeline, new TableId(db.schema(), Workload.TABLE)).orElse(null);
            if (table == null) {
                return List.of();
            }
            TreeMap<Long, String> rows = new TreeMap<>();
            try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
                for (Record r : records) {
                    String before = rows.put((Long) r.getField("id"), r.getField("id") + "|" + r.getField("balance") + "|" + r.getField("note"));
                    if (before != null) {
                        return List.of("duplicate key " + r.getField("id"));
                    }
                }
            }
            return new ArrayList<>(rows.values());
        } catch (Exception e) {
            return List.of(e.toString());
        }
    }
}
