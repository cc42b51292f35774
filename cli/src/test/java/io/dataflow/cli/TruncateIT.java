package io.dataflow.cli;

import static io.dataflow.cli.Migration.Check.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestDatabase;
import io.dataflow.testing.TestDb;
import io.dataflow.testing.TestMariaDb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TRUNCATE in the source while changes stream: a database target is emptied at that point (rows written after it
 * survive); the raw zone records a {@code T} row and the processed zone is emptied, then takes the later rows.
 */
class TruncateIT {
    @TempDir
    Path lake;

    @Test
    void theLakeRecordsTheTruncateAndTheProcessedZoneIsEmptied() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Workload workload = new Workload(db, 500, 0); LakeReader reader = new LakeReader(lake)) {
            String name = "tr";
            try (RunningPipeline p = new RunningPipeline(ProcessedZoneIT.processedYaml(db, name, lake, "{commit-interval: 1s}"), Map.of())) {
                p.awaitFullLoad();
                db.execute("update accounts set note = 'before' where id = 1", "truncate accounts",
                        "insert into accounts (id, balance, note) values (1, 1, 'after'), (7, 7, 'after')");
                List<String> source = workload.source();
                assertThat(source).hasSize(2);
                RunningPipeline.await(Duration.ofSeconds(60), () -> source.equals(ProcessedZoneIT.rows(lake, name, db)), "the processed zone");
                assertThat(p.stop()).isZero();
            }
            // the first event after a restart is a TRUNCATE: the source has not described the table yet in this run
            try (RunningPipeline p = new RunningPipeline(ProcessedZoneIT.processedYaml(db, name, lake, "{commit-interval: 1s}"), Map.of())) {
                db.execute("truncate accounts", "insert into accounts (id, balance, note) values (3, 3, 'third')");
                List<String> source = workload.source();
                assertThat(source).hasSize(1);
                RunningPipeline.await(Duration.ofSeconds(60), () -> source.equals(ProcessedZoneIT.rows(lake, name, db)), "the processed zone");
                assertThat(p.stop()).isZero();
            }
            assertThat(reader.query("select Op from {raw} where _position like '1-%' order by _position", name, "public", "accounts"))
                    .extracting(r -> r.get("Op")).containsExactly("U", "T", "I", "I", "T", "I");
            // replaying the raw zone: the last T resets the table
            assertThat(reader.query("""
                    select id, balance, note from (select *, row_number() over (partition by id order by _position desc) as rn from {raw}
                      where _position > (select coalesce(max(_position), '') from {raw} where Op = 'T')) where rn = 1 and Op <> 'D' order by id
                    """, name, "public", "accounts")).extracting(r -> r.get("id") + "|" + r.get("balance") + "|" + r.get("note"))
                    .containsExactlyElementsOf(workload.source());
        }
    }

    @ParameterizedTest
    @MethodSource("io.dataflow.cli.SourceTypes#migrations")
    void aDatabaseTargetIsEmptiedAtTheTruncate(String direction) throws Exception {
        boolean fromPg = direction.startsWith("postgres");
        try (TestDb src = fromPg ? TestDatabase.create() : TestMariaDb.create();
                TestDb dst = fromPg ? TestMariaDb.create() : TestDatabase.create()) {
            src.execute("CREATE TABLE t (id int PRIMARY KEY, v varchar(20))", "INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three')");
            String table = fromPg ? "t" : "\"" + src.name() + "\".t";
            try (RunningPipeline p = new RunningPipeline(Migration.pipeline(src, dst, Migration.uniqueName("trd"), "full-load-and-cdc",
                    src.schema() + ".t", "", ""), Map.of())) {
                p.awaitFullLoad();
                src.execute("UPDATE t SET v = 'changed' WHERE id = 1", "TRUNCATE TABLE t", "INSERT INTO t VALUES (2, 'again'), (9, 'nine')");
                MigrationIT.assertConverges(src, dst, "t", table, "id", List.of(text("v", "v", "v")));
                assertThat(MigrationIT.query(dst, "SELECT count(*) FROM " + table)).containsExactly("2");
                assertThat(p.stop()).isZero();
            }
        }
    }
}
