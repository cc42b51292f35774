package io.dataflow.cli;

import static io.dataflow.cli.Migration.Check.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.cli.Migration.Check;
import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestDatabase;
import io.dataflow.testing.TestDb;
import io.dataflow.testing.TestMariaDb;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code dataflow reload} while a writer keeps changing the table: the source is read again in chunks between
 * watermarks in its change log, and the target ends equal to the source, even after rows were deleted, changed and
 * added in the target behind the pipeline's back.
 */
class ReloadIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"postgres-to-mariadb", "mariadb-to-postgres"})
    void reloadUnderWritesRepairsTheTarget(String direction) throws Exception {
        boolean fromPg = direction.startsWith("postgres");
        try (TestDb src = fromPg ? TestDatabase.create() : TestMariaDb.create();
                TestDb dst = fromPg ? TestMariaDb.create() : TestDatabase.create();
                Workload workload = new Workload(src, 5_000, 2)) {
            String table = fromPg ? "accounts" : "\"" + src.name() + "\".accounts";
            Path config = dir.resolve("pipeline.yaml");
            Files.writeString(config, Migration.pipeline(src, dst, Migration.uniqueName("rl"), "full-load-and-cdc", src.schema() + ".accounts", "", ""));
            String pgNumber = "balance::text";
            String mariaNumber = "CAST(balance AS CHAR)";
            List<Check> checks = List.of(text("balance", fromPg ? pgNumber : mariaNumber, fromPg ? mariaNumber : pgNumber), text("note", "note", "note"));
            try (RunningPipeline p = new RunningPipeline(Files.readString(config), Map.of())) {
                p.awaitFullLoad();
                workload.start();
                RunningPipeline.await(Duration.ofSeconds(60), () -> workload.committed() > 50, "writes");
                // the target drifts: rows lost, changed and invented behind the pipeline's back
                tamper(dst, "DELETE FROM " + table + " WHERE id % 7 = 0", "UPDATE " + table + " SET note = 'tampered' WHERE id % 11 = 0",
                        "INSERT INTO " + table + " (id, balance, note) VALUES (999999999, 1, 'not in the source')");
                StringWriter out = new StringWriter();
                assertThat(Main.execute(new String[] {"reload", "--config", config.toString(), "--table", src.schema() + ".accounts"},
                        new PrintWriter(out, true), new PrintWriter(out, true))).as(out.toString()).isZero();
                assertThat(out.toString()).contains("requested a reload of " + src.schema() + ".accounts");
                // the reload runs while the writer goes on
                RunningPipeline.await(Duration.ofSeconds(120), () -> missing(dst, table) == 0, "the reload to restore deleted rows");
                workload.stop();
                MigrationIT.assertConverges(src, dst, "accounts", table, "id", checks);
                assertThat(p.stop()).isZero();
                System.out.printf("reload test (%s): %d changes during the reload%n", direction, workload.committed());
            }
        }
    }

    @Test
    void reloadIntoTheLakeAppendsTheRowsReadAgainInStreamOrder() throws Exception {
        Path lake = dir.resolve("lake");
        try (TestDatabase src = TestDatabase.create(); Workload workload = new Workload(src, 3_000, 2); LakeReader reader = new LakeReader(lake)) {
            String name = Migration.uniqueName("rll");
            Path config = dir.resolve("lake.yaml");
            Files.writeString(config, src.pipelineYaml(name, "full-load-and-cdc", lake.toString(), "public.accounts"));
            try (RunningPipeline p = new RunningPipeline(Files.readString(config), Map.of())) {
                p.awaitFullLoad();
                workload.start();
                RunningPipeline.await(Duration.ofSeconds(60), () -> workload.committed() > 50, "writes");
                assertThat(Main.execute(new String[] {"reload", "--config", config.toString(), "--table", "public.accounts"},
                        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))).isZero();
                RunningPipeline.await(Duration.ofSeconds(120), () -> reloaded(reader, name) >= 2_500, "the rows read again");
                workload.stop();
                RunningPipeline.await(Duration.ofSeconds(60), () -> workload.caughtUp(reader, name), "every change in the lake");
                assertThat(p.stop()).isZero();
            }
            Map<String, Object> counts = reader.query("select count(*) as n, count(distinct _position) as d from {raw}", name, "public", "accounts")
                    .get(0);
            assertThat(counts.get("n")).as("no position twice").isEqualTo(counts.get("d"));
            assertThat(workload.replay(reader, name)).as("the raw zone replayed by _position").containsExactlyElementsOf(workload.source());
        }
    }

    /** Runs statements on the target, again when they deadlock with the pipeline's writes. */
    private static void tamper(TestDb dst, String... sql) throws Exception {
        for (String s : sql) {
            for (int attempt = 1; ; attempt++) {
                try {
                    dst.execute(s);
                    break;
                } catch (java.sql.SQLException e) {
                    if (attempt == 10 || !(e instanceof java.sql.SQLTransactionRollbackException || String.valueOf(e.getMessage()).contains("eadlock"))) {
                        throw e;
                    }
                }
            }
        }
    }

    /** Rows of the source missing from the target (the deleted ones come back with the reload). */
    private static long missing(TestDb dst, String table) {
        try {
            return Long.parseLong(MigrationIT.query(dst, "SELECT count(*) FROM " + table + " WHERE id % 7 = 0 AND id <= 5000").get(0)) == 0
                    ? 1 : 0;
        } catch (Exception e) {
            return 1;
        }
    }

    /** Rows the reload wrote: their positions carry the chunk-row suffix after the stream position. */
    private static long reloaded(LakeReader reader, String pipeline) {
        try {
            return reader.hasFiles(pipeline, "public", "accounts") ? ((Number) reader.query(
                    "select count(*) as n from {raw} where _position like '1-%' and length(_position) > 40", pipeline, "public", "accounts")
                    .get(0).get("n")).longValue() : 0;
        } catch (Exception e) {
            return 0;
        }
    }
}
