package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflow.testing.LakeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.dataflow.testing.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parallel full load (PostgreSQL: COPY under an exported snapshot; MariaDB: primary-key ranges while the
 * binlog streams) with writes going on: killed (SIGKILL) in the middle, it resumes with the chunks not yet done
 * (finished chunk files are not written again), and after catching up the raw zone replays to exactly the source.
 */
class CopyFullLoadIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb"})
    void aKillDuringTheFullLoadResumesAtChunkGranularity(String type) throws Exception {
        Path jar = Path.of(System.getProperty("dataflow.jar", "target/dataflow.jar"));
        Path lake = dir.resolve("lake");
        Path state = lake.resolve("_state/copyload/full-load.json");
        Path tableDir;
        try (TestDb db = CrashRecoveryIT.database(type); Workload workload = new Workload(db, 400_000, 1);
                LakeReader reader = new LakeReader(lake)) {
            db.execute(type.equals("postgres") ? "analyze accounts" : "analyze table accounts");
            tableDir = lake.resolve("raw/copyload/" + db.schema() + "/accounts");
            Path config = dir.resolve("pipeline.yaml");
            Files.writeString(config, db.pipelineYaml("copyload", "full-load-and-cdc", lake.toString(), "public.accounts")
                    + "full-load: {engine: parallel, threads: 1, chunk-rows: 20000}\n");
            Path log = dir.resolve("run.log");
            workload.start();
            Process first = JarProcess.run(jar, config, log);
            RunningPipeline.await(Duration.ofSeconds(120), () -> done(state) >= 3 || !first.isAlive(), "three chunks");
            first.destroyForcibly().waitFor();
            JsonNode before = new ObjectMapper().readTree(state.toFile());
            int planned = before.get("plan").size();
            int doneBefore = before.get("done").size();
            assertThat(doneBefore).as("killed in the middle of the full load (log: %s)", Files.readString(log)).isBetween(1, planned - 1);
            Map<String, FileTime> finished = new HashMap<>();
            for (JsonNode id : before.get("done")) {
                int chunk = Integer.parseInt(id.asText().substring(id.asText().indexOf('#') + 1));
                Path f = tableDir.resolve(String.format("LOAD%08d.parquet", chunk));
                finished.put(f.getFileName().toString(), Files.getLastModifiedTime(f));
            }

            Process second = JarProcess.run(jar, config, log);
            RunningPipeline.await(Duration.ofSeconds(180), () -> CrashRecoveryIT.fullLoadDone(lake, "copyload") || !second.isAlive(), "full load");
            long target = workload.committed() + 200;
            RunningPipeline.await(Duration.ofSeconds(60), () -> workload.committed() >= target, "changes after the full load");
            workload.stop();
            RunningPipeline.await(Duration.ofSeconds(120), () -> matches(reader, workload), "the lake to equal the source");
            second.destroy();
            assertThat(second.waitFor()).isZero();

            try (var files = Files.list(tableDir)) {
                assertThat(files.filter(f -> f.getFileName().toString().startsWith("LOAD")).count()).isEqualTo(planned);
            }
            for (Map.Entry<String, FileTime> e : finished.entrySet()) {
                assertThat(Files.getLastModifiedTime(tableDir.resolve(e.getKey()))).as("%s was not read again", e.getKey()).isEqualTo(e.getValue());
            }
            Map<String, Object> counts = reader.query("select count(*) as n, count(distinct _position) as d from {raw}", "copyload",
                    db.schema(), "accounts").get(0);
            assertThat(counts.get("n")).isEqualTo(counts.get("d"));
            assertThat(workload.replay(reader, "copyload")).containsExactlyElementsOf(workload.source());
            System.out.printf("parallel full load (%s): %d chunks planned, %d done before the kill%n", type, planned, doneBefore);
        }
    }

    /** A composite key of text and number with skewed values still gives chunks of about chunk-rows rows. */
    @org.junit.jupiter.api.Test
    void compositeAndSkewedKeysAreChunkedEvenly() throws Exception {
        Path lake = dir.resolve("lake2");
        try (io.dataflow.testing.TestMariaDb db = io.dataflow.testing.TestMariaDb.create(); LakeReader reader = new LakeReader(lake)) {
            db.execute("create table skewed (region varchar(10), id bigint, v text, primary key (region, id)) engine=InnoDB",
                    "insert into skewed select if(seq <= 45000, 'eu', concat('r', seq mod 7)), if(seq <= 45000, seq, seq * 1000000000), "
                            + "concat('v', seq) from seq_1_to_50000");
            String yaml = db.pipelineYaml("skew", "full-load-and-cdc", lake.toString(), "public.*")
                    + "full-load: {engine: parallel, threads: 2, chunk-rows: 5000}\n";
            try (RunningPipeline p = new RunningPipeline(yaml, java.util.Map.of())) {
                p.awaitFullLoad();
                assertThat(p.stop()).isZero();
            }
            JsonNode state = new ObjectMapper().readTree(lake.resolve("_state/skew/full-load.json").toFile());
            assertThat(state.get("plan").size()).isEqualTo(10);
            Map<String, Object> counts = reader.query("select count(*) as n, count(distinct region || id) as d from {raw}", "skew",
                    db.schema(), "skewed").get(0);
            assertThat(counts).containsEntry("n", 50000L).containsEntry("d", 50000L);
            List<Map<String, Object>> perFile = reader.query("select count(*) as n from read_parquet('" + lake.resolve("raw/skew/" + db.schema()
                    + "/skewed") + "/LOAD*.parquet', filename = true) group by filename");
            assertThat(perFile).allSatisfy(r -> assertThat(((Number) r.get("n")).longValue()).isEqualTo(5000L));
        }
    }

    private static boolean matches(LakeReader reader, Workload workload) {
        try {
            return workload.replay(reader, "copyload").equals(workload.source());
        } catch (Exception e) {
            return false;
        }
    }

    private static int done(Path state) {
        try {
            return new ObjectMapper().readTree(state.toFile()).get("done").size();
        } catch (Exception e) {
            return 0;
        }
    }

}
