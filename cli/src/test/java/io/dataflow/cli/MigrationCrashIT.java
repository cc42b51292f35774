package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.TestDatabase;
import io.dataflow.testing.TestDb;
import io.dataflow.testing.TestMariaDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code dataflow.jar run} into a database target as a separate process, killed with SIGKILL while the full load
 * lands and three times while changes are applied (random inserts, updates, deletes, multi-statement transactions),
 * restarted each time: the target converges to exactly the source's rows.
 */
class MigrationCrashIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.dataflow.cli.SourceTypes#migrations")
    void sigkillDuringApplyConvergesToTheSource(String direction) throws Exception {
        Path jar = Path.of(System.getProperty("dataflow.jar", "target/dataflow.jar"));
        assertThat(jar).as("the runnable jar (built by mvn package)").exists();
        boolean fromMariaDb = direction.startsWith("mariadb");
        int initialRows = 50_000;
        try (TestDb src = fromMariaDb ? TestMariaDb.create() : TestDatabase.create();
                TestDb dst = fromMariaDb ? TestDatabase.create() : TestMariaDb.create();
                Workload workload = new Workload(src, initialRows, 2)) {
            String table = fromMariaDb ? "\"" + src.name() + "\".accounts" : "accounts";
            Path config = dir.resolve("pipeline.yaml");
            String name = Migration.uniqueName("crash");
            // small chunks on one thread, so the first kill lands in the middle of the load
            Files.writeString(config, Migration.pipeline(src, dst, name, "full-load-and-cdc", src.schema() + ".accounts", "",
                    "full-load: {threads: 1, chunk-rows: 4000}\n"));
            Path log = dir.resolve("run.log");

            Process p = JarProcess.run(jar, config, log);
            RunningPipeline.await(Duration.ofSeconds(120), () -> count(dst, table) > 0 || !p.isAlive(), "first rows in the target");
            assertThat(p.isAlive()).as("process alive; log:\n%s", JarProcess.tail(log)).isTrue();
            boolean killedDuringFullLoad = count(dst, table) < initialRows;
            p.destroyForcibly().waitFor();

            // changes from here on happen while the rest of the load is read, in a newer snapshot than the first chunks
            workload.start();
            Process p2 = JarProcess.run(jar, config, log);
            RunningPipeline.await(Duration.ofSeconds(180), () -> fullLoadDone(dst, name) || !p2.isAlive(), "full load after restart");
            assertThat(p2.isAlive()).as("process alive; log:\n%s", JarProcess.tail(log)).isTrue();
            Process current = p2;
            for (int kill = 0; kill < 3; kill++) {
                long target = workload.committed() + 300;
                RunningPipeline.await(Duration.ofSeconds(60), () -> workload.committed() >= target, "changes committed");
                current.destroyForcibly().waitFor();
                long more = workload.committed() + 100;
                RunningPipeline.await(Duration.ofSeconds(60), () -> workload.committed() >= more, "changes while down");
                current = JarProcess.run(jar, config, log);
            }
            workload.stop();
            Process last = current;
            List<String> expected = workload.source();
            RunningPipeline.await(Duration.ofSeconds(120), () -> rows(dst, table).equals(expected) || !last.isAlive(), "convergence");
            last.destroy();
            assertThat(last.waitFor()).as("exit code after SIGTERM; log:\n%s", JarProcess.tail(log)).isZero();
            assertThat(rows(dst, table)).as("target rows (id|balance|note)").isEqualTo(expected);
            System.out.printf("migration crash test (%s): killed during full load: %s, %d changes, %d rows compared%n", direction,
                    killedDuringFullLoad, workload.committed(), expected.size());
        }
    }

    /** The checkpoint in the target's _dataflow schema says the full load is done. */
    private static boolean fullLoadDone(TestDb db, String pipeline) {
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select content from _dataflow.objects where object_key = '_state/" + pipeline + "/checkpoint.json'")) {
            return rs.next() && new String(rs.getBytes(1), java.nio.charset.StandardCharsets.UTF_8).matches("(?s).*\"fullLoadDone\"\\s*:\\s*true.*");
        } catch (Exception e) {
            return false;
        }
    }

    private static long count(TestDb db, String table) {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return 0; // not created yet
        }
    }

    private static List<String> rows(TestDb db, String table) {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select id, balance, note from " + table + " order by id")) {
            while (rs.next()) {
                out.add(rs.getLong(1) + "|" + rs.getLong(2) + "|" + rs.getString(3));
            }
        } catch (Exception e) {
            out.add("error: " + e.getMessage());
        }
        return out;
    }


}
