package io.dataflow.cli;

import static io.dataflow.cli.Migration.Check.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.cli.Migration.Check;
import io.dataflow.cli.Migration.Compare;
import io.dataflow.testing.TestDatabase;
import io.dataflow.testing.TestDb;
import io.dataflow.testing.TestMariaDb;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MariaDB -> PostgreSQL and PostgreSQL -> MariaDB on the machine's servers: a table with every mapped type and edge
 * values, full load then CDC (insert, update, delete, a multi-statement transaction), and the target compared with
 * the source value by value through the conversion rules (each check pairs a source and a target expression).
 */
class MigrationIT {

    @Test
    void mariadbToPostgres() throws Exception {
        try (TestMariaDb src = TestMariaDb.create(); TestDatabase dst = TestDatabase.create()) {
            createMariaDbSchema(src);
            List<Check> checks = mariadbChecks();
            String name = Migration.uniqueName("m2p");
            String yaml = Migration.pipeline(src, dst, name, "full-load-and-cdc", src.name() + ".*", "", "");
            String srcTable = "`Mixed Case`";
            String dstTable = "\"" + src.name() + "\".\"Mixed Case\"";
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                p.awaitFullLoad();
                assertConverges(src, dst, srcTable, dstTable, "id", checks);
                src.execute("INSERT INTO `Mixed Case` (id, dt, en, st, tm, js) VALUES (4, '2001-01-01', 'x y', 'g', '23:59:59', '{\"n\": 1}')",
                        // an explicit NULL in a column with a DEFAULT stays NULL through the change stream
                        "INSERT INTO `Mixed Case` (id, dt, `my-col`) VALUES (6, '2003-03-03', NULL)",
                        "UPDATE `Mixed Case` SET vc = 'changed ü', st = 'r,g,b', `Order` = 0, bu = 1 WHERE id = 1",
                        "DELETE FROM child WHERE id = 2",
                        "DELETE FROM `Mixed Case` WHERE id = 3");
                try (Connection c = src.connect(); Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    st.execute("INSERT INTO `Mixed Case` (id, dt, tx) VALUES (5, '2002-02-02', 'in a transaction')");
                    st.execute("INSERT INTO child VALUES (3, 5, 'five')");
                    st.execute("UPDATE `Mixed Case` SET tx = 'updated in the same transaction' WHERE id = 5");
                    c.commit();
                }
                assertConverges(src, dst, srcTable, dstTable, "id", checks);
                assertConverges(src, dst, "child", "\"" + src.name() + "\".child", "id",
                        List.of(text("parent_id", "CAST(parent_id AS CHAR)", "parent_id::text"), text("note", "note", "note")));
                // a column added during CDC is added to the target, typed by the mapping rules, with its default
                src.execute("ALTER TABLE child ADD COLUMN added_at datetime(3) NULL DEFAULT '2020-01-01 00:00:00', ADD COLUMN qty int unsigned",
                        "INSERT INTO child VALUES (4, 5, 'four', '2021-02-03 04:05:06.789', 4294967295)",
                        "UPDATE child SET qty = 7 WHERE id = 1");
                assertConverges(src, dst, "child", "\"" + src.name() + "\".child", "id", List.of(
                        text("note", "note", "note"),
                        text("added_at", "DATE_FORMAT(added_at, '%Y-%m-%d %H:%i:%s.%f')", "to_char(added_at, 'YYYY-MM-DD HH24:MI:SS.US')"),
                        text("qty", "CAST(qty AS CHAR)", "qty::text")));
                assertThat(query(dst, "SELECT data_type FROM information_schema.columns WHERE table_name = 'child' AND column_name = 'qty'"))
                        .containsExactly("bigint");
                // a table created in the source during CDC, matching the rules, is created in the target
                src.execute("CREATE TABLE later (id int unsigned PRIMARY KEY, v varchar(5), KEY iv (v))",
                        "INSERT INTO later VALUES (1, 'a'), (4294967295, NULL)", "UPDATE later SET v = 'b' WHERE id = 1");
                assertConverges(src, dst, "later", "\"" + src.name() + "\".later", "id", List.of(text("v", "v", "v")));
                assertThat(query(dst, "SELECT indexname FROM pg_indexes WHERE tablename = 'later'")).contains("later_iv");
                assertThat(query(dst, "SELECT indexname FROM pg_indexes WHERE schemaname = '" + src.name() + "'"))
                        .contains("Mixed Case_uq_vc", "Mixed Case_idx_dt");
                assertThat(query(dst, "SELECT conname FROM pg_constraint WHERE contype = 'f'")).contains("child_fk_parent");
                // the binlog schema history lives with the rest of the state, in the target's _dataflow schema
                assertThat(query(dst, "SELECT count(*) FROM _dataflow.objects WHERE object_key LIKE '_state/" + name
                        + "/schema-history/%'")).first().isNotEqualTo("0");
                assertThat(java.nio.file.Path.of("jdbc:postgresql:")).doesNotExist();
                assertThat(p.stop()).isZero();
                assertThat(p.output()).contains(src.name() + ".Mixed Case.dt=1")
                        .containsPattern("database target, \\d value\\(s\\): " + src.name() + "\\.Mixed Case\\.tm: durations outside");
            }
        }
    }

    @Test
    void postgresToMariadb() throws Exception {
        try (TestDatabase src = TestDatabase.create(); TestMariaDb dst = TestMariaDb.create()) {
            src.execute("CREATE TYPE \"Mood\" AS ENUM ('ok', 'it''s', 'café')",
                    """
                    CREATE TABLE "Mixed Case" (
                      id serial PRIMARY KEY, "Order" boolean NOT NULL DEFAULT false, "select" text, "my-col" varchar(50) DEFAULT 'dflt',
                      si smallint, ii integer, bi bigint, nu numeric, n2 numeric(12,3), r real, dp double precision, m money,
                      vc varchar(300), ch char(5), tx text, "by" bytea, u uuid, j json, jb jsonb, ia int[], ta text[],
                      d date, t timestamp(3), tz timestamptz, tm time, iv interval, ip inet, mc macaddr, b1 bit(1),
                      mo "Mood", x xml)""",
                    "CREATE UNIQUE INDEX mixed_vc ON \"Mixed Case\" (vc)",
                    "CREATE TABLE child (id bigint PRIMARY KEY, parent_id int REFERENCES \"Mixed Case\"(id), note text)",
                    """
                    INSERT INTO "Mixed Case" (id, "Order", "select", "my-col", si, ii, bi, nu, n2, r, dp, m, vc, ch, tx, "by", u, j, jb,
                      ia, ta, d, t, tz, tm, iv, ip, mc, b1, mo, x) VALUES
                     (1, true, 'reserved', 'dash', 32767, 2147483647, 9223372036854775807,
                      123456789012345678901234567890.123456789, 123456789.123, 1.5, 1.7976931348623157e308, 92233720368547758.07,
                      'emoji 😀 ünï', 'ab', E'tab\\tnl\\nbs\\\\', '\\x00ff0102', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
                      '{"a": [1, 2]}', '{"b": {"c": null}, "u": "ü"}', '{1,NULL,3}', '{"q\\"uote","comma,here",NULL}',
                      '2024-02-29', '2020-01-01 10:00:00.123', '2021-06-01 12:00:00.123456+02', '23:59:59.999999',
                      '1 year 2 days 03:04:05.5', '10.0.0.1/8', '08:00:2b:01:02:03', B'1', 'it''s', '<a>b</a>'),
                     (2, false, '', '', -32768, -2147483648, -9223372036854775808, 'NaN', -0.001, -1.5, -1e-300, -0.01,
                      '', '', '', '\\x', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '[]', '{}', '{}', '{}',
                      '0044-03-15 BC', '0999-12-31 23:59:59', '1970-01-01 00:00:00+00', '00:00:00', '0 seconds', '::1', '00:00:00:00:00:00',
                      B'0', 'café', '<x/>'),
                     (3, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                      NULL, NULL, 'infinity', 'infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)""",
                    "SELECT setval(pg_get_serial_sequence('\"Mixed Case\"', 'id'), 3)",
                    "INSERT INTO child VALUES (1, 1, 'one'), (2, 3, 'three')");
            List<Check> checks = List.of(
                    text("Order", "\"Order\"::text", "IF(`Order`, 'true', 'false')"),
                    text("select", "\"select\"", "`select`"), text("my-col", "\"my-col\"", "`my-col`"),
                    text("si", "si::text", "CAST(si AS CHAR)"), text("ii", "ii::text", "CAST(ii AS CHAR)"), text("bi", "bi::text", "CAST(bi AS CHAR)"),
                    // NaN has no MariaDB decimal
                    new Check("nu", "CASE WHEN nu = 'NaN' THEN NULL ELSE nu::text END", "CAST(nu AS CHAR)", Compare.DECIMAL),
                    new Check("n2", "n2::text", "CAST(n2 AS CHAR)", Compare.DECIMAL),
                    new Check("r", "r::text", "CAST(r AS CHAR)", Compare.DOUBLE),
                    new Check("dp", "dp::text", "CAST(dp AS CHAR)", Compare.DOUBLE),
                    new Check("m", "m::numeric::text", "CAST(m AS CHAR)", Compare.DECIMAL),
                    text("vc", "vc", "vc"), text("ch", "rtrim(ch)", "ch"), text("tx", "tx", "tx"),
                    text("by", "upper(encode(\"by\", 'hex'))", "HEX(`by`)"), text("u", "u::text", "u"),
                    new Check("j", "j::text", "j", Compare.JSON), new Check("jb", "jb::text", "jb", Compare.JSON),
                    new Check("ia", "array_to_json(ia)::text", "ia", Compare.JSON), new Check("ta", "array_to_json(ta)::text", "ta", Compare.JSON),
                    // dates and timestamps outside MariaDB's years 1000..9999 (BC, infinity) become NULL
                    text("d", "CASE WHEN d BETWEEN '1000-01-01' AND '9999-12-31' THEN d::text END", "CAST(d AS CHAR)"),
                    text("t", "CASE WHEN t BETWEEN '1000-01-01' AND '9999-12-31' THEN to_char(t, 'YYYY-MM-DD HH24:MI:SS.US') END",
                            "DATE_FORMAT(t, '%Y-%m-%d %H:%i:%s.%f')"),
                    text("tz", "to_char(tz, 'YYYY-MM-DD HH24:MI:SS.US')", "DATE_FORMAT(tz, '%Y-%m-%d %H:%i:%s.%f')"),
                    text("tm", "to_char(tm, 'HH24:MI:SS.US')", "TIME_FORMAT(tm, '%H:%i:%s.%f')"),
                    new Check("iv", "iv::text", "iv", Compare.INTERVAL),
                    text("ip", "NULLIF(format('%s', ip), '')", "ip"), text("mc", "mc::text", "mc"),
                    text("b1", "CASE WHEN b1 IS NULL THEN NULL WHEN b1 = B'1' THEN 'true' ELSE 'false' END",
                            "CASE WHEN b1 IS NULL THEN NULL WHEN b1 THEN 'true' ELSE 'false' END"),
                    text("mo", "mo::text", "mo"), text("x", "x::text", "x"));
            String name = Migration.uniqueName("p2m");
            String yaml = Migration.pipeline(src, dst, name, "full-load-and-cdc", "public.*", "", "");
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                p.awaitFullLoad();
                assertConverges(src, dst, "\"Mixed Case\"", "`Mixed Case`", "id", checks);
                src.execute("INSERT INTO \"Mixed Case\" (\"select\", d, ia, iv) VALUES ('new', '2001-01-01', '{7}', '-1 day')",
                        "INSERT INTO \"Mixed Case\" (id, \"my-col\") VALUES (6, NULL)",
                        "UPDATE \"Mixed Case\" SET vc = 'changed ü', ta = '{x}', \"Order\" = false, nu = 1 WHERE id = 1",
                        "DELETE FROM child WHERE id = 2",
                        "DELETE FROM \"Mixed Case\" WHERE id = 3");
                try (Connection c = src.connect(); Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    st.execute("INSERT INTO \"Mixed Case\" (id, tx) VALUES (5, 'in a transaction')");
                    st.execute("INSERT INTO child VALUES (3, 5, 'five')");
                    st.execute("UPDATE \"Mixed Case\" SET tx = 'updated in the same transaction' WHERE id = 5");
                    c.commit();
                }
                assertConverges(src, dst, "\"Mixed Case\"", "`Mixed Case`", "id", checks);
                assertConverges(src, dst, "child", "child", "id",
                        List.of(text("parent_id", "parent_id::text", "CAST(parent_id AS CHAR)"), text("note", "note", "note")));
                src.execute("ALTER TABLE child ADD COLUMN flag boolean DEFAULT true, ADD COLUMN tags text[]",
                        "INSERT INTO child VALUES (4, 5, 'four', false, '{a,b}')", "UPDATE child SET tags = '{c}' WHERE id = 1");
                assertConverges(src, dst, "child", "child", "id", List.of(
                        text("note", "note", "note"),
                        text("flag", "flag::text", "IF(flag, 'true', 'false')"),
                        new Check("tags", "array_to_json(tags)::text", "tags", Compare.JSON)));
                assertThat(query(dst, "SELECT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '" + dst.name() + "'"))
                        .contains("mixed_vc");
                assertThat(query(dst, "SELECT CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '"
                        + dst.name() + "'")).contains("child_parent_id_fkey");
                // the identity moved past the copied keys: a new row in the target gets a fresh id
                long before = Long.parseLong(query(dst, "SELECT MAX(id) FROM `Mixed Case`").get(0));
                dst.execute("INSERT INTO `Mixed Case` (tx) VALUES ('written in the target')");
                assertThat(query(dst, "SELECT id FROM `Mixed Case` WHERE tx = 'written in the target'")).containsExactly(Long.toString(before + 1));
                dst.execute("DELETE FROM `Mixed Case` WHERE tx = 'written in the target'");
                assertThat(p.stop()).isZero();
                assertThat(p.output()).contains("database target, 1 value(s): public.Mixed Case.nu: NaN or infinity has no MariaDB decimal value")
                        .contains("public.Mixed Case.d: date outside MariaDB's years 1000..9999");
            }
        }
    }

    /** Every mapped MariaDB type with edge values, a mixed-case table name, reserved and dashed column names. */
    static void createMariaDbSchema(TestMariaDb src) throws Exception {
        src.execute("""
                CREATE TABLE `Mixed Case` (
                  id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
                  `Order` tinyint(1) NOT NULL DEFAULT 0, `select` bit(1), `my-col` varchar(50) DEFAULT 'it''s',
                  ti tinyint, tiu tinyint unsigned, si smallint, siu smallint unsigned, mi mediumint, mu mediumint unsigned,
                  ii int, iu int unsigned, bi bigint, bu bigint unsigned, de decimal(20,6), dbig decimal(65,30),
                  fl float, db double, ch char(5), vc varchar(300), tx text, lt longtext,
                  bn binary(4), vb varbinary(10), bl blob,
                  en enum('a','it''s','café','x y'), st set('r','g','b'),
                  dt date NOT NULL, dtm datetime(6), ts timestamp(3) NULL, tm time, tm6 time(6), yr year,
                  js json, pt point,
                  UNIQUE KEY uq_vc (vc), KEY idx_dt (dt)
                ) ENGINE=InnoDB""",
                "CREATE TABLE child (id bigint PRIMARY KEY, parent_id int unsigned, note varchar(20), "
                        + "CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES `Mixed Case`(id)) ENGINE=InnoDB",
                """
                INSERT INTO `Mixed Case` VALUES
                 (1, 1, b'1', 'dash', 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807,
                  18446744073709551615, 99999999999999.999999, 12345678901234567890123456789012345.123456789012345678901234567890,
                  1.5, 1.7976931348623157e308, 'ab', 'emoji 😀 ünï', 'tab\\tnl\\nbs\\\\', REPEAT('long ', 10000),
                  x'00ff0102', x'', REPEAT(x'00ff', 600), 'it''s', 'r,b', '2024-02-29', '9999-12-31 23:59:59.999999',
                  '2038-01-19 03:14:07.999', '838:59:59', '12:34:56.789012', 2155, '{"a": [1, 2, {"b": null}], "u": "ü"}',
                  ST_GeomFromText('POINT(1 2)')),
                 (2, 0, b'0', '', -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0,
                  -99999999999999.999999, -1, -1.5, -1e-300, '', '', '', '', x'00000000', x'ff', x'', 'café', '',
                  '0000-00-00', '1000-01-01 00:00:00', '1970-01-01 00:00:01', '-838:59:59', '00:00:00', 1901, '[]', NULL),
                 (3, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '1999-12-31', NULL, NULL, NULL, NULL, NULL, NULL, NULL)""",
                "INSERT INTO child VALUES (1, 1, 'one'), (2, 3, 'three')");
    }

    /** Source and target expressions per column, with the conversion rules (zero dates, durations) spelled out. */
    static List<Check> mariadbChecks() {
        return List.of(
                text("Order", "IF(`Order`, 'true', 'false')", "\"Order\"::text"),
                text("select", "CASE WHEN `select` IS NULL THEN NULL WHEN `select` = 1 THEN 'true' ELSE 'false' END", "\"select\"::text"),
                text("my-col", "`my-col`", "\"my-col\""),
                text("ti", "CAST(ti AS CHAR)", "ti::text"), text("tiu", "CAST(tiu AS CHAR)", "tiu::text"),
                text("si", "CAST(si AS CHAR)", "si::text"), text("siu", "CAST(siu AS CHAR)", "siu::text"),
                text("mi", "CAST(mi AS CHAR)", "mi::text"), text("mu", "CAST(mu AS CHAR)", "mu::text"),
                text("ii", "CAST(ii AS CHAR)", "ii::text"), text("iu", "CAST(iu AS CHAR)", "iu::text"),
                text("bi", "CAST(bi AS CHAR)", "bi::text"), text("bu", "CAST(bu AS CHAR)", "bu::text"),
                new Check("de", "CAST(de AS CHAR)", "de::text", Compare.DECIMAL),
                new Check("dbig", "CAST(dbig AS CHAR)", "dbig::text", Compare.DECIMAL),
                new Check("fl", "CAST(fl AS CHAR)", "fl::text", Compare.DOUBLE),
                new Check("db", "CAST(db AS CHAR)", "db::text", Compare.DOUBLE),
                text("ch", "ch", "ch"), text("vc", "vc", "vc"), text("tx", "tx", "tx"), text("lt", "lt", "lt"),
                text("bn", "HEX(bn)", "upper(encode(bn, 'hex'))"), text("vb", "HEX(vb)", "upper(encode(vb, 'hex'))"),
                text("bl", "HEX(bl)", "upper(encode(bl, 'hex'))"),
                text("en", "en", "en"), text("st", "CAST(st AS CHAR)", "array_to_string(st, ',')"),
                // zero dates become NULL
                text("dt", "NULLIF(CAST(dt AS CHAR), '0000-00-00')", "dt::text"),
                text("dtm", "DATE_FORMAT(dtm, '%Y-%m-%d %H:%i:%s.%f')", "to_char(dtm, 'YYYY-MM-DD HH24:MI:SS.US')"),
                text("ts", "DATE_FORMAT(ts, '%Y-%m-%d %H:%i:%s.%f')", "to_char(ts, 'YYYY-MM-DD HH24:MI:SS.US')"),
                // durations outside PostgreSQL's time of day become NULL
                text("tm", "CASE WHEN tm < '00:00:00' OR tm > '24:00:00' THEN NULL ELSE TIME_FORMAT(tm, '%H:%i:%s.%f') END",
                        "to_char(tm, 'HH24:MI:SS.US')"),
                text("tm6", "TIME_FORMAT(tm6, '%H:%i:%s.%f')", "to_char(tm6, 'HH24:MI:SS.US')"),
                text("yr", "CAST(yr AS CHAR)", "yr::text"),
                new Check("js", "js", "js::text", Compare.JSON),
                text("pt", "HEX(ST_AsBinary(pt))", "upper(encode(pt, 'hex'))"));
    }

    @Test
    void mariadbToPostgresFullLoadOnlyReadsChunksInOneSnapshot() throws Exception {
        try (TestMariaDb src = TestMariaDb.create(); TestDatabase dst = TestDatabase.create()) {
            createMariaDbSchema(src);
            src.execute("INSERT INTO `Mixed Case` (id, dt) SELECT seq + 10, '2000-01-01' FROM seq_1_to_3000");
            String yaml = Migration.pipeline(src, dst, Migration.uniqueName("m2pfl"), "full-load", src.name() + ".*", "",
                    "full-load: {threads: 3, chunk-rows: 500}\n");
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                assertThat(p.join(Duration.ofSeconds(120))).isZero();
                assertThat(p.output()).contains("full load done: 3,005 rows");
            }
            assertConverges(src, dst, "`Mixed Case`", "\"" + src.name() + "\".\"Mixed Case\"", "id", mariadbChecks());
            assertThat(query(dst, "SELECT conname FROM pg_constraint WHERE contype = 'f'")).contains("child_fk_parent");
        }
    }

    @Test
    void postgresToPostgresKeepsTypesAndTurnsDomainsAndEnumsIntoBaseTypes() throws Exception {
        try (TestDatabase src = TestDatabase.create(); TestDatabase dst = TestDatabase.create()) {
            src.execute("CREATE DOMAIN short_text AS varchar(20) CHECK (VALUE <> '')", "CREATE TYPE mood AS ENUM ('ok', 'café')",
                    "CREATE TABLE t (id serial PRIMARY KEY, s short_text, m mood, a int[], j jsonb, n numeric(30,10), ts timestamptz(3), "
                            + "b bytea, iv interval, r int4range)",
                    "INSERT INTO t (s, m, a, j, n, ts, b, iv, r) VALUES ('x', 'café', '{1,NULL}', '{\"k\": [true]}', 12345678901234567890.0123456789, "
                            + "'2020-02-29 12:00:00.123+05', '\\x00', '1 day 2 hours', '[1,3)'), (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
            List<Check> checks = List.of(text("s", "s::text", "s::text"), text("m", "m::text", "m::text"), text("a", "a::text", "a::text"),
                    text("j", "j::text", "j::text"), text("n", "n::text", "n::text"), text("ts", "ts::text", "ts::text"),
                    text("b", "b::text", "b::text"), text("iv", "iv::text", "iv::text"), text("r", "r::text", "r::text"));
            String yaml = Migration.pipeline(src, dst, Migration.uniqueName("p2p"), "full-load-and-cdc", "public.*", "    schema: copy\n", "");
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                p.awaitFullLoad();
                assertConverges(src, dst, "t", "copy.t", "id", checks);
                src.execute("UPDATE t SET m = 'ok', a = '{2}' WHERE id = 1", "INSERT INTO t (s) VALUES ('new')");
                assertConverges(src, dst, "t", "copy.t", "id", checks);
            }
            assertThat(query(dst, "SELECT data_type || ':' || coalesce(character_maximum_length::text, '') FROM information_schema.columns "
                    + "WHERE table_schema = 'copy' AND table_name = 't' AND column_name IN ('s', 'm') ORDER BY column_name"))
                    .containsExactly("text:", "character varying:20");
        }
    }

    @Test
    void checkAndConvertNameWhatWouldStopTheMigration(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (TestMariaDb src = TestMariaDb.create(); TestDatabase dst = TestDatabase.create()) {
            src.execute("CREATE TABLE orders (id int PRIMARY KEY, note varchar(10))", "CREATE VIEW v AS SELECT * FROM orders");
            dst.execute("CREATE SCHEMA \"" + src.name() + "\"", "CREATE TABLE \"" + src.name() + "\".orders (id int)");
            java.nio.file.Path file = dir.resolve("p.yaml");
            java.nio.file.Files.writeString(file, Migration.pipeline(src, dst, Migration.uniqueName("chk"), "full-load-and-cdc",
                    src.name() + ".*", "", ""));
            java.io.StringWriter out = new java.io.StringWriter();
            int code = Main.execute(new String[] {"check", "--config", file.toString()}, new java.io.PrintWriter(out, true),
                    new java.io.PrintWriter(out, true));
            assertThat(code).as(out.toString()).isEqualTo(Main.EXIT_FAILED);
            assertThat(out.toString()).contains("1 table(s) convert")
                    .contains("table " + src.name() + ".orders exists already; drop it, or set table-prep: truncate");
            java.io.StringWriter ddl = new java.io.StringWriter();
            java.nio.file.Path report = dir.resolve("r");
            assertThat(Main.execute(new String[] {"convert", "--config", file.toString(), "--report", report.toString()},
                    new java.io.PrintWriter(ddl, true), new java.io.PrintWriter(ddl, true))).isZero();
            assertThat(ddl.toString()).contains("CREATE TABLE \"" + src.name() + "\".\"orders\"").contains("converted 1 table(s)");
            assertThat(java.nio.file.Files.readString(dir.resolve("r.md"))).contains("| view | " + src.name() + ".v |");
            assertThat(java.nio.file.Files.readString(dir.resolve("r.json"))).contains("\"notConverted\"");
        }
    }

    static void assertConverges(TestDb src, TestDb dst, String srcTable, String dstTable, String key, List<Check> checks) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> diff;
        do {
            Map<String, List<String>> s = Migration.read(src, srcTable, key, checks, true);
            try {
                Map<String, List<String>> t = Migration.read(dst, dstTable, key, checks, false);
                diff = Migration.differences(s, t, checks);
            } catch (java.sql.SQLException notYet) {
                diff = List.of("target not readable yet: " + notYet.getMessage()); // e.g. a column the pipeline has yet to add
            }
            if (diff.isEmpty()) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("target " + dstTable + " does not match the source after 60 s:\n" + String.join("\n", diff));
    }

    static List<String> query(TestDb db, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
