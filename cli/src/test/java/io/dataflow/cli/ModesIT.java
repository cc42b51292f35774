package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three modes, and a user without replication rights. */
class ModesIT {
    @TempDir
    Path dir;

    @Test
    void fullLoadExitsZeroLeavesNoSlotAndDoesNotRunTwice() throws Exception {
        Path lake = dir.resolve("lake");
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("create table items (id int primary key, name text)", "create table \"Empty\" (id int primary key)",
                    "insert into items select i, 'item ' || i from generate_series(1, 5000) i");
            RunningPipeline p = new RunningPipeline(db.pipelineYaml("fl", "full-load", lake.toString(), "public.*"), Map.of());
            assertThat(p.join(Duration.ofSeconds(120))).isZero();
            try (LakeReader reader = new LakeReader(lake)) {
                Map<String, Object> r = reader.query("select count(*) as n, count(distinct id) as d, min(Op) as op from {raw}",
                        "fl", "public", "items").get(0);
                assertThat(r).containsEntry("n", 5000L).containsEntry("d", 5000L).containsEntry("op", "I");
            }
            assertThat(slots(db)).as("full-load leaves no replication slot behind").isZero();

            Path file = dir.resolve("p.yaml");
            Files.writeString(file, db.pipelineYaml("fl", "full-load", lake.toString(), "public.*"));
            MainTest.Result again = MainTest.run("run", "--config", file.toString(), "--progress-seconds", "0");
            assertThat(again.code()).isZero();
            assertThat(again.out()).contains("already complete");
        }
    }

    @Test
    void mariadbFullLoadExitsZeroWithEveryRowOnce() throws Exception {
        Path lake = dir.resolve("lake");
        try (io.dataflow.testing.TestMariaDb db = io.dataflow.testing.TestMariaDb.create()) {
            db.execute("create table items (id int primary key, name text) engine=InnoDB",
                    "insert into items select seq, concat('item ', seq) from seq_1_to_5000");
            RunningPipeline p = new RunningPipeline(db.pipelineYaml("mfl", "full-load", lake.toString(), "public.*"), Map.of());
            assertThat(p.join(Duration.ofSeconds(120))).isZero();
            try (LakeReader reader = new LakeReader(lake)) {
                Map<String, Object> r = reader.query("select count(*) as n, count(distinct id) as d, min(Op) as op from {raw}",
                        "mfl", db.schema(), "items").get(0);
                assertThat(r).containsEntry("n", 5000L).containsEntry("d", 5000L).containsEntry("op", "I");
            }
        }
    }

    @Test
    void cdcModeStreamsOnlyNewChanges() throws Exception {
        Path lake = dir.resolve("lake");
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("create table items (id int primary key, name text)", "insert into items values (1, 'old')");
            try (LakeReader reader = new LakeReader(lake);
                    RunningPipeline p = new RunningPipeline(db.pipelineYaml("cdc", "cdc", lake.toString(), "public.items"), Map.of())) {
                p.stats();
                RunningPipeline.await(Duration.ofSeconds(60), () -> slotActive(db), "the slot to stream");
                db.execute("insert into items values (2, 'new')", "update items set name = 'newer' where id = 1");
                RunningPipeline.await(Duration.ofSeconds(60), () -> count(reader) == 2, "two changes");
                assertThat(p.stop()).isZero();
                assertThat(reader.query("select Op, id, name from {raw} order by _position", "cdc", "public", "items"))
                        .extracting(m -> m.get("Op") + ":" + m.get("id") + ":" + m.get("name")).containsExactly("I:2:new", "U:1:newer");
            }
            Path file = dir.resolve("p.yaml");
            Files.writeString(file, db.pipelineYaml("cdc", "cdc", lake.toString(), "public.items"));
            MainTest.Result cleanup = MainTest.run("cleanup", "--config", file.toString(), "--state");
            assertThat(cleanup.code()).as(cleanup.err()).isZero();
            assertThat(cleanup.out()).contains("dropped replication slot " + db.slot(), "dropped publication", "deleted 2 state object(s)",
                    "kept the signal table public.dataflow_signal");
            assertThat(slots(db)).isZero();
            assertThat(lake.resolve("_state/cdc/checkpoint.json")).doesNotExist();
        }
    }

    @Test
    void aUserWithoutReplicationRightsGetsAClearErrorAndNoRetries() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            String role = "nrep_" + db.name();
            db.execute("create table items (id int primary key)", "create role " + role + " login",
                    "grant select on items to " + role);
            try {
                Path file = dir.resolve("p.yaml");
                Files.writeString(file, db.pipelineYaml("norights", "full-load-and-cdc", dir.resolve("lake").toString(), "public.*")
                        .replace("user: " + TestDatabase.USER, "user: " + role));
                long start = System.nanoTime();
                MainTest.Result r = MainTest.run("run", "--config", file.toString(), "--progress-seconds", "0");
                assertThat(r.code()).isEqualTo(1);
                assertThat(r.err()).startsWith("error: ").containsAnyOf("replication", "superuser", "permission denied");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
                MainTest.Result check = MainTest.run("check", "--config", file.toString());
                assertThat(check.out()).contains("FAIL  replication permission for " + role, "WITH REPLICATION");
            } finally {
                db.execute("drop owned by " + role, "drop role " + role);
            }
        }
    }

    private static long count(LakeReader reader) {
        try {
            return reader.hasFiles("cdc", "public", "items")
                    ? ((Number) reader.query("select count(*) as n from {raw}", "cdc", "public", "items").get(0).get("n")).longValue() : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    private static boolean slotActive(TestDatabase db) {
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select active from pg_replication_slots where slot_name = '" + db.slot() + "'")) {
            return rs.next() && rs.getBoolean(1);
        } catch (Exception e) {
            return false;
        }
    }

    private static int slots(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from pg_replication_slots where database = '" + db.name() + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
