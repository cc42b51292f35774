package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.TestDatabase;
import io.dataflow.testing.TestMariaDb;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataflow.jar run} killed with SIGKILL in the middle of a reload (the target table emptied, part of it read
 * again) while a writer keeps changing the source: after a restart the reload goes on from its last durable chunk and
 * the target ends equal to the source.
 */
class ReloadCrashIT {
    @TempDir
    Path dir;

    @Test
    void sigkillDuringAReloadStillEndsEqual() throws Exception {
        Path jar = Path.of(System.getProperty("dataflow.jar", "target/dataflow.jar"));
        assertThat(jar).as("the runnable jar (built by mvn package)").exists();
        int rows = 150_000;
        try (TestDatabase src = TestDatabase.create(); TestMariaDb dst = TestMariaDb.create(); Workload workload = new Workload(src, rows, 2)) {
            Path config = dir.resolve("pipeline.yaml");
            Files.writeString(config, Migration.pipeline(src, dst, Migration.uniqueName("rlc"), "full-load-and-cdc", "public.accounts", "", ""));
            Path log = dir.resolve("run.log");
            Process p = JarProcess.run(jar, config, log);
            RunningPipeline.await(Duration.ofSeconds(180), () -> count(dst) >= rows || !p.isAlive(), "the full load");
            RunningPipeline.await(Duration.ofSeconds(60), () -> logContains(log, "post-load DDL") || !p.isAlive(), "the load's end");
            assertThat(p.isAlive()).as("process alive; log:\n%s", JarProcess.tail(log)).isTrue();
            workload.start();
            StringWriter out = new StringWriter();
            assertThat(Main.execute(new String[] {"reload", "--config", config.toString(), "--table", "public.accounts"},
                    new PrintWriter(out, true), new PrintWriter(out, true))).as(out.toString()).isZero();
            // emptied, then partly read again
            RunningPipeline.await(Duration.ofSeconds(60), () -> logContains(log, "emptied target table") || !p.isAlive(),
                    "the reload to start");
            // the emptying commits with the flush after it: wait until it shows, then for some rows read again
            RunningPipeline.await(Duration.ofSeconds(60), () -> count(dst) < rows - 20_000 || !p.isAlive(), "the emptied table");
            RunningPipeline.await(Duration.ofSeconds(60), () -> count(dst) > 5_000 || !p.isAlive(), "the first chunks");
            long atKill = count(dst);
            p.destroyForcibly().waitFor();
            assertThat(atKill).as("killed in the middle of the reload").isLessThan(rows - 10_000);

            Process again = JarProcess.run(jar, config, log);
            RunningPipeline.await(Duration.ofSeconds(30), () -> workload.committed() > 500, "writes after the restart");
            workload.stop();
            List<String> expected = workload.source();
            RunningPipeline.await(Duration.ofSeconds(180), () -> rows(dst).equals(expected) || !again.isAlive(), "convergence");
            again.destroy();
            assertThat(again.waitFor()).as("exit code after SIGTERM; log:\n%s", JarProcess.tail(log)).isZero();
            assertThat(rows(dst)).as("target rows (id|balance|note)").isEqualTo(expected);
            System.out.printf("reload crash test: killed with %d of %d rows read again, %d changes%n", atKill, rows, workload.committed());
        }
    }

    private static boolean logContains(Path log, String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static long count(TestMariaDb db) {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from accounts")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return 0;
        }
    }

    private static List<String> rows(TestMariaDb db) {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select id, balance, note from accounts order by id")) {
            while (rs.next()) {
                out.add(rs.getLong(1) + "|" + rs.getLong(2) + "|" + rs.getString(3));
            }
        } catch (Exception e) {
            out.add("error: " + e.getMessage());
        }
        return out;
    }
}
