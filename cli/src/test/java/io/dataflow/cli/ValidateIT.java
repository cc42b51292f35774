package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflow.testing.TestDatabase;
import io.dataflow.testing.TestDb;
import io.dataflow.testing.TestMariaDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataflow validate} against real databases: planted differences, one per type family, each found exactly with
 * its key and nothing else; equal tables across engines and in the processed zone reported equal; mistakes exit 2.
 */
class ValidateIT {
    static final int ROWS = 100_000;

    @TempDir
    Path dir;

    @Test
    void plantedDifferencesAreFoundExactlyAndNothingElse() throws Exception {
        try (TestDatabase src = TestDatabase.create(); TestDatabase dst = TestDatabase.create()) {
            src.execute("""
                    create table t (id bigint primary key, i int, d numeric(12,3), f double precision, txt text, nul text, emp text,
                      ts timestamp(6), dt date, b boolean, j jsonb, by bytea, u uuid, ch char(6))""",
                    "insert into t select g, g % 1000, g / 7.0, g / 3.0, 'text ' || g, 'n' || g, '', timestamp '2024-01-01' + g * interval "
                            + "'1.000001 second', date '2020-01-01' + (g % 3000), g % 2 = 0, jsonb_build_object('g', g, 'a', array[1, 2]), "
                            + "int8send(g), md5(g::text)::uuid, 'c' || (g % 10) from generate_series(1, " + ROWS + ") g");
            Path file = Files.writeString(dir.resolve("p.yaml"), Migration.pipeline(src, dst, Migration.uniqueName("v"), "full-load", "public.t", "",
                    "validate: after-load\n"));
            MainTest.Result load = load(file);
            assertThat(load.out()).as("validate: after-load").contains("DATA VALIDATION PASSED");

            MainTest.Result equal = MainTest.run("validate", "--config", file.toString());
            assertThat(equal.code()).as(equal.out() + equal.err()).isZero();
            assertThat(equal.out()).contains("DATA VALIDATION PASSED").contains(String.format("%,d", ROWS));

            String t = "\"public\".\"t\"";
            dst.execute("delete from " + t + " where id = 10",
                    "insert into " + t + " (id, i) values (" + (ROWS + 5) + ", 1)",
                    "update " + t + " set i = i + 1 where id = 20",
                    "update " + t + " set d = d + 0.001 where id = 30",
                    "update " + t + " set f = f * (1 + 1e-15) where id = 40",
                    "update " + t + " set txt = txt || ' ' where id = 50",
                    "update " + t + " set nul = null where id = 60",
                    "update " + t + " set emp = null where id = 70",
                    "update " + t + " set ts = ts + interval '1 microsecond' where id = 80",
                    "update " + t + " set dt = dt + 1 where id = 90",
                    "update " + t + " set b = not b where id = 100",
                    "update " + t + " set j = j || '{\"g\": 0}' where id = 110",
                    "update " + t + " set by = '\\x00' where id = 120",
                    "update " + t + " set u = '00000000-0000-0000-0000-000000000000' where id = 130");
            Path report = dir.resolve("report.json");
            MainTest.Result diff = MainTest.run("validate", "--config", file.toString(), "--report", report.toString(), "--threads", "3");
            assertThat(diff.code()).as(diff.out() + diff.err()).isEqualTo(Main.EXIT_FAILED);
            assertThat(diff.out()).contains("DATA VALIDATION FAILED").contains("missing {id=10}").contains("extra {id=" + (ROWS + 5) + "}");
            JsonNode table = firstTable(report);
            assertThat(table.get("missing").asLong()).isEqualTo(1);
            assertThat(table.get("extra").asLong()).isEqualTo(1);
            assertThat(table.get("differing").asLong()).isEqualTo(12);
            assertThat(differencesByKey(table)).containsOnly(
                    Map.entry("missing 10", List.of()), Map.entry("extra " + (ROWS + 5), List.of()),
                    Map.entry("different 20", List.of("i")), Map.entry("different 30", List.of("d")), Map.entry("different 40", List.of("f")),
                    Map.entry("different 50", List.of("txt")), Map.entry("different 60", List.of("nul")), Map.entry("different 70", List.of("emp")),
                    Map.entry("different 80", List.of("ts")), Map.entry("different 90", List.of("dt")), Map.entry("different 100", List.of("b")),
                    Map.entry("different 110", List.of("j")), Map.entry("different 120", List.of("by")), Map.entry("different 130", List.of("u")));
            assertThat(diff.out()).contains("emp: source '', target NULL");
            assertThat(table.get("checksummed").asLong()).as("the equal ranges proven by checksum").isGreaterThan(ROWS / 2);
            MainTest.Result read = MainTest.run("validate", "--config", file.toString(), "--report", report.toString(), "--checksums", "never");
            assertThat(read.code()).isEqualTo(Main.EXIT_FAILED);
            JsonNode readTable = firstTable(report);
            assertThat(readTable.get("checksummed").asLong()).isZero();
            assertThat(readTable.get("differing").asLong()).as("every row read: the same differences").isEqualTo(12);
        }
    }

    /**
     * Between PostgreSQL tables of types with SQL hash functions, each row's columns are hashed in a chain: equal rows are
     * proven by checksum, and a change in any column — NULL against the value that stands in for it too — is found.
     */
    @Test
    void chainedColumnHashesFindEveryChangeIncludingNullAgainstItsStandIn() throws Exception {
        try (TestDatabase src = TestDatabase.create(); TestDatabase dst = TestDatabase.create()) {
            src.execute("""
                    create table c (id int primary key, s smallint, i int, b bigint, n numeric(10,2), t text, v varchar(20), ch char(3),
                      f boolean, d date, ts timestamp, tz timestamptz, u uuid, j jsonb)""",
                    "insert into c select g, g % 100, g, g * 7, g / 4.0, 't' || g, 'v' || g, 'c' || (g % 10), g % 2 = 0, date '2020-01-01' + g % 500,"
                            + " timestamp '2024-01-01' + g * interval '1 s', timestamptz '2024-01-01 00:00+02' + g * interval '1 min',"
                            + " md5(g::text)::uuid, jsonb_build_object('g', g) from generate_series(1, 50000) g",
                    "update c set i = 0, t = '', n = null where id = 20", "update c set i = null, t = null where id = 30");
            Path file = Files.writeString(dir.resolve("ch.yaml"), Migration.pipeline(src, dst, Migration.uniqueName("vch"), "full-load", "public.c", "", ""));
            load(file);
            Path report = dir.resolve("ch.json");
            MainTest.Result equal = MainTest.run("validate", "--config", file.toString(), "--report", report.toString());
            assertThat(equal.code()).as(equal.out() + equal.err()).isZero();
            assertThat(equal.out()).contains("checksummed in both databases (row chain)");
            assertThat(firstTable(report).get("checksummed").asLong()).isEqualTo(50_000);
            String t = "\"public\".\"c\"";
            dst.execute("update " + t + " set i = null where id = 20", "update " + t + " set t = null where id = 21",
                    "update " + t + " set i = 0 where id = 30", "update " + t + " set t = '' where id = 31",
                    "update " + t + " set s = s + 1 where id = 40", "update " + t + " set b = b + 1 where id = 41", "update " + t + " set n = n + 0.01 where id = 42",
                    "update " + t + " set v = v || ' ' where id = 43", "update " + t + " set ch = 'zz' where id = 44", "update " + t + " set f = not f where id = 45",
                    "update " + t + " set d = d + 1 where id = 46", "update " + t + " set ts = ts + interval '1 microsecond' where id = 47",
                    "update " + t + " set tz = tz + interval '1 microsecond' where id = 48",
                    "update " + t + " set u = '00000000-0000-0000-0000-000000000001' where id = 49", "update " + t + " set j = '{\"g\": 0}' where id = 50",
                    "update " + t + " set n = 0 where id = 20");
            MainTest.Result diff = MainTest.run("validate", "--config", file.toString(), "--report", report.toString());
            assertThat(diff.code()).as(diff.out() + diff.err()).isEqualTo(Main.EXIT_FAILED);
            assertThat(differencesByKey(firstTable(report))).containsOnly(
                    Map.entry("different 20", List.of("i", "n")), Map.entry("different 21", List.of("t")), Map.entry("different 30", List.of("i")),
                    Map.entry("different 31", List.of("t")), Map.entry("different 40", List.of("s")), Map.entry("different 41", List.of("b")),
                    Map.entry("different 42", List.of("n")), Map.entry("different 43", List.of("v")), Map.entry("different 44", List.of("ch")),
                    Map.entry("different 45", List.of("f")), Map.entry("different 46", List.of("d")), Map.entry("different 47", List.of("ts")),
                    Map.entry("different 48", List.of("tz")), Map.entry("different 49", List.of("u")), Map.entry("different 50", List.of("j")));
        }
    }

    /** Runs the pipeline's full load, which must succeed. */
    static MainTest.Result load(Path pipeline) {
        MainTest.Result load = MainTest.run("run", "--config", pipeline.toString(), "--progress-seconds", "0");
        assertThat(load.code()).as(load.out() + load.err()).isZero();
        return load;
    }

    /** The first table of a JSON validation report. */
    static JsonNode firstTable(Path report) throws java.io.IOException {
        return new ObjectMapper().readTree(report.toFile()).get("tables").get(0);
    }

    /** A report table's differences as "kind id" to the differing columns' names. */
    static Map<String, List<String>> differencesByKey(JsonNode table) {
        Map<String, List<String>> byKey = new TreeMap<>();
        for (JsonNode d : table.get("diffs")) {
            List<String> cols = new ArrayList<>();
            d.get("columns").forEach(c -> cols.add(c.get("column").asText()));
            byKey.put(d.get("kind").asText() + " " + d.get("key").get("id").asText(), cols);
        }
        return byKey;
    }

    static final String MARIADB_TABLE = """
            create table mixed (id int primary key, flag tinyint(1), ti tinyint, bi bigint, de decimal(20,6), fl float, db double,
              ch char(5), vc varchar(100), tx text, bl blob, dt date, dtm datetime(6), tm time(6), js json, en enum('a','b'))""";

    @Test
    void equalTablesAcrossEnginesAreEqual() throws Exception {
        try (TestMariaDb maria = TestMariaDb.create(); TestDatabase pg = TestDatabase.create()) {
            maria.execute(MARIADB_TABLE, "insert into mixed select seq, seq % 2, seq % 100, seq * 1000003, seq / 7, seq / 3, seq / 9, "
                    + "concat('c', seq % 10), concat('vü ', seq), repeat('x', seq % 50), unhex(hex(seq)), '2020-02-29' + interval seq day, "
                    + "'2024-01-01 00:00:00' + interval seq second + interval seq microsecond, '12:34:56.789012', "
                    + "json_object('k', seq, 'a', json_array(1, 'two')), if(seq % 2 = 0, 'a', 'b') from seq_1_to_5000");
            Path m2p = Files.writeString(dir.resolve("m2p.yaml"), Migration.pipeline(maria, pg, Migration.uniqueName("vm"), "full-load",
                    maria.name() + ".mixed", "", ""));
            load(m2p);
            MainTest.Result v = MainTest.run("validate", "--config", m2p.toString());
            assertThat(v.code()).as(v.out() + v.err()).isZero();
            assertThat(v.out()).contains("DATA VALIDATION PASSED");
        }
        try (TestDatabase pg = TestDatabase.create(); TestMariaDb maria = TestMariaDb.create()) {
            pg.execute("create table mixed (id int primary key, flag boolean, bi bigint, de numeric(20,6), r real, db double precision,"
                    + " ch char(5), vc varchar(100), tx text, by bytea, dt date, ts timestamp(6), tz timestamptz, tm time(6), j jsonb, u uuid)",
                    "insert into mixed select g, g % 2 = 0, g::bigint * 1000003, g / 7.0, g / 3.0, g / 9.0, 'c' || (g % 10), 'vü ' || g, "
                            + "repeat('x', g % 50), int4send(g), date '2020-02-29' + g, timestamp '2024-01-01' + g * interval '1.000001 s', "
                            + "timestamptz '2024-01-01 00:00:00+02' + g * interval '1 minute', time '12:34:56.789012', "
                            + "jsonb_build_object('k', g, 'a', jsonb_build_array(1, 'two')), md5(g::text)::uuid from generate_series(1, 5000) g");
            Path p2m = Files.writeString(dir.resolve("p2m.yaml"), Migration.pipeline(pg, maria, Migration.uniqueName("vp"), "full-load",
                    "public.mixed", "", ""));
            load(p2m);
            MainTest.Result v = MainTest.run("validate", "--config", p2m.toString());
            assertThat(v.code()).as(v.out() + v.err()).isZero();
            assertThat(v.out()).contains("DATA VALIDATION PASSED");
        }
    }

    /**
     * MariaDB → PostgreSQL with only columns both engines checksum alike: every range is proven equal inside the two
     * databases without reading a row, and a planted difference of each family is still found exactly (a checksum that
     * rendered one of them loosely would hide it). Then PostgreSQL → MariaDB the same way.
     */
    @Test
    void acrossEnginesEqualRangesAreProvenInsideBothDatabasesAndDifferencesStillFound() throws Exception {
        try (TestMariaDb maria = TestMariaDb.create(); TestDatabase pg = TestDatabase.create()) {
            maria.execute("""
                    create table digest (id int primary key, flag tinyint(1), bi bigint, ub bigint unsigned, de decimal(20,6), ch char(5),
                      vc varchar(100), tx text, emp varchar(10), bl blob, dt date, dtm datetime(6)) default charset = utf8mb4""",
                    "insert into digest select seq, seq % 2, seq * 1000003, seq * 7, seq / 7, concat('c', seq % 10), concat('vü ', seq), "
                            + "repeat('x', seq % 50), '', unhex(hex(seq)), '2020-02-29' + interval (seq % 3000) day, "
                            + "'2024-01-01 00:00:00' + interval seq second + interval seq microsecond from seq_1_to_" + ROWS,
                    "update digest set vc = null, bl = null, flag = null where id % 1000 = 0");
            Path file = Files.writeString(dir.resolve("dg.yaml"), Migration.pipeline(maria, pg, Migration.uniqueName("vd"), "full-load",
                    maria.name() + ".digest", "", ""));
            load(file);
            Path report = dir.resolve("dg.json");
            // both databases run on this host, where reading the rows costs less than hashing them in both: ask for checksums
            MainTest.Result equal = MainTest.run("validate", "--config", file.toString(), "--report", report.toString(), "--checksums", "always");
            assertThat(equal.code()).as(equal.out() + equal.err()).isZero();
            JsonNode t = firstTable(report);
            assertThat(t.get("compared").asLong()).isEqualTo(ROWS);
            assertThat(t.get("checksummed").asLong()).as("every row proven equal by checksums, none read").isEqualTo(ROWS);
            MainTest.Result local = MainTest.run("validate", "--config", file.toString(), "--report", report.toString());
            assertThat(local.code()).as(local.out() + local.err()).isZero();
            assertThat(firstTable(report).get("checksummed").asLong())
                    .as("auto, both databases local: rows read").isZero();

            String d = "\"" + maria.name() + "\".\"digest\"";
            pg.execute("delete from " + d + " where id = 10",
                    "insert into " + d + " (id) values (" + (ROWS + 5) + ")",
                    "update " + d + " set flag = not flag where id = 21",
                    "update " + d + " set bi = bi + 1 where id = 30",
                    "update " + d + " set ub = ub - 1 where id = 40",
                    "update " + d + " set de = de + 0.000001 where id = 50",
                    "update " + d + " set ch = 'c' where id = 61",
                    "update " + d + " set vc = vc || ' ' where id = 70",
                    "update " + d + " set tx = null where id = 80",
                    "update " + d + " set emp = null where id = 90",
                    "update " + d + " set bl = '\\x00' where id = 101",
                    "update " + d + " set dt = dt + 1 where id = 110",
                    "update " + d + " set dtm = dtm + interval '1 microsecond' where id = 120",
                    "update " + d + " set vc = 'vü 130' where id = 2000");
            MainTest.Result diff = MainTest.run("validate", "--config", file.toString(), "--report", report.toString(), "--checksums", "always");
            assertThat(diff.code()).as(diff.out() + diff.err()).isEqualTo(Main.EXIT_FAILED);
            t = firstTable(report);
            assertThat(differencesByKey(t)).containsOnly(
                    Map.entry("missing 10", List.of()), Map.entry("extra " + (ROWS + 5), List.of()),
                    Map.entry("different 21", List.of("flag")), Map.entry("different 30", List.of("bi")), Map.entry("different 40", List.of("ub")),
                    Map.entry("different 50", List.of("de")), Map.entry("different 61", List.of("ch")), Map.entry("different 70", List.of("vc")),
                    Map.entry("different 80", List.of("tx")), Map.entry("different 90", List.of("emp")), Map.entry("different 101", List.of("bl")),
                    Map.entry("different 110", List.of("dt")), Map.entry("different 120", List.of("dtm")), Map.entry("different 2000", List.of("vc")));
            assertThat(t.get("checksummed").asLong()).as("only the differing buckets were read").isGreaterThan(ROWS * 9 / 10);
        }
        try (TestDatabase pg = TestDatabase.create(); TestMariaDb maria = TestMariaDb.create()) {
            pg.execute("create table digest (id bigint primary key, flag boolean, n int, de numeric(12,3), ch char(4), vc varchar(40), tx text,"
                    + " by bytea, dt date, ts timestamp(6))",
                    "insert into digest select g, g % 3 = 0, g % 77, g / 3.0, 'p' || (g % 10), 'ü' || g, repeat('y', g % 30), int4send(g), "
                            + "date '2020-02-29' + (g % 4000), timestamp '2024-01-01' + g * interval '1.000001 s' from generate_series(1, 20000) g");
            Path file = Files.writeString(dir.resolve("dg2.yaml"), Migration.pipeline(pg, maria, Migration.uniqueName("vd"), "full-load",
                    "public.digest", "", ""));
            load(file);
            Path report = dir.resolve("dg2.json");
            MainTest.Result equal = MainTest.run("validate", "--config", file.toString(), "--report", report.toString(), "--checksums", "always");
            assertThat(equal.code()).as(equal.out() + equal.err()).isZero();
            JsonNode t = firstTable(report);
            assertThat(t.get("checksummed").asLong()).isEqualTo(20_000);
        }
    }

    /**
     * Values a target cannot hold land as the conversion rules say (NULL, NUL characters dropped); validation reports
     * them as "not held", with the reason, and still passes — but the same row changed otherwise is a difference.
     */
    @Test
    void valuesATargetCannotHoldAreReportedAsSuchNotAsDifferences() throws Exception {
        try (TestMariaDb maria = TestMariaDb.create(); TestDatabase pg = TestDatabase.create()) {
            maria.execute("set session sql_mode = ''",
                    "create table lossy (id int primary key, s varchar(20), t time, d date)",
                    "insert into lossy values (1, concat('a', char(0), 'b'), '30:00:00', '2020-01-01'), (2, 'plain', '-01:00:00', '0000-00-00'),"
                            + " (3, 'ok', '12:34:56', '2021-02-03')");
            Path file = Files.writeString(dir.resolve("nh.yaml"), Migration.pipeline(maria, pg, Migration.uniqueName("vh"), "full-load",
                    maria.name() + ".lossy", "", ""));
            load(file);
            MainTest.Result v = MainTest.run("validate", "--config", file.toString());
            assertThat(v.code()).as(v.out() + v.err()).isZero();
            assertThat(v.out()).contains("DATA VALIDATION PASSED").contains("not held {id=1} s: source 'a\0b', target 'ab' (NUL characters dropped")
                    .contains("t: source '30:00:00', target NULL (durations outside PostgreSQL's time of day")
                    .contains("not held {id=2} t: source '-01:00:00', target NULL");
            pg.execute("update \"" + maria.name() + "\".\"lossy\" set s = 'a b' where id = 1");
            MainTest.Result d = MainTest.run("validate", "--config", file.toString());
            assertThat(d.code()).as(d.out() + d.err()).isEqualTo(Main.EXIT_FAILED);
            assertThat(d.out()).contains("different {id=1} s: source 'a\0b', target 'a b'");
        }
        try (TestDatabase pg = TestDatabase.create(); TestMariaDb maria = TestMariaDb.create()) {
            pg.execute("create table lossy (id int primary key, x double precision, d date)",
                    "insert into lossy values (1, 'NaN', '2020-01-01'), (2, '-Infinity', '0500-06-07'), (3, 1.5, '2021-02-03')");
            Path file = Files.writeString(dir.resolve("nh2.yaml"), Migration.pipeline(pg, maria, Migration.uniqueName("vh"), "full-load",
                    "public.lossy", "", ""));
            load(file);
            Path report = dir.resolve("nh.json");
            MainTest.Result v = MainTest.run("validate", "--config", file.toString(), "--report", report.toString());
            assertThat(v.code()).as(v.out() + v.err()).isZero();
            JsonNode t = firstTable(report);
            assertThat(t.get("notHeld").asLong()).isEqualTo(2);
            assertThat(t.get("differing").asLong()).isZero();
            assertThat(v.out()).contains("not held {id=1} x: source 'NaN', target NULL (NaN or infinity has no MariaDB value")
                    .contains("d: source '0500-06-07', target NULL (date outside MariaDB's years 1000..9999");
        }
    }

    @Test
    void theProcessedZoneIsComparedAndFoundEqual() throws Exception {
        try (TestDb db = TestDatabase.create(); Workload workload = new Workload(db, 30_000, 0)) {
            Path lake = dir.resolve("lake");
            String yaml = ProcessedZoneIT.processedYaml(db, "vz", lake, "{commit-interval: 300ms}").replace("mode: full-load-and-cdc", "mode: full-load");
            Path file = Files.writeString(dir.resolve("z.yaml"), yaml);
            load(file);
            MainTest.Result v = MainTest.run("validate", "--config", file.toString(), "--threads", "2");
            assertThat(v.code()).as(v.out() + v.err()).isZero();
            assertThat(v.out()).contains("processed zone").contains("30,000").contains("DATA VALIDATION PASSED");
            db.execute("update accounts set note = 'changed' where id = 77", "delete from accounts where id = 78");
            MainTest.Result d = MainTest.run("validate", "--config", file.toString());
            assertThat(d.code()).isEqualTo(Main.EXIT_FAILED);
            assertThat(d.out()).contains("extra {id=78}").contains("different {id=77} note: source 'changed', target 'initial 77'");
        }
    }

    @Test
    void mistakesExitTwoWithOneLine() throws Exception {
        try (TestDatabase src = TestDatabase.create(); TestDatabase dst = TestDatabase.create()) {
            src.execute("create table t (id int primary key)");
            Path file = Files.writeString(dir.resolve("p.yaml"), Migration.pipeline(src, dst, Migration.uniqueName("ve"), "full-load", "public.t", "", ""));
            MainTest.Result unknown = MainTest.run("validate", "--config", file.toString(), "--tables", "public.nope");
            assertThat(unknown.code()).isEqualTo(Main.EXIT_CONFIG);
            assertThat(unknown.err()).contains("--tables: 'public.nope' is not a table the pipeline replicates");
            MainTest.Result noLoop = MainTest.run("validate", "--config", file.toString(), "--http-port", "9999");
            assertThat(noLoop.code()).isEqualTo(Main.EXIT_CONFIG);
            assertThat(noLoop.err()).contains("--http-port: serves the results of --continuous");
            try (java.net.ServerSocket busy = new java.net.ServerSocket(0)) {
                MainTest.Result taken = MainTest.run("validate", "--config", file.toString(), "--continuous", "--passes", "1",
                        "--http-port", "" + busy.getLocalPort());
                assertThat(taken.code()).isEqualTo(Main.EXIT_CONFIG);
                assertThat(taken.err().strip()).startsWith("error: --http-port: cannot serve on 0.0.0.0:" + busy.getLocalPort()).doesNotContain("\n");
            }
            MainTest.Result notLoaded = MainTest.run("validate", "--config", file.toString());
            assertThat(notLoaded.code()).as(notLoaded.out() + notLoaded.err()).isEqualTo(Main.EXIT_CONFIG);
            assertThat(notLoaded.out()).contains("NOT COMPARED");
            Path wrong = Files.writeString(dir.resolve("w.yaml"), Files.readString(file).replace("user: postgres", "user: nobody_here"));
            MainTest.Result denied = MainTest.run("validate", "--config", wrong.toString());
            assertThat(denied.code()).isEqualTo(Main.EXIT_CONFIG);
            assertThat(denied.err().strip().lines().count()).as(denied.err()).isEqualTo(1);
        }
    }

    @Test
    void continuousModeIgnoresChangesInFlightAndReportsALastingDifference() throws Exception {
        try (TestDatabase src = TestDatabase.create(); TestDatabase dst = TestDatabase.create(); Workload workload = new Workload(src, 2000, 5)) {
            String yaml = Migration.pipeline(src, dst, Migration.uniqueName("vc"), "full-load-and-cdc", "public.accounts", "", "");
            Path file = Files.writeString(dir.resolve("c.yaml"), yaml);
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                p.awaitFullLoad();
                workload.start();
                int port;
                try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                    port = free.getLocalPort();
                }
                Path report = dir.resolve("continuous.json");
                java.util.concurrent.CompletableFuture<MainTest.Result> running = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return MainTest.run("validate", "--config", file.toString(), "--continuous", "--lag-allowance", "10s",
                                "--interval", "1s", "--passes", "60", "--http-port", "" + port, "--http-bind", "127.0.0.1",
                                "--report", report.toString());
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
                String[] scrape = {""};
                java.util.regex.Pattern passesLine = java.util.regex.Pattern.compile("(?m)^dataflow_validation_passes_total\\{[^}]*\\} ([0-9.]+)$");
                RunningPipeline.await(java.time.Duration.ofSeconds(60), () -> {
                    if (running.isDone()) {
                        MainTest.Result r = running.join();
                        throw new AssertionError("validate ended (exit " + r.code() + ") before /metrics showed two passes: " + r.out() + r.err());
                    }
                    try {
                        scrape[0] = new String(java.net.URI.create("http://127.0.0.1:" + port + "/metrics").toURL().openStream().readAllBytes(),
                                java.nio.charset.StandardCharsets.UTF_8);
                    } catch (java.io.IOException notYet) {
                        return false;
                    }
                    java.util.regex.Matcher passes = passesLine.matcher(scrape[0]);
                    return passes.find() && Double.parseDouble(passes.group(1)) >= 2;
                }, "two passes on /metrics");
                assertThat(scrape[0]).contains("dataflow_validation_rows_compared{pipeline=").contains("state=\"lasting\"} 0.0");
                assertThat(report).as("the JSON report is written after every pass").exists();
                MainTest.Result quiet = running.get();
                assertThat(quiet.code()).as(quiet.out() + quiet.err()).isZero();
                // a minute of passes while the changes flow: none is reported
                assertThat(quiet.out()).doesNotContain("DIFFERENCE").contains("pass 60: ").contains("/metrics");
                workload.stop();
                int row = Integer.parseInt(workload.source().get(0).split("\\|")[0]);
                dst.execute("update \"public\".\"accounts\" set note = 'changed in the target' where id = " + row);
                MainTest.Result lasting = MainTest.run("validate", "--config", file.toString(), "--continuous", "--lag-allowance", "2s",
                        "--interval", "1s", "--passes", "5");
                assertThat(lasting.code()).as(lasting.out() + lasting.err()).isEqualTo(Main.EXIT_FAILED);
                assertThat(lasting.out()).contains("DIFFERENCE (lasting").contains("different {id=" + row + "} note: source");
                assertThat(p.stop()).isZero();
            }
        }
    }

    @Test
    void aTableWithoutKeyIsComparedAsAMultiset() throws Exception {
        try (TestDatabase src = TestDatabase.create(); TestDatabase dst = TestDatabase.create()) {
            src.execute("create table log (n int, msg text, at date, x double precision)",
                    "insert into log select g % 100, 'm' || (g % 7), date '2024-01-01' + (g % 5), g / 4.0 from generate_series(1, 3000) g",
                    "insert into log values (1, 'dup', null, null), (1, 'dup', null, null), (1, 'dup', null, null)");
            Path file = Files.writeString(dir.resolve("k.yaml"), Migration.pipeline(src, dst, Migration.uniqueName("vk"), "full-load", "public.log", "", ""));
            load(file);
            MainTest.Result equal = MainTest.run("validate", "--config", file.toString());
            assertThat(equal.code()).as(equal.out() + equal.err()).isZero();
            assertThat(equal.out()).contains("3,003");
            dst.execute("delete from \"public\".\"log\" where ctid = (select min(ctid) from \"public\".\"log\" where msg = 'dup')",
                    "insert into \"public\".\"log\" values (7, 'new', null, 0.5)");
            MainTest.Result diff = MainTest.run("validate", "--config", file.toString());
            assertThat(diff.code()).as(diff.out() + diff.err()).isEqualTo(Main.EXIT_FAILED);
            assertThat(diff.out()).contains("missing {n=1, msg=dup, at=null, x=null}").contains("extra {n=7, msg=new, at=null, x=0.5}");
        }
    }

    @Test
    void theRawZoneReplayedToCurrentStateEqualsTheSource() throws Exception {
        try (TestDb db = TestDatabase.create(); Workload workload = new Workload(db, 5_000, 2)) {
            Path lake = dir.resolve("rawlake");
            String yaml = db.pipelineYaml("vr", "full-load-and-cdc", lake.toString(), "public.accounts");
            Path file = Files.writeString(dir.resolve("r.yaml"), yaml);
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of()); io.dataflow.testing.LakeReader reader = new io.dataflow.testing.LakeReader(lake)) {
                p.awaitFullLoad();
                workload.start();
                RunningPipeline.await(java.time.Duration.ofSeconds(60), () -> workload.committed() > 500, "changes");
                workload.stop();
                RunningPipeline.await(java.time.Duration.ofSeconds(60), () -> workload.caughtUp(reader, "vr"), "catch-up");
                assertThat(p.stop()).isZero();
            }
            MainTest.Result v = MainTest.run("validate", "--config", file.toString());
            assertThat(v.code()).as(v.out() + v.err()).isZero();
            assertThat(v.out()).contains("raw zone of").contains("DATA VALIDATION PASSED");
            int row = Integer.parseInt(workload.source().get(0).split("\\|")[0]);
            db.execute("update accounts set balance = -1 where id = " + row);
            MainTest.Result d = MainTest.run("validate", "--config", file.toString());
            assertThat(d.code()).as(d.out() + d.err()).isEqualTo(Main.EXIT_FAILED);
            assertThat(d.out()).contains("different {id=" + row + "} balance: source '-1'");
        }
    }
}
