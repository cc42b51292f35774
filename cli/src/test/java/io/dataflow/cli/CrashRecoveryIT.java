package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestDatabase;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import io.dataflow.testing.TestDb;
import io.dataflow.testing.TestMariaDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code dataflow.jar run} as a separate process, kills it with SIGKILL during the full load and
 * repeatedly while changes stream, restarts it each time, and proves exactly-once delivery into the raw zone.
 */
class CrashRecoveryIT {
    static final String PIPELINE = "crash";

    @TempDir
    Path dir;

    static TestDb database(String type) throws Exception {
        return type.equals("postgres") ? TestDatabase.create() : TestMariaDb.create();
    }

    @ParameterizedTest
    @MethodSource("io.dataflow.cli.SourceTypes#sources")
    void sigkillAnywhereLosesNothingAndDuplicatesNothing(String type) throws Exception {
        Path jar = Path.of(System.getProperty("dataflow.jar", "target/dataflow.jar"));
        assertThat(jar).as("the runnable jar (built by mvn package)").exists();
        Path lake = dir.resolve("lake");
        int initialRows = 100_000;
        try (TestDb db = database(type); Workload workload = new Workload(db, initialRows, 2);
                LakeReader reader = new LakeReader(lake)) {
            Path config = dir.resolve("pipeline.yaml");
            Files.writeString(config, db.pipelineYaml(PIPELINE, "full-load-and-cdc", lake.toString(), "public.accounts"));
            Path log = dir.resolve("run.log");

            Process p = JarProcess.run(jar, config, log);
            // Kill 1: as soon as the full load has written its first file.
            RunningPipeline.await(Duration.ofSeconds(120), () -> anyFile(lake.resolve("raw")) || !p.isAlive(), "first full-load file");
            assertThat(p.isAlive()).as("process alive; log:\n%s", JarProcess.tail(log)).isTrue();
            boolean killedDuringFullLoad = !fullLoadDone(lake);
            p.destroyForcibly().waitFor();

            Process p2 = JarProcess.run(jar, config, log);
            RunningPipeline.await(Duration.ofSeconds(180), () -> fullLoadDone(lake) || !p2.isAlive(), "full load after restart");
            assertThat(p2.isAlive()).as("process alive; log:\n%s", JarProcess.tail(log)).isTrue();
            workload.start();
            Process current = p2;
            for (int kill = 0; kill < 3; kill++) {
                long target = workload.committed() + 150;
                RunningPipeline.await(Duration.ofSeconds(60), () -> workload.committed() >= target, "changes committed");
                current.destroyForcibly().waitFor();
                long more = workload.committed() + 50;
                RunningPipeline.await(Duration.ofSeconds(60), () -> workload.committed() >= more, "changes while down");
                current = JarProcess.run(jar, config, log);
            }
            RunningPipeline.await(Duration.ofSeconds(10), () -> workload.committed() > 0, "workload");
            workload.stop();
            Process last = current;
            RunningPipeline.await(Duration.ofSeconds(120), () -> workload.caughtUp(reader, PIPELINE) || !last.isAlive(), "catch-up");
            last.destroy(); // SIGTERM: flush, checkpoint, exit 0
            assertThat(last.waitFor()).as("exit code after SIGTERM; log:\n%s", JarProcess.tail(log)).isZero();

            workload.assertLakeExact(reader, PIPELINE, initialRows);
            System.out.printf("crash test (%s): killed during full load: %s, %d changes checked%n", type, killedDuringFullLoad,
                    workload.log().size());
        }
    }


    private static boolean anyFile(Path raw) {
        if (!Files.isDirectory(raw)) {
            return false;
        }
        try (var s = Files.walk(raw)) {
            return s.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
        } catch (Exception e) {
            return false;
        }
    }

    static boolean fullLoadDone(Path lake) {
        return fullLoadDone(lake, PIPELINE);
    }

    static boolean fullLoadDone(Path lake, String pipeline) {
        File f = lake.resolve("_state").resolve(pipeline).resolve("checkpoint.json").toFile();
        try {
            JsonNode n = new ObjectMapper().readTree(f);
            return n.get("fullLoadDone").asBoolean();
        } catch (Exception e) {
            return false;
        }
    }

}
