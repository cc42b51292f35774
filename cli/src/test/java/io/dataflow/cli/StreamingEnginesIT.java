package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two readers of PostgreSQL's change stream, Debezium's connector and DataFlow's own pgoutput reader
 * ({@code source.streaming-engine: native}), read the same changes through two slots at once, and the two raw zones
 * must hold the same rows: every value of every type, the same {@code _position}s, operations, commit times,
 * transaction ids and {@code _unchanged} columns, through TOAST, keyless tables, key changes, a transaction larger
 * than a batch, a schema change and a TRUNCATE.
 */
class StreamingEnginesIT {
    @TempDir
    Path lakes;

    private static final String[] TABLES = {"Types", "docs", "keyless", "items", "done"};

    @Test
    void debeziumAndTheNativeReaderWriteTheSameRawZone() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            StringBuilder ddl = new StringBuilder("create table \"Types\" (id int primary key");
            StringBuilder cols = new StringBuilder("id");
            StringBuilder vals = new StringBuilder();
            for (Map.Entry<String, String[]> c : PostgresTypesIT.COLUMNS.entrySet()) {
                ddl.append(", ").append(PostgresTypesIT.q(c.getKey())).append(' ').append(c.getValue()[0]);
                cols.append(", ").append(PostgresTypesIT.q(c.getKey()));
                vals.append(", ").append(c.getValue()[1]);
            }
            db.execute("create extension if not exists hstore", "create type mood as enum ('sad', 'happy')",
                    "create domain posint as integer check (value > 0)",
                    ddl.append(", c_hstore hstore)").toString(),
                    "create table docs (id int primary key, body text, n int)", "alter table docs alter column body set storage external",
                    "create table keyless (a int, b text)",
                    "create table items (id int primary key, v text, qty int default 0)",
                    "create table done (id int primary key)",
                    "insert into docs select 1, string_agg(md5(i::text), ''), 0 from generate_series(1, 5000) i",
                    "insert into items select g, 'v' || g from generate_series(1, 10000) g");
            String yaml = db.pipelineYaml("dbz", "full-load-and-cdc", lakes.resolve("dbz").toString(), "public.*");
            String nativeYaml = db.pipelineYaml("nat", "full-load-and-cdc", lakes.resolve("nat").toString(), "public.*")
                    .replace("slot: " + db.slot(), "slot: " + db.slot() + "_nat")
                    .replaceAll("(?m)^  streaming-engine: .*\\n", "")
                    .replace("  ssl-mode: disable\n", "  ssl-mode: disable\n  streaming-engine: native\n");
            yaml = yaml.replaceAll("(?m)^  streaming-engine: .*\\n", "").replace("  ssl-mode: disable\n",
                    "  ssl-mode: disable\n  streaming-engine: debezium\n");
            try (RunningPipeline dbz = new RunningPipeline(yaml, Map.of()); RunningPipeline nat = new RunningPipeline(nativeYaml, Map.of())) {
                dbz.awaitFullLoad();
                nat.awaitFullLoad();
                db.execute("insert into \"Types\" (" + cols + ", c_hstore) values (1" + vals + ", 'a=>1, \"b c\"=>NULL, q=>\"x\\\"y\"')",
                        "insert into \"Types\" (id) values (2)",
                        "update \"Types\" set c_text = 'changed', c_hstore = '' where id = 1",
                        "delete from \"Types\" where id = 2",
                        "update docs set n = 1 where id = 1",
                        "update docs set body = 'short now', n = 2 where id = 1",
                        "insert into keyless values (1, 'one'), (2, 'two'), (2, 'two')",
                        "update keyless set b = 'uno' where a = 1",
                        "delete from keyless where a = 2",
                        "update items set id = id + 100000 where id = 5",
                        "begin; update items set qty = qty + 1; update items set v = 'again' where id < 20; commit;",
                        "alter table items add column note text default 'n/a'",
                        "insert into items (id, v) values (200000, 'after alter')",
                        "truncate items",
                        "insert into items (id, v, note) values (1, 'after truncate', null)",
                        "insert into done values (1)");
                for (String pipeline : new String[] {"dbz", "nat"}) {
                    RunningPipeline running = pipeline.equals("dbz") ? dbz : nat;
                    try (LakeReader reader = new LakeReader(lakes.resolve(pipeline))) {
                        RunningPipeline.await(Duration.ofSeconds(120), () -> has(reader, pipeline), pipeline + " reaching the last change");
                    } catch (AssertionError e) {
                        running.stop(); // says why the pipeline ended, if it did
                        throw new AssertionError(e.getMessage() + "\n" + running.output(), e);
                    }
                }
                assertThat(dbz.stop()).isZero();
                assertThat(nat.stop()).isZero();
            }
            try (LakeReader d = new LakeReader(lakes.resolve("dbz")); LakeReader n = new LakeReader(lakes.resolve("nat"))) {
                for (String table : TABLES) {
                    List<String> debezium = rows(d, "dbz", table);
                    List<String> nativeRows = rows(n, "nat", table);
                    assertThat(nativeRows).as("raw zone of %s, native reader against Debezium's", table).containsExactlyElementsOf(debezium);
                }
                assertThat(rows(n, "nat", "items")).as("changes of items, one transaction larger than a batch").hasSizeGreaterThan(10_000);
            }
        }
    }

    /**
     * A pipeline killed (SIGKILL) while changes flow and started again with the other reader, three times: the
     * checkpoint one reader wrote resumes the other, and the raw zone still holds every committed change once, in order.
     */
    @Test
    void killedAndRestartedWithTheOtherReaderEachTimeLosesNothingAndRepeatsNothing() throws Exception {
        Path jar = Path.of(System.getProperty("dataflow.jar", "target/dataflow.jar"));
        Path lake = lakes.resolve("switch");
        try (TestDatabase db = TestDatabase.create(); Workload workload = new Workload(db, 1000, 2); LakeReader reader = new LakeReader(lake)) {
            Path config = lakes.resolve("switch.yaml");
            Path log = lakes.resolve("switch-0.log");
            String base = db.pipelineYaml("sw", "full-load-and-cdc", lake.toString(), "public.accounts")
                    .replaceAll("(?m)^  streaming-engine: .*\\n", "");
            String[] engines = {"native", "debezium", "native", "debezium"};
            Files.writeString(config, withEngine(base, engines[0]));
            Process p = JarProcess.run(jar, config, log);
            Process first = p;
            RunningPipeline.await(Duration.ofSeconds(120), () -> CrashRecoveryIT.fullLoadDone(lake, "sw") || !first.isAlive(), "full load");
            workload.start();
            for (int i = 1; i < engines.length; i++) {
                long target = workload.committed() + 150;
                RunningPipeline.await(Duration.ofSeconds(60), () -> workload.committed() >= target, "changes committed");
                Process running = p;
                RunningPipeline.await(Duration.ofSeconds(60), () -> streamed(reader) >= target || !running.isAlive(),
                        "run " + (i - 1) + " streaming");
                p.destroyForcibly().waitFor();
                long more = workload.committed() + 50;
                RunningPipeline.await(Duration.ofSeconds(60), () -> workload.committed() >= more, "changes while down");
                Files.writeString(config, withEngine(base, engines[i]));
                p = JarProcess.run(jar, config, lakes.resolve("switch-" + i + ".log"));
            }
            workload.stop();
            Process last = p;
            RunningPipeline.await(Duration.ofSeconds(120), () -> workload.caughtUp(reader, "sw") || !last.isAlive(), "catch-up");
            last.destroy();
            Path lastLog = lakes.resolve("switch-" + (engines.length - 1) + ".log");
            assertThat(last.waitFor()).as("exit code after SIGTERM; log:\n%s", JarProcess.tail(lastLog)).isZero();
            for (int i = 0; i < engines.length; i++) {
                assertThat(Files.readString(lakes.resolve("switch-" + i + ".log")).contains("with the native pgoutput reader"))
                        .as("run %d read with the native reader", i).isEqualTo(engines[i].equals("native"));
            }
            workload.assertLakeExact(reader, "sw", 1000);
        }
    }

    /** The changes the raw zone holds for the workload's table. */
    private static long streamed(LakeReader reader) {
        try {
            return reader.hasFiles("sw", "public", Workload.TABLE) ? ((Number) reader.query("select count(*) as n from {raw} where "
                    + "_position like '1-%'", "sw", "public", Workload.TABLE).get(0).get("n")).longValue() : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    private static String withEngine(String yaml, String engine) {
        return yaml.replace("  ssl-mode: disable\n", "  ssl-mode: disable\n  streaming-engine: " + engine + "\n");
    }

    private static boolean has(LakeReader reader, String pipeline) {
        try {
            return reader.hasFiles(pipeline, "public", "done")
                    && !reader.query("select id from {raw} where Op = 'I'", pipeline, "public", "done").isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /** Every row the raw zone holds for a table, every column as text, in position order. */
    private static List<String> rows(LakeReader reader, String pipeline, String table) throws Exception {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : reader.query("select columns(*)::varchar from {raw} where _position like '1-%' order by _position", pipeline, "public", table)) {
            out.add(r.toString());
        }
        return out;
    }
}
