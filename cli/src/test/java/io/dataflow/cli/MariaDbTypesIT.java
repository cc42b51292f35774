package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestMariaDb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every MariaDB type of config/type-mapping.md with edge values, through the full load and through CDC, read back
 * with DuckDB and compared value by value.
 */
class MariaDbTypesIT {
    @TempDir
    Path lake;

    /** column -> {MariaDB type, SQL literal, DuckDB's text of the value read back (hex for binary kinds)}. */
    static final Map<String, String[]> COLUMNS = new LinkedHashMap<>();

    static {
        col("c_bool", "tinyint(1)", "1", "true");
        col("c_bit1", "bit(1)", "b'1'", "true");
        col("c_bit12", "bit(12)", "b'101010101010'", "0AAA"); // most significant byte first, as the server stores it
        col("c_tiny", "tinyint", "-128", "-128");
        col("c_tiny_u", "tinyint unsigned", "255", "255");
        col("c_small", "smallint", "-32768", "-32768");
        col("c_small_u", "smallint unsigned", "65535", "65535");
        col("c_medium", "mediumint", "-8388608", "-8388608");
        col("c_medium_u", "mediumint unsigned", "16777215", "16777215");
        col("c_int", "int", "-2147483648", "-2147483648");
        col("c_int_u", "int unsigned", "4294967295", "4294967295");
        col("c_big", "bigint", "-9223372036854775808", "-9223372036854775808");
        col("c_big_u", "bigint unsigned", "18446744073709551615", "18446744073709551615");
        col("c_dec", "decimal(20,5)", "-123456789012345.12345", "-123456789012345.12345");
        col("c_dec65", "decimal(65,30)", "12345678901234567890123456789012345.123456789012345678901234567890",
                "12345678901234567890123456789012345.123456789012345678901234567890");
        col("c_float", "float", "1.5", "1.5");
        col("c_double", "double", "-1e-300", "-1e-300");
        col("c_char", "char(4)", "'ab'", "ab");
        col("c_varchar", "varchar(20)", "'héllo 😀'", "héllo 😀");
        col("c_text", "text", "'emoji 😀 and ''quotes'''", "emoji 😀 and 'quotes'");
        col("c_binary", "binary(4)", "x'DEADBEEF'", "DEADBEEF");
        col("c_varbinary", "varbinary(10)", "x'00FF'", "00FF");
        col("c_blob", "blob", "x'0102'", "0102");
        col("c_enum", "enum('small','large')", "'large'", "large");
        col("c_set", "set('x','y','z')", "'x,z'", "x,z");
        col("c_year", "year", "2155", "2155");
        col("c_date", "date", "'2999-12-31'", "2999-12-31");
        col("c_datetime", "datetime", "'2024-02-29 23:59:59'", "2024-02-29 23:59:59");
        col("c_datetime6", "datetime(6)", "'1969-12-31 23:59:59.999999'", "1969-12-31 23:59:59.999999");
        col("c_timestamp3", "timestamp(3) null", "'2038-01-19 03:14:07.499'", "2038-01-19 03:14:07.499+00");
        col("c_time", "time", "'-838:59:59'", "-838:59:59");
        col("c_time6", "time(6)", "'25:00:00.5'", "25:00:00.500000");
        col("c_json", "json", "'{\"a\": [1, 2]}'", "{\"a\": [1, 2]}");
        col("c_point", "point", "ST_GeomFromText('POINT(1 2)')", "0101000000000000000000F03F0000000000000040");
        col("c_nn_date", "date not null default '2000-01-01'", "'2024-02-29'", "2024-02-29");
        col("c_nn_dt", "datetime(6) not null default '2000-01-01'", "'2024-02-29 23:59:59.123456'", "2024-02-29 23:59:59.123456");
        col("c_nn_ts", "timestamp(6) not null default '2000-01-01 00:00:00'", "'2024-02-29 23:59:59.123456'",
                "2024-02-29 23:59:59.123456+00");
        col("Mixed Case", "text", "'mixed'", "mixed");
        col("select", "int", "7", "7");
    }

    private static void col(String name, String type, String literal, String expected) {
        COLUMNS.put(name, new String[] {type, literal, expected});
    }

    static String q(String ident) {
        return "`" + ident.replace("`", "``") + "`";
    }

    static boolean binary(String type) {
        return type.contains("binary") || type.contains("blob") || type.equals("point") || type.equals("bit(12)");
    }

    /** Both full-load readers (the parallel chunk loader and Debezium's snapshot) must give the same values. */
    @ParameterizedTest
    @ValueSource(strings = {"parallel", "debezium"})
    void everyTypeSurvivesFullLoadAndCdc(String engine) throws Exception {
        try (TestMariaDb db = TestMariaDb.create()) {
            StringBuilder ddl = new StringBuilder("create table `Types` (id int auto_increment primary key");
            StringBuilder cols = new StringBuilder("id");
            StringBuilder vals = new StringBuilder();
            for (Map.Entry<String, String[]> c : COLUMNS.entrySet()) {
                ddl.append(", ").append(q(c.getKey())).append(' ').append(c.getValue()[0]);
                cols.append(", ").append(q(c.getKey()));
                vals.append(", ").append(c.getValue()[1]);
            }
            ddl.append(", c_gen bigint as (c_int_u % 10) stored, c_zero_date date not null default '2000-01-01'"
                    + ", c_zero_dt datetime null, c_big_blob longblob) engine=InnoDB");
            db.execute(ddl.toString(),
                    "insert into `Types` (" + cols + ", c_zero_date, c_zero_dt) values (1" + vals + ", '0000-00-00', '0000-00-00 00:00:00')",
                    "insert into `Types` (id) values (2)");

            try (RunningPipeline p = new RunningPipeline(db.pipelineYaml("mtypes", "full-load-and-cdc", lake.toString(), "public.*")
                    + "full-load: {engine: " + engine + "}\n", Map.of())) {
                p.awaitFullLoad();
                db.execute("insert into `Types` (" + cols + ", c_zero_date, c_zero_dt) values (3" + vals + ", '0000-00-00', '0000-00-00 00:00:00')",
                        "insert into `Types` (id, c_big_blob) values (4, repeat('x', 1048576))",
                        "update `Types` set c_text = 'changed' where id = 1",
                        "delete from `Types` where id = 2");
                try (LakeReader reader = new LakeReader(lake)) {
                    RunningPipeline.await(Duration.ofSeconds(60), () -> count(reader, db) >= 6, "6 events in the lake");
                }
                assertThat(p.stop()).isZero();
            }

            try (LakeReader reader = new LakeReader(lake)) {
                String schema = db.schema();
                List<Map<String, Object>> ops = reader.query("select id, Op from {raw} order by _position", "mtypes", schema, "Types");
                assertThat(ops).extracting(r -> r.get("id") + r.get("Op").toString()).containsExactly("1I", "2I", "3I", "4I", "1U", "2D");
                SoftAssertions soft = new SoftAssertions();
                for (int id : new int[] {1, 3}) {
                    for (Map.Entry<String, String[]> c : COLUMNS.entrySet()) {
                        String expr = binary(c.getValue()[0]) ? "hex(" + q2(c.getKey()) + ")" : "cast(" + q2(c.getKey()) + " as varchar)";
                        Object v = reader.query("select " + expr + " as v from {raw} where id = " + id + " and Op = 'I'",
                                "mtypes", schema, "Types").get(0).get("v");
                        soft.assertThat(v).as("row %d column %s (%s) read back", id, c.getKey(), c.getValue()[0]).isEqualTo(c.getValue()[2]);
                    }
                    Map<String, Object> extra = reader.query("select c_gen, c_zero_date, c_zero_dt from {raw} where id = " + id + " and Op = 'I'",
                            "mtypes", schema, "Types").get(0);
                    soft.assertThat(extra.get("c_gen")).as("generated column, row %d", id).isEqualTo(5L);
                    soft.assertThat(extra.get("c_zero_date")).as("zero date in a NOT NULL column, row %d", id).isNull();
                    soft.assertThat(extra.get("c_zero_dt")).as("zero datetime, row %d", id).isNull();
                }
                Map<String, Object> big = reader.query("select octet_length(c_big_blob) as n from {raw} where id = 4", "mtypes", schema, "Types").get(0);
                soft.assertThat(big.get("n")).as("1 MiB blob").isEqualTo(1_048_576L);
                Map<String, Object> nulls = reader.query("select * from {raw} where id = 2 and Op = 'I'", "mtypes", schema, "Types").get(0);
                for (Map.Entry<String, String[]> c : COLUMNS.entrySet()) {
                    if (!c.getValue()[0].contains("not null")) {
                        soft.assertThat(nulls.get(c.getKey())).as("row 2 column %s is null", c.getKey()).isNull();
                    }
                }
                soft.assertThat(reader.query("select c_text from {raw} where Op = 'U'", "mtypes", schema, "Types").get(0).get("c_text"))
                        .isEqualTo("changed");
                soft.assertThat(LakeFiles.schema(reader, LakeFiles.firstLoadFile(lake, "mtypes", db.schema(), "Types")))
                        .as("full-load and change files have the same columns and types")
                        .isEqualTo(LakeFiles.schema(reader, LakeFiles.firstChangeFile(lake, "mtypes", db.schema(), "Types")));
                soft.assertAll();
            }
        }
    }

    static String q2(String ident) {
        return "\"" + ident.replace("\"", "\"\"") + "\"";
    }

    private static long count(LakeReader reader, TestMariaDb db) {
        try {
            if (!reader.hasFiles("mtypes", db.schema(), "Types")) {
                return 0;
            }
            return ((Number) reader.query("select count(*) as n from {raw}", "mtypes", db.schema(), "Types").get(0).get("n")).longValue();
        } catch (Exception e) {
            return 0;
        }
    }
}
