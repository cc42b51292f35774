package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code dataflow.jar run} with the processed zone, halted as SIGKILL would halt it inside an Iceberg commit: once
 * after the commit's data and manifest files are written but before the new table version exists, once right after
 * the new version is written (the pipeline's checkpoint is then behind the table). Restarted each time, while changes
 * keep coming: the Iceberg table ends equal to the source, and the raw zone exact.
 */
class ProcessedCrashIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.dataflow.cli.SourceTypes#sources")
    void haltedInsideCommitsStillEqual(String type) throws Exception {
        Path jar = Path.of(System.getProperty("dataflow.jar", "target/dataflow.jar"));
        assertThat(jar).as("the runnable jar (built by mvn package)").exists();
        Path lake = dir.resolve("lake");
        try (TestDb db = CrashRecoveryIT.database(type); Workload workload = new Workload(db, 20_000, 2)) {
            Path config = Files.writeString(dir.resolve("p.yaml"),
                    ProcessedZoneIT.processedYaml(db, "pc", lake, "{commit-interval: 300ms, maintenance: {interval: 5s}}").replace("public.*", "public.accounts"));
            Path log = dir.resolve("run.log");
            for (String point : List.of("processed.before-metadata:12", "processed.after-metadata:20")) {
                Process p = JarProcess.run(jar, config, log, List.of("-Ddataflow.failpoint=" + point));
                if (!workload.running()) {
                    RunningPipeline.await(Duration.ofSeconds(120), () -> JarProcess.tail(log).contains("full load done") || !p.isAlive(),
                            "the full load");
                    workload.start();
                }
                assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("halted at %s; log:\n%s", point, JarProcess.tail(log)).isTrue();
                assertThat(p.exitValue()).as("exit at %s; log:\n%s", point, JarProcess.tail(log)).isEqualTo(137);
                assertThat(Files.readString(log)).contains("failpoint " + point.substring(0, point.indexOf(':')) + " reached");
            }
            Process last = JarProcess.run(jar, config, log);
            try {
                RunningPipeline.await(Duration.ofSeconds(30), () -> workload.committed() > 600, "more changes");
                workload.stop();
                List<String> source = workload.source();
                RunningPipeline.await(Duration.ofSeconds(120), () -> source.equals(ProcessedZoneIT.rows(lake, "pc", db)) || !last.isAlive(),
                        "the processed zone to catch up");
                assertThat(last.isAlive()).as("process alive; log:\n%s", JarProcess.tail(log)).isTrue();
                try (LakeReader reader = new LakeReader(lake)) {
                    try {
                        RunningPipeline.await(Duration.ofSeconds(60), () -> workload.caughtUp(reader, "pc"), "the raw zone to catch up");
                    } catch (AssertionError e) {
                        throw new AssertionError(e.getMessage() + ": " + reader.query("select count(*) as n, count(distinct _position) as d, "
                                + "count(*) filter (where _position like '1-%') as c from {raw}", "pc", db.schema(), Workload.TABLE)
                                + " vs " + workload.committed() + " committed; log:\n" + JarProcess.tail(log), e);
                    }
                    workload.assertLakeExact(reader, "pc", 20_000);
                }
            } finally {
                last.destroy();
                last.waitFor(60, TimeUnit.SECONDS);
            }
            assertThat(ProcessedZoneIT.rows(lake, "pc", db)).containsExactlyElementsOf(workload.source());
        }
    }
}
