package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL does not send large (TOASTed) values an UPDATE left unchanged when the table has the default replica
 * identity. The raw zone then writes null and names the column in {@code _unchanged}, never a placeholder text as
 * if it were the value; a replay that keeps the previous value for such columns gives the source.
 */
class ToastIT {
    @TempDir
    Path lake;

    @Test
    void unchangedToastedValuesAreNamedNotInvented() throws Exception {
        try (TestDatabase db = TestDatabase.create(); LakeReader reader = new LakeReader(lake)) {
            db.execute("create table docs (id int primary key, body text, tags jsonb, n int)",
                    "alter table docs alter column body set storage external",
                    "insert into docs select 1, string_agg(md5(i::text), '') , jsonb_build_object('k', repeat('x', 10)), 0 "
                            + "from generate_series(1, 10000) i");
            try (RunningPipeline p = new RunningPipeline(db.pipelineYaml("toast", "full-load-and-cdc", lake.toString(), "public.*"), Map.of())) {
                p.awaitFullLoad();
                db.execute("update docs set n = 1 where id = 1", "update docs set body = 'short now', n = 2 where id = 1");
                RunningPipeline.await(Duration.ofSeconds(60), () -> count(reader) == 3, "two updates");
                assertThat(p.stop()).isZero();
            }
            List<Map<String, Object>> rows = reader.query("select Op, n, length(body) as len, _unchanged from {raw} order by _position",
                    "toast", "public", "docs");
            assertThat(rows).extracting(r -> r.get("Op") + ":" + r.get("n") + ":" + r.get("len") + ":" + r.get("_unchanged"))
                    .containsExactly("I:0:320000:null", "U:1:null:body", "U:2:9:null");
            List<Map<String, Object>> replay = reader.query("""
                    select last_value(body ignore nulls) over w as body, last_value(n) over w as n
                    from {raw} window w as (partition by id order by _position rows between unbounded preceding and unbounded following)
                    limit 1""", "toast", "public", "docs");
            assertThat(replay.get(0)).containsEntry("body", "short now").containsEntry("n", 2);
        }
    }

    private static long count(LakeReader reader) {
        try {
            return reader.hasFiles("toast", "public", "docs")
                    ? ((Number) reader.query("select count(*) as n from {raw}", "toast", "public", "docs").get(0).get("n")).longValue() : 0;
        } catch (Exception e) {
            return 0;
        }
    }
}
