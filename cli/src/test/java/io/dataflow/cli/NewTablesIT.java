package io.dataflow.cli;

import static io.dataflow.cli.Migration.Check.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.cli.Migration.Check;
import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestDatabase;
import io.dataflow.testing.TestMariaDb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables that join a running PostgreSQL pipeline: one created (and filled) in the source while it streams, captured
 * without a restart of the process, its existing rows read by the stream; one added to {@code tables.include} after
 * the full load, read at the next start. Neither makes the pipeline read the other tables again.
 */
class NewTablesIT {
    @TempDir
    Path lake;

    @Test
    void aTableCreatedWhileStreamingIsCapturedWithItsRows() throws Exception {
        try (TestDatabase db = TestDatabase.create(); LakeReader reader = new LakeReader(lake)) {
            db.execute("create table first (id int primary key, v text)", "insert into first select i, 'f' || i from generate_series(1, 100) i");
            String name = Migration.uniqueName("nt");
            try (RunningPipeline p = new RunningPipeline(db.pipelineYaml(name, "full-load-and-cdc", lake.toString(), "public.*"), Map.of())) {
                p.awaitFullLoad();
                // created and filled before the pipeline notices it: these rows come from the read, the later ones from the log
                db.execute("create table late (id int primary key, v text)", "insert into late select i, 'l' || i from generate_series(1, 2000) i");
                RunningPipeline.await(Duration.ofSeconds(60), () -> rows(reader, name, "late") >= 2000, "the new table's rows");
                db.execute("update late set v = 'changed' where id <= 10", "delete from late where id > 1990", "insert into late values (5000, 'new')",
                        "update first set v = 'still streaming' where id = 1");
                RunningPipeline.await(Duration.ofSeconds(60), () -> replay(reader, name, "late").equals(source(db, "late")), "late replayed");
                RunningPipeline.await(Duration.ofSeconds(60), () -> replay(reader, name, "first").equals(source(db, "first")), "first replayed");
                // a table dropped in the source: reported, and the stream goes on
                db.execute("drop table late", "update first set v = 'after the drop' where id = 2");
                RunningPipeline.await(Duration.ofSeconds(30), () -> p.stats().recentEvents().stream()
                        .anyMatch(e -> e.message().startsWith("table public.late is gone from the source")), "the drop reported");
                RunningPipeline.await(Duration.ofSeconds(60), () -> replay(reader, name, "first").equals(source(db, "first")), "first replayed");
                assertThat(p.stop()).isZero();
            }
            // the first table was read once, by the full load only
            assertThat(reader.query("select count(*) as n from {raw} where Op = 'I'", name, "public", "first").get(0).get("n")).isEqualTo(100L);
        }
    }

    @Test
    void aTableAddedToTheRulesIsReadAtTheNextStartIntoADatabaseTarget() throws Exception {
        try (TestDatabase src = TestDatabase.create(); TestMariaDb dst = TestMariaDb.create()) {
            src.execute("create table a (id int primary key, v text)", "insert into a select i, 'a' || i from generate_series(1, 50) i",
                    "create table b (id int primary key, v text)", "insert into b select i, 'b' || i from generate_series(1, 3000) i");
            String name = Migration.uniqueName("ntb");
            List<Check> checks = List.of(text("v", "v", "v"));
            try (RunningPipeline p = new RunningPipeline(Migration.pipeline(src, dst, name, "full-load-and-cdc", "public.a", "", ""), Map.of())) {
                p.awaitFullLoad();
                src.execute("update a set v = 'x' where id = 1");
                MigrationIT.assertConverges(src, dst, "a", "a", "id", checks);
                assertThat(p.stop()).isZero();
            }
            src.execute("update b set v = 'while stopped' where id = 1");
            try (RunningPipeline p = new RunningPipeline(Migration.pipeline(src, dst, name, "full-load-and-cdc", "public.a, public.b", "", ""),
                    Map.of())) {
                src.execute("update b set v = 'after the start' where id = 2", "delete from b where id = 3", "update a set v = 'y' where id = 2");
                MigrationIT.assertConverges(src, dst, "b", "b", "id", checks);
                MigrationIT.assertConverges(src, dst, "a", "a", "id", checks);
                assertThat(p.stop()).isZero();
            }
        }
    }

    private static long rows(LakeReader reader, String pipeline, String table) {
        try {
            return reader.hasFiles(pipeline, "public", table)
                    ? ((Number) reader.query("select count(*) as n from {raw}", pipeline, "public", table).get(0).get("n")).longValue() : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    private static List<String> replay(LakeReader reader, String pipeline, String table) {
        try {
            return reader.query("select id, v from (select *, row_number() over (partition by id order by _position desc) as rn from {raw}) "
                    + "where rn = 1 and Op <> 'D' order by id", pipeline, "public", table).stream().map(r -> r.get("id") + "|" + r.get("v")).toList();
        } catch (Exception e) {
            return List.of("unreadable: " + e.getMessage());
        }
    }

    private static List<String> source(TestDatabase db, String table) {
        try {
            return MigrationIT.query(db, "select id || '|' || v from " + table + " order by id");
        } catch (Exception e) {
            return List.of("unreadable: " + e.getMessage());
        }
    }
}
