package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL into a lake on a real S3-compatible server, with the server stopped mid-stream and started
 * again: replication resumes from the checkpoint in S3 with nothing lost or duplicated.
 */
class S3PipelineIT {
    @TempDir
    Path dir;

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("io.dataflow.cli.SourceTypes#sources")
    void replicatesIntoS3AndSurvivesTheServerGoingAway(String type) throws Exception {
        try (S3Server s3 = new S3Server(dir.resolve("s3")); io.dataflow.testing.TestDb db = CrashRecoveryIT.database(type);
                Workload workload = new Workload(db, 2000, 3)) {
            s3.createBucket("lake");
            String yaml = db.pipelineYaml("s3p", "full-load-and-cdc", "s3://lake/dataflow", "public.*")
                    .replace("    flush:", s3.yaml() + "    flush:") + "    processed: {commit-interval: 2s}\n";
            Path local = dir.resolve("download");
            AtomicLong streamedBefore = new AtomicLong();
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                p.awaitFullLoad();
                workload.start();
                RunningPipeline.await(Duration.ofSeconds(60), () -> p.stats().totalChanges() > 200, "changes streamed to S3");
                s3.stop();
                streamedBefore.set(p.stats().totalChanges());
                long committedWhileDown = workload.committed() + 300;
                RunningPipeline.await(Duration.ofSeconds(60), () -> workload.committed() >= committedWhileDown, "changes while S3 is down");
                p.assertRunning();
                s3.start();
                RunningPipeline.await(Duration.ofSeconds(120), () -> p.stats().restarts() > 0 || p.stats().totalChanges() > streamedBefore.get() + 300,
                        "replication to resume");
                workload.stop();
                RunningPipeline.await(Duration.ofSeconds(120), () -> checkpointCovers(s3, workload), "catch-up in S3");
                assertThat(p.stop()).isZero();
            }
            s3.download("lake", "dataflow/", local);
            assertThat(local.resolve("_state/s3p/checkpoint.json")).exists();
            if (type.equals("mariadb")) {
                assertThat(local.resolve("_state/s3p/schema-history")).as("schema history in S3").isNotEmptyDirectory();
            }
            try (LakeReader reader = new LakeReader(local)) {
                workload.assertLakeExact(reader, "s3p", 2000);
            }
            assertThat(processedRows(local, db)).as("the processed zone in S3 (committed on stop) vs source").containsExactlyElementsOf(workload.source());
        }
    }

    @Test
    void checkProbesTheBucketAndNamesMissingPermissions() throws Exception {
        try (S3Server s3 = new S3Server(dir.resolve("s3")); TestDatabase db = TestDatabase.create()) {
            db.execute("create table t (id int primary key)");
            s3.createBucket("checked");
            String yaml = db.pipelineYaml("chk", "full-load-and-cdc", "s3://checked/lake", "public.*")
                    .replace("    flush:", s3.yaml() + "    flush:");
            java.nio.file.Path file = dir.resolve("p.yaml");
            java.nio.file.Files.writeString(file, yaml);
            MainTest.Result ok = MainTest.run("check", "--config", file.toString());
            assertThat(ok.out()).contains("ok    lake s3://checked/lake/: write, read, list, delete", "ready");
            assertThat(ok.code()).isZero();

            java.nio.file.Files.writeString(file, yaml.replace(S3Server.SECRET, "wrong-secret"));
            MainTest.Result denied = MainTest.run("check", "--config", file.toString());
            assertThat(denied.out()).contains("FAIL  lake write:", "access denied",
                    "grant s3:PutObject on arn:aws:s3:::checked/lake/_state/dataflow-check-");
            assertThat(denied.code()).isEqualTo(1);
        }
    }

    /** Downloads the raw zone and checks whether every committed change is there. */
    private boolean checkpointCovers(S3Server s3, Workload workload) {
        try {
            Path tmp = dir.resolve("probe-" + System.nanoTime());
            s3.download("lake", "dataflow/raw/", tmp.resolve("raw"));
            try (LakeReader reader = new LakeReader(tmp)) {
                return workload.caughtUp(reader, "s3p");
            }
        } catch (Exception e) {
            return false;
        }
    }

    /** The processed table of a downloaded copy of the S3 lake, read with Iceberg's generic reader. */
    private static java.util.List<String> processedRows(Path local, io.dataflow.testing.TestDb db) throws Exception {
        try (io.dataflow.api.ObjectStore store = new io.dataflow.storage.LocalObjectStore(local)) {
            var table = io.dataflow.lake.processed.ProcessedTables.open(store, "s3://lake/dataflow", "s3p",
                    new io.dataflow.api.TableId(db.schema(), Workload.TABLE)).orElseThrow();
            java.util.TreeMap<Long, String> rows = new java.util.TreeMap<>();
            try (var records = org.apache.iceberg.data.IcebergGenerics.read(table).build()) {
                for (var r : records) {
                    rows.put((Long) r.getField("id"), r.getField("id") + "|" + r.getField("balance") + "|" + r.getField("note"));
                }
            }
            return java.util.List.copyOf(rows.values());
        }
    }
}
