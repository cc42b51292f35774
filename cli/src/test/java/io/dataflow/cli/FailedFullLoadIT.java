package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PostgreSQL full load that fails in mode full-load leaves no replication slot holding WAL, and says so. */
class FailedFullLoadIT {
    @TempDir
    Path dir;

    @Test
    void aFailedFullLoadDropsItsSlotAndSaysSo() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("create table big (id int primary key, filler text)",
                    "insert into big select i, repeat('x', 200) from generate_series(1, 1500000) i", "analyze big");
            Path file = Files.writeString(dir.resolve("p.yaml"), db.pipelineYaml("failfl", "full-load", dir.resolve("lake").toString(),
                    "public.*"));
            AtomicBoolean killed = new AtomicBoolean();
            CompletableFuture<MainTest.Result> run = CompletableFuture.supplyAsync(
                    () -> MainTest.run("run", "-c", file.toString(), "--progress-seconds", "0"));
            // cut the full load's COPY as soon as it reads, as a lost connection would
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!run.isDone() && !killed.get() && System.nanoTime() < deadline) {
                    try (ResultSet rs = st.executeQuery("select pg_terminate_backend(pid) from pg_stat_activity where application_name = "
                            + "'dataflow-failfl-full-load' and query ilike 'copy%' and state = 'active'")) {
                        killed.set(rs.next());
                    }
                }
            }
            MainTest.Result r = run.get(120, TimeUnit.SECONDS);
            assertThat(killed).as("the COPY was seen and cut").isTrue();
            assertThat(r.code()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).containsPattern("replication slot \\S+ was dropped").doesNotContain("\tat ");
            try (Connection c = db.connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("select count(*) from pg_replication_slots where database = '" + db.name() + "'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("no slot left holding WAL").isZero();
            }
        }
    }
}
