package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Columns added and dropped while changes stream: the pipeline keeps running and new files carry the new schema. */
class SchemaChangeIT {
    @TempDir
    Path lake;

    @Test
    void addAndDropColumnDuringCdc() throws Exception {
        try (TestDatabase db = TestDatabase.create(); LakeReader reader = new LakeReader(lake)) {
            db.execute("create table t (id int primary key, a text)", "insert into t values (1, 'one')");
            try (RunningPipeline p = new RunningPipeline(db.pipelineYaml("ddl2", "full-load-and-cdc", lake.toString(), "public.*"), Map.of())) {
                p.awaitFullLoad();
                db.execute("insert into t values (2, 'two')");
                RunningPipeline.await(Duration.ofSeconds(60), () -> count(reader) == 2, "first change");
                db.execute("alter table t add column b numeric(8,2)", "insert into t values (3, 'three', 3.5)",
                        "update t set b = 1.25 where id = 1");
                RunningPipeline.await(Duration.ofSeconds(60), () -> count(reader) == 4, "changes after ADD COLUMN");
                db.execute("alter table t drop column a", "insert into t values (4, 4.75)");
                RunningPipeline.await(Duration.ofSeconds(60), () -> count(reader) == 5, "changes after DROP COLUMN");
                assertThat(p.stop()).isZero();
            }
            assertThat(reader.query("select Op, id, a, cast(b as varchar) as b from {raw} order by _position", "ddl2", "public", "t"))
                    .extracting(m -> m.get("Op") + ":" + m.get("id") + ":" + m.get("a") + ":" + m.get("b"))
                    .containsExactly("I:1:one:null", "I:2:two:null", "I:3:three:3.50", "U:1:one:1.25", "I:4:null:4.75");
        }
    }

    private static long count(LakeReader reader) {
        try {
            return reader.hasFiles("ddl2", "public", "t")
                    ? ((Number) reader.query("select count(*) as n from {raw}", "ddl2", "public", "t").get(0).get("n")).longValue() : 0;
        } catch (Exception e) {
            return 0;
        }
    }
}
