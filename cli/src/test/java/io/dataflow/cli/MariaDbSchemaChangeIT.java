package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestMariaDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DDL while MariaDB changes stream: ADD, DROP and MODIFY COLUMN and RENAME TABLE keep the pipeline running and new
 * files carry the new schema; sequences, used before and created while streaming, do not stop it for good; after a
 * restart the schema history comes back from the lake's state folder.
 */
class MariaDbSchemaChangeIT {
    @TempDir
    Path lake;

    @Test
    void ddlDuringCdcAndARestartFromTheLakesSchemaHistory() throws Exception {
        try (TestMariaDb db = TestMariaDb.create(); LakeReader reader = new LakeReader(lake)) {
            String s = db.schema();
            db.execute("create table t (id int primary key, a varchar(10)) engine=InnoDB", "insert into t values (1, 'one')",
                    "create sequence order_seq");
            String yaml = db.pipelineYaml("mddl", "full-load-and-cdc", lake.toString(), "public.*");
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                p.awaitFullLoad();
                // NEXTVAL writes binlog rows for the sequence, which the wildcard rule matches: the capture leaves it out
                db.execute("select nextval(order_seq)", "insert into t values (2, 'two')");
                RunningPipeline.await(Duration.ofSeconds(60), () -> count(reader, s, "t") == 2, "first change");
                db.execute("alter table t add column b decimal(8,2)", "insert into t values (3, 'three', 3.5)");
                db.execute("alter table t modify column a varchar(200)", "update t set a = 'a longer text than ten', b = 1.25 where id = 1");
                db.execute("alter table t drop column a", "insert into t values (4, 4.75)");
                RunningPipeline.await(Duration.ofSeconds(60), () -> count(reader, s, "t") == 5, "changes after the DDL");
                // a sequence made while streaming stops the stream once; the restart leaves it out
                db.execute("create sequence later_seq", "select nextval(later_seq)");
                db.execute("rename table t to t_renamed", "insert into t_renamed values (5, 5.5)");
                RunningPipeline.await(Duration.ofSeconds(60), () -> count(reader, s, "t_renamed") == 1, "a change to the renamed table");
                assertThat(p.stop()).isZero();
            }
            assertThat(Files.list(lake.resolve("_state/mddl/schema-history")).count()).as("schema history in the lake").isPositive();
            db.execute("alter table t_renamed add column c text", "insert into t_renamed values (6, 6.5, 'after restart')");
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                RunningPipeline.await(Duration.ofSeconds(60), () -> count(reader, s, "t_renamed") == 2, "the change made while stopped");
                assertThat(p.stop()).isZero();
            }
            assertThat(reader.query("select Op, id, a, cast(b as varchar) as b from {raw} order by _position", "mddl", s, "t"))
                    .extracting(m -> m.get("Op") + ":" + m.get("id") + ":" + m.get("a") + ":" + m.get("b"))
                    .containsExactly("I:1:one:null", "I:2:two:null", "I:3:three:3.50", "U:1:a longer text than ten:1.25", "I:4:null:4.75");
            assertThat(reader.query("select Op, id, cast(b as varchar) as b, c from {raw} order by _position", "mddl", s, "t_renamed"))
                    .extracting(m -> m.get("Op") + ":" + m.get("id") + ":" + m.get("b") + ":" + m.get("c"))
                    .containsExactly("I:5:5.50:null", "I:6:6.50:after restart");
        }
    }

    private static long count(LakeReader reader, String schema, String table) {
        try {
            return reader.hasFiles("mddl", schema, table)
                    ? ((Number) reader.query("select count(*) as n from {raw}", "mddl", schema, table).get(0).get("n")).longValue() : 0;
        } catch (Exception e) {
            return 0;
        }
    }
}
