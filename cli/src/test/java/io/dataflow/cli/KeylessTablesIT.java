package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.TestDatabase;
import io.dataflow.testing.TestDb;
import io.dataflow.testing.TestMariaDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tables without a primary or unique NOT NULL key into a database target: updates and deletes change exactly one of
 * several identical rows, as in the source, and a replay from an older checkpoint adds no row twice.
 */
class KeylessTablesIT {

    @Test
    void postgresToMariadbChangesOneOfSeveralIdenticalRows() throws Exception {
        try (TestDatabase src = TestDatabase.create(); TestMariaDb dst = TestMariaDb.create()) {
            src.execute("CREATE TABLE visits (page int, who text, score real, doc json, at timestamp(3))",
                    "INSERT INTO visits VALUES (1, 'ann', 1.5, '{\"a\":1}', '2024-01-01 10:00:00.5'), (1, 'ann', 1.5, '{\"a\":1}', "
                            + "'2024-01-01 10:00:00.5'), (1, 'ann', 1.5, '{\"a\":2}', '2024-01-01 10:00:00.5'), (2, NULL, NULL, NULL, NULL), "
                            + "(2, NULL, NULL, NULL, NULL), (3, 'bob', 0.25, NULL, '2024-02-02 00:00:00')");
            String yaml = Migration.pipeline(src, dst, Migration.uniqueName("kl"), "full-load-and-cdc", "public.visits", "", "");
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                p.awaitFullLoad();
                String pg = "SELECT concat_ws('|', page, coalesce(who, '-'), coalesce(score::text, '-'), "
                        + "coalesce(to_char(at, 'YYYY-MM-DD HH24:MI:SS.MS'), '-')) FROM visits";
                String maria = "SELECT CONCAT_WS('|', page, COALESCE(who, '-'), COALESCE(CAST(score AS CHAR), '-'), "
                        + "COALESCE(DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f'), '-')) FROM visits";
                // the target keeps microseconds: cut them to the source's milliseconds
                maria = maria.replace("DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f')", "LEFT(DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f'), 23)");
                assertSameRows(src, pg, dst, maria);
                // one of two identical rows (the doc column, json, has no equality: the row is found by the others)
                src.execute("UPDATE visits SET who = 'ann2' WHERE ctid = (SELECT ctid FROM visits WHERE page = 1 AND doc::text = '{\"a\":1}' LIMIT 1)",
                        "DELETE FROM visits WHERE ctid = (SELECT ctid FROM visits WHERE page = 2 LIMIT 1)",
                        "UPDATE visits SET score = score * 2 WHERE page = 3",
                        "INSERT INTO visits VALUES (3, 'bob', 0.5, NULL, '2024-02-02 00:00:00')",
                        "UPDATE visits SET at = at + interval '1 day' WHERE page = 3",
                        "DELETE FROM visits WHERE ctid = (SELECT ctid FROM visits WHERE page = 3 LIMIT 1)");
                assertSameRows(src, pg, dst, maria);
                assertThat(p.stop()).isZero();
            }
        }
    }

    @Test
    void mariadbToPostgresReplayFromAnOlderCheckpointAddsNothingTwice() throws Exception {
        try (TestMariaDb src = TestMariaDb.create(); TestDatabase dst = TestDatabase.create()) {
            src.execute("CREATE TABLE journal (account int, amount decimal(10,2), note varchar(20), f float)",
                    "INSERT INTO journal VALUES (1, 10.00, 'open', 0.1), (1, 10.00, 'open', 0.1), (2, -5.50, NULL, NULL)");
            String name = Migration.uniqueName("klr");
            String yaml = Migration.pipeline(src, dst, name, "full-load-and-cdc", src.name() + ".journal", "", "");
            String maria = "SELECT CONCAT_WS('|', account, amount, COALESCE(note, '-'), COALESCE(CAST(f AS DOUBLE), '-')) FROM journal";
            String pg = "SELECT concat_ws('|', account, amount, coalesce(note, '-'), coalesce(f::float4::float8::text, '-')) FROM \""
                    + src.name() + "\".journal";
            byte[] checkpoint;
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                p.awaitFullLoad();
                // a FLOAT column: 0.1 is not the double 0.1, so the row is matched as FLOAT
                src.execute("UPDATE journal SET note = 'first' WHERE account = 1 LIMIT 1", "INSERT INTO journal VALUES (3, 1.00, 'x', 2.5)");
                assertSameRows(src, maria, dst, pg);
                assertThat(p.stop()).isZero();
            }
            checkpoint = checkpointOf(dst, name);
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                src.execute("INSERT INTO journal VALUES (3, 1.00, 'x', 2.5), (4, 4.00, 'y', NULL)",
                        "DELETE FROM journal WHERE account = 1 LIMIT 1", "UPDATE journal SET amount = 0 WHERE account = 3 LIMIT 1");
                assertSameRows(src, maria, dst, pg);
                assertThat(p.stop()).isZero();
            }
            // the pipeline restarts from the first run's checkpoint: the binlog sends the second run's changes again
            restoreCheckpoint(dst, name, checkpoint);
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                src.execute("INSERT INTO journal VALUES (5, 5.00, 'after', 5)");
                RunningPipeline.await(Duration.ofSeconds(60), () -> rows(dst, pg).stream().anyMatch(r -> r.startsWith("5|")), "the new row");
                assertThat(rows(dst, pg)).containsExactlyInAnyOrderElementsOf(rows(src, maria));
                assertThat(p.stop()).isZero();
                // the four changes of the second run arrived again (and were skipped), then the new one
                assertThat(p.output()).contains("changes: 5 ");
            }
        }
    }

    private static byte[] checkpointOf(TestDb db, String pipeline) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT content FROM _dataflow.objects WHERE object_key = ?")) {
            ps.setString(1, "_state/" + pipeline + "/checkpoint.json");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("checkpoint of %s", pipeline).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    private static void restoreCheckpoint(TestDb db, String pipeline, byte[] content) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "UPDATE _dataflow.objects SET content = ? WHERE object_key = ?")) {
            ps.setBytes(1, content);
            ps.setString(2, "_state/" + pipeline + "/checkpoint.json");
            assertThat(ps.executeUpdate()).isOne();
        }
    }

    /** Waits until both sides hold the same multiset of rows (as text). */
    static void assertSameRows(TestDb src, String srcSql, TestDb dst, String dstSql) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> s;
        List<String> t;
        do {
            s = rows(src, srcSql);
            t = rows(dst, dstSql);
            if (s.equals(t)) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        assertThat(t).as("target rows").isEqualTo(s);
    }

    static List<String> rows(TestDb db, String sql) {
        try {
            List<String> out = new ArrayList<>(MigrationIT.query(db, sql));
            out.sort(null);
            return out;
        } catch (Exception e) {
            return List.of("unreadable: " + e.getMessage());
        }
    }
}
