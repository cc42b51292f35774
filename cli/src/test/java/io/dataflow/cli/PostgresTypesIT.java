package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestDatabase;
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
 * Every PostgreSQL type of the mapping table, with edge values, through the full load and through CDC,
 * read back with DuckDB and compared value by value.
 */
class PostgresTypesIT {
    @TempDir
    Path lake;

    /** column name -> {PostgreSQL type, SQL literal of the edge value, DuckDB's text of the value read back}. */
    static final Map<String, String[]> COLUMNS = new LinkedHashMap<>();

    static {
        col("c_smallint", "smallint", "-32768", "-32768");
        col("c_int", "integer", "2147483647", "2147483647");
        col("c_bigint", "bigint", "-9223372036854775808", "-9223372036854775808");
        col("c_numeric", "numeric(20,5)", "-123456789012345.12345", "-123456789012345.12345");
        col("c_numeric_wide", "numeric(38,10)", "1234567890123456789012345678.0123456789", "1234567890123456789012345678.0123456789");
        col("c_numeric_free", "numeric", "1.000000000000000000000000000001", "1.000000000000000000000000000001");
        col("c_real", "real", "1.5", "1.5");
        col("c_double", "double precision", "-1.0e-300", "-1e-300");
        col("c_bool", "boolean", "true", "true");
        col("c_char", "char(4)", "'ab'", "ab  ");
        col("c_varchar", "varchar(20)", "'héllo wörld'", "héllo wörld");
        col("c_text", "text", "'emoji 😀 and ''quotes'''", "emoji 😀 and 'quotes'");
        col("c_bytea", "bytea", "'\\xdeadbeef00'::bytea", "DEADBEEF00");
        col("c_date", "date", "'2999-12-31'", "2999-12-31");
        col("c_date_old", "date", "'1900-01-01'", "1900-01-01");
        col("c_time", "time", "'23:59:59.999999'", "23:59:59.999999");
        col("c_timetz", "timetz", "'10:15:30.5+02'", "08:15:30.5+00");
        col("c_timestamp", "timestamp", "'2024-02-29 23:59:59.123456'", "2024-02-29 23:59:59.123456");
        col("c_timestamp3", "timestamp(3)", "'1969-12-31 23:59:59.999'", "1969-12-31 23:59:59.999");
        col("c_timestamptz", "timestamptz", "'2024-02-29 23:59:59.123456+02'", "2024-02-29 21:59:59.123456+00");
        col("c_interval", "interval", "'1 year 2 months 3 days 04:05:06.5'", "P1Y2M3DT4H5M6.5S");
        col("c_uuid", "uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        col("c_json", "json", "'{\"b\": [1, 2], \"a\": null}'", "{\"b\": [1, 2], \"a\": null}");
        col("c_jsonb", "jsonb", "'{\"b\": [1, 2], \"a\": null}'", "{\"a\": null, \"b\": [1, 2]}");
        col("c_int_array", "integer[]", "'{1,NULL,3}'", "[1, NULL, 3]");
        col("c_text_array", "text[]", "'{\"a b\",c}'", "[a b, c]");
        col("c_enum", "mood", "'happy'", "happy");
        col("c_money", "money", "'-12345.67'", "-12345.67");
        col("c_inet", "inet", "'192.168.0.1/24'", "192.168.0.1/24");
        col("c_domain", "posint", "5", "5");
        col("c_bit1", "bit(1)", "B'1'", "true");
        col("c_bit12", "bit(12)", "B'001010101010'", "001010101010"); // a bit string, leading zeros kept
        col("c_varbit", "bit varying(10)", "B'101'", "101");
        col("c_oid", "oid", "4000000000", "4000000000");
        col("c_point", "point", "'(1,2)'", "0101000000000000000000F03F0000000000000040");
        col("c_ts_inf", "timestamp", "'infinity'", null);
        col("c_date_bc", "date", "'0044-03-15 BC'", "0044-03-15 (BC)");
        col("c_tsvector", "tsvector", "'a fat cat'", "'a' 'cat' 'fat'");
        col("c_xml", "xml", "'<a>1</a>'", "<a>1</a>");
        col("c_range", "int4range", "'[1,5)'", "[1,5)");
        col("c_text_array_null", "text[]", "'{}'", "[]");
        col("c_inet_host", "inet", "'::1'", "::1");
        col("c_cidr", "cidr", "'10.1.0.0/16'", "10.1.0.0/16");
        col("c_double_nan", "double precision", "'NaN'", "nan");
        col("c_real_inf", "real", "'-Infinity'", "-inf");
        col("c_date_ninf", "date", "'-infinity'", null);
        col("c_tstz_inf", "timestamptz", "'infinity'", null);
        col("c_ts_bc", "timestamp", "'0044-03-15 12:00:00 BC'", "0044-03-15 (BC) 12:00:00");
        col("c_time_24", "time", "'24:00:00'", "24:00:00");
        col("c_name", "name", "'a name'", "a name");
        col("c_bool_array", "boolean[]", "'{t,f,NULL}'", "[true, false, NULL]");
        col("c_char_array", "char(3)[]", "'{a,bc}'", "['a  ', 'bc ']");
        col("c_bigint_zero", "bigint", "0", "0");
        col("Mixed Case", "text", "'mixed'", "mixed");
        col("select", "integer", "7", "7");
    }

    private static void col(String name, String type, String literal, String expected) {
        COLUMNS.put(name, new String[] {type, literal, expected});
    }

    static String q(String ident) {
        return "\"" + ident.replace("\"", "\"\"") + "\"";
    }

    /** Both full-load readers (the parallel COPY loader and Debezium's snapshot) must give the same values. */
    @ParameterizedTest
    @ValueSource(strings = {"parallel", "debezium"})
    void everyTypeSurvivesFullLoadAndCdc(String engine) throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            StringBuilder ddl = new StringBuilder("create table \"Types\" (id int primary key");
            StringBuilder cols = new StringBuilder("id");
            StringBuilder vals = new StringBuilder();
            for (Map.Entry<String, String[]> c : COLUMNS.entrySet()) {
                ddl.append(", ").append(q(c.getKey())).append(' ').append(c.getValue()[0]);
                cols.append(", ").append(q(c.getKey()));
                vals.append(", ").append(c.getValue()[1]);
            }
            db.execute("create type mood as enum ('sad', 'happy')", "create domain posint as integer check (value > 0)", ddl.append(")").toString(),
                    "insert into \"Types\" (" + cols + ") values (1" + vals + ")",
                    "insert into \"Types\" (id) values (2)");

            String yaml = db.pipelineYaml("types", "full-load-and-cdc", lake.toString(), "public.*") + "full-load: {engine: " + engine + "}\n";
            if (engine.equals("debezium")) {
                yaml = yaml.replace("  streaming-engine: native\n", ""); // Debezium's snapshot comes with Debezium's stream
            }
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                p.awaitFullLoad();
                db.execute("insert into \"Types\" (" + cols + ") values (3" + vals + ")",
                        "insert into \"Types\" (id) values (4)",
                        "update \"Types\" set c_text = 'changed' where id = 1",
                        "delete from \"Types\" where id = 2");
                try (LakeReader reader = new LakeReader(lake)) {
                    RunningPipeline.await(Duration.ofSeconds(60), () -> count(reader) >= 6, "6 events in the lake");
                }
                assertThat(p.stop()).isZero();
            }

            try (LakeReader reader = new LakeReader(lake)) {
                List<Map<String, Object>> ops = reader.query(
                        "select id, Op from {raw} order by _position", "types", "public", "Types");
                assertThat(ops).extracting(r -> r.get("id") + r.get("Op").toString())
                        .containsExactly("1I", "2I", "3I", "4I", "1U", "2D");
                SoftAssertions soft = new SoftAssertions();
                for (int id : new int[] {1, 3}) {
                    for (Map.Entry<String, String[]> c : COLUMNS.entrySet()) {
                        if (engine.equals("debezium") && id == 1 && (c.getKey().equals("c_date_bc") || c.getKey().equals("c_ts_bc"))) {
                            continue; // Debezium's own snapshot reads BC dates as AD and BC timestamps in the Julian calendar (its CDC path is right); documented
                        }
                        String expr = c.getValue()[0].equals("bytea") || c.getValue()[0].equals("point") ? "hex(" + q(c.getKey()) + ")"
                                : "cast(" + q(c.getKey()) + " as varchar)";
                        Object v = reader.query("select " + expr + " as v from {raw} where id = " + id + " and Op = 'I'",
                                "types", "public", "Types").get(0).get("v");
                        soft.assertThat(v).as("row %d column %s (%s) read back", id, c.getKey(), c.getValue()[0])
                                .isEqualTo(c.getValue()[2]);
                    }
                }
                for (int id : new int[] {2, 4}) {
                    Map<String, Object> row = reader.query("select * from {raw} where id = " + id + " and Op = 'I'",
                            "types", "public", "Types").get(0);
                    for (String c : COLUMNS.keySet()) {
                        soft.assertThat(row.get(c)).as("row %d column %s is null", id, c).isNull();
                    }
                }
                Map<String, Object> delete = reader.query("select * from {raw} where Op = 'D'", "types", "public", "Types").get(0);
                soft.assertThat(delete.get("id")).as("delete carries the key").isEqualTo(2);
                soft.assertThat(reader.query("select c_text from {raw} where Op = 'U'", "types", "public", "Types").get(0).get("c_text"))
                        .isEqualTo("changed");
                soft.assertThat(LakeFiles.schema(reader, LakeFiles.firstLoadFile(lake, "types", "public", "Types")))
                        .as("full-load and change files have the same columns and types")
                        .isEqualTo(LakeFiles.schema(reader, LakeFiles.firstChangeFile(lake, "types", "public", "Types")));
                soft.assertAll();
            }
        }
    }

    private static long count(LakeReader reader) {
        try {
            if (!reader.hasFiles("types", "public", "Types")) {
                return 0;
            }
            return ((Number) reader.query("select count(*) as n from {raw}", "types", "public", "Types").get(0).get("n")).longValue();
        } catch (Exception e) {
            return 0;
        }
    }
}
