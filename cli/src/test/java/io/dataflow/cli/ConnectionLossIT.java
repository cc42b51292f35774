package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replication connection is killed on the server while changes stream: the pipeline retries and resumes exactly once. */
class ConnectionLossIT {
    @TempDir
    Path lake;

    @Test
    void lostReplicationConnectionIsRetriedAndResumesFromTheCheckpoint() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Workload workload = new Workload(db, 1000, 3);
                LakeReader reader = new LakeReader(lake);
                RunningPipeline p = new RunningPipeline(db.pipelineYaml("loss", "full-load-and-cdc", lake.toString(), "public.*"), Map.of())) {
            p.awaitFullLoad();
            workload.start();
            for (int cut = 0; cut < 2; cut++) {
                long target = workload.committed() + 100;
                RunningPipeline.await(Duration.ofSeconds(60), () -> workload.committed() >= target, "changes");
                long restartsBefore = p.stats().restarts();
                assertThat(terminateWalSender(db)).as("walsender of slot %s terminated", db.slot()).isTrue();
                RunningPipeline.await(Duration.ofSeconds(60), () -> p.stats().restarts() > restartsBefore, "a restart of the source");
                p.assertRunning();
            }
            workload.stop();
            RunningPipeline.await(Duration.ofSeconds(120), () -> workload.caughtUp(reader, "loss"), "catch-up");
            assertThat(p.stop()).isZero();
            workload.assertLakeExact(reader, "loss", 1000);
            assertThat(p.stats().restarts()).isGreaterThanOrEqualTo(2);
        }
    }

    /** Terminates the server process streaming the slot; waits until the slot is active (the source is connected). */
    private static boolean terminateWalSender(TestDatabase db) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = db.connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("select pg_terminate_backend(active_pid) from pg_replication_slots "
                            + "where slot_name = '" + db.slot() + "' and active")) {
                if (rs.next() && rs.getBoolean(1)) {
                    return true;
                }
            }
            Thread.sleep(100);
        }
        return false;
    }
}
