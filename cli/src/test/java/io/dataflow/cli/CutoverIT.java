package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.cli.ops.Operations;
import io.dataflow.testing.TestDatabase;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration's last gates on PostgreSQL to PostgreSQL: status of a running pipeline, cutover READY when caught up
 * and NOT READY when the target was changed behind its back, and the fallback pipeline it writes: check accepts it and
 * it carries a change made on the new database back to the old one.
 */
class CutoverIT {
    @TempDir
    Path dir;

    @Test
    void statusCutoverAndFallback() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (TestDatabase src = TestDatabase.create(); TestDatabase dst = TestDatabase.create()) {
            src.execute("create table accounts (id int primary key, balance int not null)",
                    "insert into accounts select g, g * 10 from generate_series(1, 1000) g",
                    "create table \"Order Lines\" (id int primary key, note text)",
                    "insert into \"Order Lines\" select g, 'n' || g from generate_series(1, 50) g", "analyze");
            String yaml = Migration.pipeline(src, dst, Migration.uniqueName("cut"), "full-load-and-cdc", "public.*", "", "");
            Path file = dir.resolve("p.yaml");
            Files.writeString(file, yaml);
            Path fallback = dir.resolve("fallback.yaml");
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of(), new Operations(port, "", "127.0.0.1"))) {
                p.awaitFullLoad();
                src.execute("update accounts set balance = balance + 1 where id <= 10", "insert into \"Order Lines\" values (51, 'new')");
                RunningPipeline.await(Duration.ofSeconds(30), () -> p.stats().totalChanges() == 11, "11 changes applied");

                MainTest.Result status = MainTest.run("status", "--config", file.toString());
                assertThat(status.code()).as(status.err()).isZero();
                assertThat(status.out()).contains("  process:    running on ", "status page http://127.0.0.1:" + port + "/",
                        ", full load done", "  instance:   phase streaming", "public.accounts: full load 1,000 of ~1,000 rows, changes 10",
                        "public.Order Lines: full load 50 of ~50 rows, changes 1");
                assertThat(status.out()).containsPattern("source: +\\d+(\\.\\d)? (B|KiB|MiB) of change log held");

                MainTest.Result ready = MainTest.run("cutover", "--config", file.toString(), "--max-lag", "1s", "--fallback", fallback.toString());
                assertThat(ready.code()).as(ready.out() + ready.err()).isZero();
                assertThat(ready.out()).contains("CUTOVER READY: lag ", "1051 row(s) compared row for row", "fallback pipeline")
                        .contains("ok    wal_level = logical");

                dst.execute("update accounts set balance = -1 where id = 500"); // behind the pipeline's back
                MainTest.Result notReady = MainTest.run("cutover", "--config", file.toString(), "--max-lag", "1s");
                assertThat(notReady.code()).isEqualTo(Main.EXIT_FAILED);
                assertThat(notReady.out()).contains("NOT READY: the targets differ from the source").contains("500");
                dst.execute("update accounts set balance = 5000 where id = 500");
                assertThat(p.stop()).isZero();
            }
            MainTest.Result stopped = MainTest.run("status", "--config", file.toString());
            assertThat(stopped.out()).contains("  process:    not running");
            // while the pipeline is stopped, its slot holds every change the source makes
            long before = backlog(file);
            src.execute("insert into accounts select g, 0 from generate_series(5001, 7000) g");
            assertThat(backlog(file)).isGreaterThan(before + 2000 * 20);
            MainTest.Result stoppedCutover = MainTest.run("cutover", "--config", file.toString());
            assertThat(stoppedCutover.code()).isEqualTo(Main.EXIT_FAILED);
            assertThat(stoppedCutover.out()).contains("NOT READY: pipeline '").contains("is not running");

            String reverse = Files.readString(fallback);
            assertThat(reverse).contains("mode: cdc", "table-prep: keep", "database: '" + dst.name() + "'");
            MainTest.Result check = MainTest.run("check", "--config", fallback.toString());
            assertThat(check.code()).as(check.out() + check.err()).isZero();
            try (RunningPipeline back = new RunningPipeline(reverse, Map.of())) {
                back.stats();
                RunningPipeline.await(Duration.ofSeconds(60), () -> back.stats().phase() == io.dataflow.runtime.PipelineStats.Phase.STREAMING
                        && back.stats().checkpoints() >= 0, "the fallback streaming");
                // the stream starts from the slot created at start: wait for it before writing
                RunningPipeline.await(Duration.ofSeconds(60), () -> slotActive(dst), "the fallback's slot active");
                dst.execute("insert into accounts values (2000, 7)", "update \"Order Lines\" set note = 'after cutover' where id = 1");
                RunningPipeline.await(Duration.ofSeconds(60), () -> rows(src, "select balance from accounts where id = 2000").equals(List.of("7"))
                        && rows(src, "select note from \"Order Lines\" where id = 1").equals(List.of("after cutover")), "changes back on the old source");
                assertThat(back.stop()).isZero();
            }
        }
    }

    private static long backlog(Path file) throws Exception {
        MainTest.Result r = MainTest.run("status", "--config", file.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).get("sourceBacklogBytes").asLong();
    }

    private static boolean slotActive(TestDatabase db) {
        return rows(db, "select 1 from pg_replication_slots where database = '" + db.name() + "' and active").size() == 1;
    }

    private static List<String> rows(TestDatabase db, String sql) {
        try {
            return MigrationIT.query(db, sql);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
