package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kinds of PostgreSQL table real schemas have: an UNLOGGED table has no change stream (refused up front by check and
 * run, naming the fix, instead of a publication error retried for ever); a table with inheritance children (the older
 * partitioning scheme) holds only its own rows in the lake, while each child is a table of its own, as logical
 * replication sends them; validation reads them the same way. A generated column, which pgoutput never sends, is
 * left out of the full load too. Both full-load engines (the parallel loader, Debezium's snapshot) read the same.
 */
class PostgresTableKindsIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"parallel", "debezium"})
    void unloggedTablesAreRefusedAndInheritanceChildrenAreTheirOwnTables(String fullLoadEngine) throws Exception {
        try (TestDatabase db = TestDatabase.create(); LakeReader reader = new LakeReader(dir.resolve("lake"))) {
            db.execute("create unlogged table scratch (id int primary key, v text)",
                    "create table payment (id int primary key, amount numeric(8,2), note xml, fee money,"
                            + " doubled numeric generated always as (amount * 2) stored)",
                    "create table payment_2024 (check (id < 1000)) inherits (payment)",
                    "alter table payment_2024 add primary key (id)",
                    "insert into payment values (1, 1.50, '<a>1</a>', 2.5)",
                    "insert into payment_2024 values (2, 2.50, null, 3), (3, 3.50, '<b/>', 4)");
            Path file = dir.resolve("p.yaml");
            // Debezium's snapshot streams with Debezium's reader (the native one reads changes only)
            String base = db.pipelineYaml("kinds", "full-load-and-cdc", dir.resolve("lake").toString(), "public.*")
                    + "full-load: {engine: " + fullLoadEngine + "}\n";
            Files.writeString(file, fullLoadEngine.equals("debezium") ? base.replace("  streaming-engine: native\n", "") : base);
            MainTest.Result check = MainTest.run("check", "--config", file.toString());
            assertThat(check.out()).contains("FAIL  changes of table public.scratch can be streamed", "UNLOGGED",
                    "tables.exclude: [public.scratch]");
            assertThat(check.code()).isEqualTo(1);
            MainTest.Result run = MainTest.run("run", "--config", file.toString(), "--progress-seconds", "0");
            assertThat(run.code()).as(run.out()).isNotZero();
            assertThat(run.out() + run.err()).contains("table public.scratch: its changes cannot be streamed", "SET LOGGED");

            String yaml = Files.readString(file).replace("include: [public.*]", "include: [public.*]\n  exclude: [public.scratch]");
            Files.writeString(file, yaml);
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                p.awaitFullLoad();
                db.execute("insert into payment_2024 values (4, 4.50, null, 5)", "update payment set amount = 1.75 where id = 1");
                RunningPipeline.await(Duration.ofSeconds(60), () -> count(reader, "payment_2024") == 3 && count(reader, "payment") == 2,
                        "the changes of parent and child");
                assertThat(p.stop()).isZero();
            }
            assertThat(reader.query("select Op, id from {raw} order by _position", "kinds", "public", "payment"))
                    .extracting(m -> m.get("Op") + ":" + m.get("id")).as("the parent's own rows only").containsExactly("I:1", "U:1");
            assertThat(reader.query("select id from {raw} order by _position", "kinds", "public", "payment_2024"))
                    .extracting(m -> m.get("id")).containsExactly(2, 3, 4);
            // pgoutput never sends a generated column: neither does the full load, so the first change is no "column dropped"
            assertThat(LakeFiles.schema(reader, LakeFiles.firstChangeFile(dir.resolve("lake"), "kinds", "public", "payment")))
                    .isEqualTo(LakeFiles.schema(reader, LakeFiles.firstLoadFile(dir.resolve("lake"), "kinds", "public", "payment")))
                    .noneMatch(c -> c.startsWith("doubled"));
            MainTest.Result validate = MainTest.run("validate", "--config", file.toString());
            assertThat(validate.code()).as(validate.out() + validate.err()).isZero();
        }
    }

    private static long count(LakeReader reader, String table) {
        try {
            return reader.hasFiles("kinds", "public", table)
                    ? ((Number) reader.query("select count(*) as n from {raw}", "kinds", "public", table).get(0).get("n")).longValue() : 0;
        } catch (Exception e) {
            return 0;
        }
    }
}
