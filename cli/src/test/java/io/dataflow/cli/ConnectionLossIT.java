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
import io.dataflow.testing.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replication connection (PostgreSQL walsender, MariaDB binlog dump thread) is killed on the server while
 * changes stream: the pipeline retries and resumes exactly once.
 */
class ConnectionLossIT {
    @TempDir
    Path lake;

    @ParameterizedTest
    @MethodSource("io.dataflow.cli.SourceTypes#sources")
    void lostReplicationConnectionIsRetriedAndResumesFromTheCheckpoint(String type) throws Exception {
        try (TestDb db = CrashRecoveryIT.database(type); Workload workload = new Workload(db, 1000, 3);
                LakeReader reader = new LakeReader(lake);
                RunningPipeline p = new RunningPipeline(db.pipelineYaml("loss", "full-load-and-cdc", lake.toString(), "public.*"), Map.of())) {
            p.awaitFullLoad();
            workload.start();
            for (int cut = 0; cut < 2; cut++) {
                long target = workload.committed() + 100;
                RunningPipeline.await(Duration.ofSeconds(60), () -> workload.committed() >= target, "changes");
                long restartsBefore = p.stats().restarts();
                if (type.equals("postgres")) {
                    assertThat(terminateWalSender((TestDatabase) db)).as("walsender terminated").isTrue();
                    // usually the pipeline restarts the source; a cut while Debezium is still connecting is retried inside
                    // Debezium instead: either way a new walsender streams for the slot
                    RunningPipeline.await(Duration.ofSeconds(60), () -> p.stats().restarts() > restartsBefore
                            || streamingAgain((TestDatabase) db), "the source to reconnect");
                } else {
                    // The binlog client reconnects by itself (connect.keep.alive): wait for a new dump thread.
                    long killed = killBinlogDump(db);
                    assertThat(killed).as("binlog dump thread killed").isPositive();
                    RunningPipeline.await(Duration.ofSeconds(60), () -> binlogDumpOtherThan(db, killed), "the binlog client to reconnect");
                }
                p.assertRunning();
            }
            workload.stop();
            RunningPipeline.await(Duration.ofSeconds(120), () -> workload.caughtUp(reader, "loss"), "catch-up");
            assertThat(p.stop()).isZero();
            workload.assertLakeExact(reader, "loss", 1000);
            if (type.equals("postgres")) {
                assertThat(p.stats().restarts()).isGreaterThanOrEqualTo(1);
            }
        }
    }

    private static boolean binlogDumpOtherThan(TestDb db, long id) {
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select id from information_schema.processlist where command like 'Binlog Dump%' and id <> " + id)) {
            return rs.next();
        } catch (Exception e) {
            return false;
        }
    }

    /** Kills MariaDB's binlog dump thread serving DataFlow (waiting until it exists); returns its id, or -1. */
    private static long killBinlogDump(TestDb db) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = db.connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("select id from information_schema.processlist where command like 'Binlog Dump%'")) {
                if (rs.next()) {
                    long id = rs.getLong(1);
                    try (Statement kill = c.createStatement()) {
                        kill.execute("kill " + id);
                    }
                    return id;
                }
            }
            Thread.sleep(100);
        }
        return -1;
    }

    /** Terminates the server process streaming the slot; waits until the slot is active (the source is connected). */
    /** The walsender killed last, so the next cut waits for the new connection instead of hitting the dying one. */
    private final java.util.Set<Integer> killedWalSenders = new java.util.HashSet<>();

    /** A walsender other than the ones killed is active for the slot. */
    private boolean streamingAgain(TestDatabase db) {
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select active_pid from pg_replication_slots where slot_name = '" + db.slot() + "' and active")) {
            return rs.next() && !killedWalSenders.contains(rs.getInt(1));
        } catch (Exception e) {
            return false;
        }
    }

    private boolean terminateWalSender(TestDatabase db) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = db.connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("select active_pid from pg_replication_slots where slot_name = '" + db.slot() + "' and active")) {
                if (rs.next() && !killedWalSenders.contains(rs.getInt(1))) {
                    int pid = rs.getInt(1);
                    try (Statement kill = c.createStatement(); ResultSet k = kill.executeQuery("select pg_terminate_backend(" + pid + ")")) {
                        if (k.next() && k.getBoolean(1)) {
                            killedWalSenders.add(pid);
                            return true;
                        }
                    }
                }
            }
            Thread.sleep(100);
        }
        return false;
    }
}
