package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.ObjectStore;
import io.dataflow.api.TableId;
import io.dataflow.lake.processed.ProcessedRebuild;
import io.dataflow.lake.processed.ProcessedTables;
import io.dataflow.storage.LocalObjectStore;
import io.dataflow.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataflow rebuild}: the processed table rebuilt from the raw zone equals the source, and {@code --as-of} a time
 * between two rounds of changes equals the copy of the source table taken at that time.
 */
class RebuildIT {
    @TempDir
    Path dir;

    @Test
    void rebuildsTheCurrentStateAndAPastOne() throws Exception {
        Path lake = dir.resolve("lake");
        try (TestDatabase db = TestDatabase.create(); Workload workload = new Workload(db, 500, 0)) {
            String yaml = ProcessedZoneIT.processedYaml(db, "rb", lake, "{commit-interval: 500ms}");
            Path file = Files.writeString(dir.resolve("p.yaml"), yaml);
            List<String> atThatTime;
            Instant between;
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                p.awaitFullLoad();
                workload.start();
                RunningPipeline.await(Duration.ofSeconds(60), () -> workload.committed() > 300, "a first round of changes");
                workload.stop();
                atThatTime = workload.source();
                between = dbNow(db);
                db.execute("update accounts set balance = balance + 1 where id % 3 = 0", "delete from accounts where id % 7 = 0",
                        "insert into accounts (id, balance, note) select i, i, 'later' from generate_series(100000, 100050) i");
                List<String> now = workload.source();
                RunningPipeline.await(Duration.ofSeconds(60), () -> now.equals(ProcessedZoneIT.rows(lake, "rb", db)), "catch-up");
                assertThat(p.stop()).isZero();
            }
            assertThat(atThatTime).isNotEqualTo(workload.source());

            MainTest.Result running = MainTest.run("rebuild", "--config", file.toString(), "--table", "public.accounts",
                    "--as-of", between.toString());
            assertThat(running.code()).as(running.out() + running.err()).isZero();
            assertThat(running.out()).contains("accounts__as_of_");
            TableId past = ProcessedRebuild.asOfTable(new TableId("public", "accounts"), between);
            assertThat(rows(lake, past)).as("as of " + between).containsExactlyElementsOf(atThatTime);

            MainTest.Result current = MainTest.run("rebuild", "--config", file.toString(), "--table", "public.accounts");
            assertThat(current.code()).as(current.out() + current.err()).isZero();
            assertThat(ProcessedZoneIT.rows(lake, "rb", db)).as("rebuilt in place").containsExactlyElementsOf(workload.source());

            MainTest.Result unknown = MainTest.run("rebuild", "--config", file.toString(), "--table", "public.nope");
            assertThat(unknown.code()).isEqualTo(Main.EXIT_CONFIG);
            assertThat(unknown.err()).contains("public.nope");
        }
    }

    private static Instant dbNow(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select clock_timestamp()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    private static List<String> rows(Path lake, TableId id) throws Exception {
        try (ObjectStore store = new LocalObjectStore(lake)) {
            var table = ProcessedTables.open(store, lake.toAbsolutePath().normalize().toString(), "rb", id).orElseThrow();
            java.util.TreeMap<Long, String> rows = new java.util.TreeMap<>();
            try (var records = org.apache.iceberg.data.IcebergGenerics.read(table).build()) {
                for (var r : records) {
                    rows.put((Long) r.getField("id"), r.getField("id") + "|" + r.getField("balance") + "|" + r.getField("note"));
                }
            }
            return List.copyOf(rows.values());
        }
    }
}
