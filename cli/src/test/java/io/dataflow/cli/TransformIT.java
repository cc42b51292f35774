package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestDatabase;
import io.dataflow.testing.TestDb;
import io.dataflow.testing.TestMariaDb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Table rules end to end: renamed tables and columns, a removed and added columns, masked columns (the same value gives
 * the same hash in two tables), and a row filter during the full load and CDC with updates that move rows in and out
 * of it; into a database target and the lake, compared value by value with the source after the same rules in SQL.
 * An AWS DMS table mapping gives the same targets as the same rules written in YAML.
 */
class TransformIT {
    @TempDir
    Path dir;

    private static final String RULES = """
            transform:
              - rename: {table: public.orders, to: purchase_orders}
              - rename: {table: public.customers, column: First Name, to: first_name}
              - remove-column: {table: public.customers, column: internal_note}
              - add-column: {table: public.customers, column: full_name, expression: "\\"First Name\\" || ' ' || last_name"}
              - mask: {table: "public.*", column: email, with: hash, secret: k1}
              - mask: {table: public.customers, column: phone, with: digits-mask}
              - filter: {table: public.orders, where: "region = 'EU' and amount >= 0"}
              - add-column: {table: public.orders, column: changed_by, expression: "operation()"}
            """;

    @Test
    void postgresIntoADatabaseAndTheLakeThroughRenamesMasksAndAFilter() throws Exception {
        try (TestDatabase src = TestDatabase.create(); TestDatabase dst = TestDatabase.create()) {
            src.execute("CREATE TABLE customers (id int PRIMARY KEY, \"First Name\" text, last_name text, email text, phone text, internal_note text)",
                    "CREATE TABLE orders (id int PRIMARY KEY, customer_id int, region text, amount numeric(12,2), email text)",
                    "INSERT INTO customers SELECT g, 'F' || g, 'L' || g, 'user' || (g % 7) || '@x.org', '+1 555 0' || g, 'secret ' || g "
                            + "FROM generate_series(1, 50) g",
                    "INSERT INTO orders SELECT g, g % 50 + 1, (ARRAY['EU','US','UK'])[g % 3 + 1], (g % 11) - 2, 'user' || (g % 7) || '@x.org' "
                            + "FROM generate_series(1, 300) g");
            Path lake = dir.resolve("lake");
            String name = Migration.uniqueName("tr");
            String yaml = Migration.pipeline(src, dst, name, "full-load-and-cdc", "public.*", "", "")
                    + "  - type: lake\n    uri: " + lake + "\n    flush: {interval: 200ms}\n" + RULES;
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of()); LakeReader reader = new LakeReader(lake)) {
                p.awaitFullLoad();
                assertTargetsMatch(src, dst, reader, name);
                assertThat(MigrationIT.query(dst, "SELECT changed_by FROM purchase_orders WHERE id = 15")).containsExactly("LOAD");
                src.execute("UPDATE orders SET region = 'US' WHERE id = 3", // leaves the filter: deleted downstream
                        "UPDATE orders SET region = 'EU' WHERE id = 1", // still outside (amount -1)
                        "UPDATE orders SET amount = 5 WHERE id = 1", // enters it: arrives whole
                        "UPDATE orders SET amount = amount + 1 WHERE id = 6",
                        "INSERT INTO orders VALUES (1001, 1, 'EU', 10, 'user1@x.org'), (1002, 1, 'US', 10, 'user1@x.org')",
                        "DELETE FROM orders WHERE id IN (9, 2)",
                        "UPDATE customers SET \"First Name\" = 'Zed' WHERE id = 5",
                        "UPDATE customers SET email = 'new@x.org', internal_note = 'changed' WHERE id = 6",
                        "INSERT INTO customers VALUES (51, 'Ann', 'Bo', 'user3@x.org', '+44 20 7946 0000', 'n')",
                        "DELETE FROM customers WHERE id = 7");
                assertTargetsMatch(src, dst, reader, name);
                assertThat(MigrationIT.query(dst, "SELECT changed_by FROM purchase_orders WHERE id IN (1, 6, 15, 1001) ORDER BY id"))
                        .containsExactly("UPDATE", "UPDATE", "LOAD", "INSERT");
                assertThat(MigrationIT.query(dst, "SELECT column_name FROM information_schema.columns WHERE table_name = 'customers' "
                        + "ORDER BY ordinal_position")).containsExactly("id", "first_name", "last_name", "email", "phone", "full_name");
                assertThat(p.stop()).isZero();
            }
            // validate compares through the rules: renamed tables and columns, the source read through the filter
            Path file = Files.writeString(dir.resolve("rules.yaml"), yaml);
            MainTest.Result equal = MainTest.run("validate", "--config", file.toString());
            assertThat(equal.code()).as(equal.out() + equal.err()).isZero();
            assertThat(equal.out()).contains("DATA VALIDATION PASSED");
            dst.execute("UPDATE purchase_orders SET amount = amount + 1 WHERE id = 6", "DELETE FROM customers WHERE id = 8");
            MainTest.Result diff = MainTest.run("validate", "--config", file.toString());
            assertThat(diff.code()).as(diff.out() + diff.err()).isEqualTo(1);
            assertThat(diff.out()).contains("DATA VALIDATION FAILED").contains("missing {id=8}").contains("{id=6}").contains("amount");
        }
    }

    private static void assertTargetsMatch(TestDatabase src, TestDatabase dst, LakeReader lake, String name) {
        Supplier<List<String>> customers = () -> rows(src, "SELECT id, \"First Name\", last_name, email, phone, \"First Name\" || ' ' || last_name "
                + "FROM customers ORDER BY id", 3, "k1", 4);
        Supplier<List<String>> orders = () -> rows(src, "SELECT id, customer_id, region, amount, email FROM orders "
                + "WHERE region = 'EU' AND amount >= 0 ORDER BY id", 4, "k1", -1);
        await(customers, () -> rows(dst, "SELECT id, first_name, last_name, email, phone, full_name FROM customers ORDER BY id", -1, null, -1),
                "database target customers");
        await(orders, () -> rows(dst, "SELECT id, customer_id, region, amount, email FROM purchase_orders ORDER BY id", -1, null, -1),
                "database target purchase_orders");
        await(orders, () -> lakeRows(lake, name, "public", "purchase_orders", "id, customer_id, region, amount, email"), "lake purchase_orders");
    }

    /** The raw zone replayed: each key's last change, unless it is a delete. */
    private static List<String> lakeRows(LakeReader lake, String pipeline, String schema, String table, String columns) {
        try {
            if (!lake.hasFiles(pipeline, schema, table)) {
                return List.of();
            }
            String joined = String.join(", ", java.util.Arrays.stream(columns.split(",\\s*"))
                    .map(c -> "coalesce(cast(" + c + " AS VARCHAR), 'null')").toList());
            List<String> out = new ArrayList<>();
            for (Map<String, Object> r : lake.query("SELECT concat_ws('|', " + joined + ") AS r FROM (SELECT *, row_number() OVER "
                    + "(PARTITION BY id ORDER BY _position DESC) AS n FROM {raw}) WHERE n = 1 AND Op <> 'D' ORDER BY id", pipeline, schema, table)) {
                out.add((String) r.get("r"));
            }
            return out;
        } catch (Exception e) {
            return List.of(e.toString());
        }
    }

    /**
     * Rows as {@code a|b|c}: column {@code hashColumn} (0-based; -1: none) replaced by its HMAC-SHA-256 with {@code key},
     * column {@code digitsColumn} with its digits as {@code #}.
     */
    static List<String> rows(TestDb db, String sql, int hashColumn, String key, int digitsColumn) {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String v = rs.getString(i + 1);
                    if (v != null && i == hashColumn) {
                        v = hash(v, key);
                    } else if (v != null && i == digitsColumn) {
                        v = v.replaceAll("[0-9]", "#");
                    }
                    values.add(String.valueOf(v));
                }
                out.add(String.join("|", values));
            }
        } catch (Exception e) {
            out.add(e.toString());
        }
        return out;
    }

    static String hash(String value, String key) throws Exception {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        if (key == null || key.isEmpty()) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(v));
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(v));
    }

    static void await(Supplier<List<String>> expected, Supplier<List<String>> actual, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> want;
        List<String> got;
        do {
            want = expected.get();
            got = actual.get();
            if (want.equals(got)) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        } while (System.nanoTime() < deadline);
        assertThat(got).as(what).containsExactlyElementsOf(want);
    }

    @Test
    void mariadbThroughAnAwsDmsTableMappingEqualsTheSameRulesInYaml() throws Exception {
        try (TestMariaDb src = TestMariaDb.create(); TestDatabase viaDms = TestDatabase.create(); TestDatabase viaYaml = TestDatabase.create()) {
            src.execute("CREATE TABLE customers (id INT PRIMARY KEY, first_name VARCHAR(40), last_name VARCHAR(40), email VARCHAR(80), "
                            + "phone VARCHAR(30), internal_note TEXT)",
                    "CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT, region CHAR(2), amount DECIMAL(10,2), email VARCHAR(80), "
                            + "Status_legacy VARCHAR(10))",
                    "CREATE TABLE events (device VARCHAR(20) NOT NULL, seq INT NOT NULL, payload VARCHAR(50))",
                    "CREATE TABLE audit_log (id INT PRIMARY KEY, what TEXT)",
                    "INSERT INTO customers VALUES (1, 'Ada', 'Lovelace', 'ada@x.org', '+44 20 1234', 'vip'), (2, 'Alan', 'Turing', "
                            + "'alan@x.org', '555-0101', NULL), (3, 'Grace', NULL, NULL, NULL, 'n')",
                    "INSERT INTO orders VALUES (1, 1, 'EU', 10.50, 'ada@x.org', 'open'), (2, 2, 'US', 20.00, 'alan@x.org', 'open'), "
                            + "(3, 2, 'UK', 0.00, 'alan@x.org', 'paid'), (4, 1, 'EU', -1.00, 'ada@x.org', 'refund'), (5, 3, NULL, 5.00, NULL, NULL)",
                    "INSERT INTO events VALUES ('d1', 1, 'a'), ('d1', 2, 'b'), ('d2', 1, 'c')",
                    "INSERT INTO audit_log VALUES (1, 'x')");
            String mapping = Files.readString(Path.of(getClass().getResource("/dms/table-mappings.json").toURI()))
                    .replace("dms_shop", src.name());
            Path json = Files.writeString(dir.resolve("mappings.json"), mapping);
            String dmsName = Migration.uniqueName("dms");
            String yamlName = Migration.uniqueName("dmy");
            String dmsYaml = Migration.pipeline(src, viaDms, dmsName, "full-load-and-cdc", "x.y", "", "")
                    .replaceFirst("tables:\n  include: \\[x.y\\]\n", "tables: {dms-table-mappings: " + json + "}\n");
            String s = src.name();
            Path lake = dir.resolve("lake");
            String yamlYaml = Migration.pipeline(src, viaYaml, yamlName, "full-load-and-cdc", s + ".*",
                            "  - type: lake\n    uri: " + lake + "\n    flush: {interval: 200ms}\n", "")
                    .replaceFirst("include: \\[" + s + "\\.\\*\\]", "include: [" + s + ".*, " + s + ".orders]\n  exclude: [" + s + ".audit*]")
                    + """
                    transform:
                      - filter: {table: S.orders, where: "(region = 'EU' or region = 'UK') and amount >= 0"}
                      - rename: {schema: S, to: sales}
                      - rename: {table: S.orders, to: purchase_orders}
                      - lowercase: {table: "S.*", column: "*"}
                      - add-prefix: {table: "S.*", value: src_}
                      - remove-column: {table: S.customers, column: internal_note}
                      - add-column: {table: S.customers, column: full_name, expression: "first_name || ' ' || last_name", type: string}
                      - add-column: {table: S.orders, column: last_op, expression: "operation()", type: string}
                      - define-key: {table: S.events, columns: [device, seq]}
                      - mask: {table: "S.*", column: email, with: hash}
                      - mask: {table: S.customers, column: phone, with: digits-mask}
                      - remove-suffix: {table: S.orders, column: "*_legacy", value: _legacy}
                    """.replace("S.", s + ".").replace("schema: S", "schema: " + s);
            try (RunningPipeline a = new RunningPipeline(dmsYaml, Map.of()); RunningPipeline b = new RunningPipeline(yamlYaml, Map.of());
                    LakeReader reader = new LakeReader(lake)) {
                a.awaitFullLoad();
                b.awaitFullLoad();
                assertSame(src, viaDms, viaYaml);
                await(ordersOf(src), () -> lakeRows(reader, yamlName, "sales", "src_purchase_orders", "id, customer_id, region, amount, email, status"),
                        "lake src_purchase_orders");
                src.execute("UPDATE orders SET region = 'US' WHERE id = 1", // leaves the filter
                        "UPDATE orders SET amount = 1.00 WHERE id = 4", // enters it
                        "UPDATE orders SET Status_legacy = 'closed' WHERE id = 3",
                        "INSERT INTO orders VALUES (6, 3, 'EU', 7.00, 'grace@x.org', 'new'), (7, 3, 'US', 7.00, NULL, NULL)",
                        "UPDATE customers SET phone = '+1 (800) 555-0199', email = 'ada@y.org' WHERE id = 1",
                        "DELETE FROM events WHERE device = 'd1' AND seq = 2",
                        "UPDATE events SET payload = 'z' WHERE device = 'd2'",
                        "INSERT INTO audit_log VALUES (2, 'y')");
                assertSame(src, viaDms, viaYaml);
                await(ordersOf(src), () -> lakeRows(reader, yamlName, "sales", "src_purchase_orders", "id, customer_id, region, amount, email, status"),
                        "lake src_purchase_orders");
                assertThat(MigrationIT.query(viaDms, "SELECT last_op FROM sales.src_purchase_orders ORDER BY id"))
                        .containsExactly("UPDATE", "UPDATE", "INSERT"); // the source's operation (id 4 arrives as an insert)
                assertThat(MigrationIT.query(viaDms, "SELECT string_agg(a.attname, ',' ORDER BY array_position(i.indkey, a.attnum)) "
                        + "FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                        + "WHERE i.indrelid = 'sales.src_events'::regclass AND i.indisprimary")).containsExactly("device,seq");
                assertThat(MigrationIT.query(viaDms, "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE '%audit%'"))
                        .containsExactly("0");
                assertThat(a.stop()).isZero();
                assertThat(b.stop()).isZero();
            }
        }
    }

    /** The source's orders after the mapping's filter, hash (unkeyed, as DMS) and renames. */
    private static Supplier<List<String>> ordersOf(TestMariaDb src) {
        return () -> rows(src, "SELECT id, customer_id, region, amount, email, Status_legacy "
                + "FROM orders WHERE region IN ('EU', 'UK') AND amount >= 0 ORDER BY id", 4, "", -1);
    }

    private static void assertSame(TestMariaDb src, TestDatabase viaDms, TestDatabase viaYaml) {
        Supplier<List<String>> orders = ordersOf(src);
        Supplier<List<String>> customers = () -> rows(src, "SELECT id, first_name, last_name, email, phone, CONCAT(first_name, ' ', last_name) "
                + "FROM customers ORDER BY id", 3, "", 4);
        Supplier<List<String>> events = () -> rows(src, "SELECT device, seq, payload FROM events ORDER BY device, seq", -1, null, -1);
        for (TestDatabase dst : List.of(viaDms, viaYaml)) {
            await(orders, () -> rows(dst, "SELECT id, customer_id, region, amount, email, status FROM sales.src_purchase_orders ORDER BY id",
                    -1, null, -1), "orders in " + dst.name());
            await(customers, () -> rows(dst, "SELECT id, first_name, last_name, email, phone, full_name FROM sales.src_customers ORDER BY id",
                    -1, null, -1), "customers in " + dst.name());
            await(events, () -> rows(dst, "SELECT device, seq, payload FROM sales.src_events ORDER BY device, seq", -1, null, -1),
                    "events in " + dst.name());
        }
    }

    @Test
    void aTableCreatedWhileStreamingArrivesUnderItsRulesNameWithItsColumnChanges() throws Exception {
        try (TestDatabase src = TestDatabase.create(); TestDatabase dst = TestDatabase.create()) {
            src.execute("CREATE TABLE first (id int PRIMARY KEY, v text)", "INSERT INTO first VALUES (1, 'a')");
            String yaml = Migration.pipeline(src, dst, Migration.uniqueName("trl"), "full-load-and-cdc", "public.*", "", "")
                    + "transform:\n  - add-prefix: {table: \"public.*\", value: t_}\n"
                    + "  - uppercase: {table: \"public.*\", column: \"*\"}\n";
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                p.awaitFullLoad();
                src.execute("CREATE TABLE late (id int PRIMARY KEY, v text)", "INSERT INTO late SELECT g, 'v' || g FROM generate_series(1, 50) g");
                await(() -> rows(src, "SELECT id, v FROM late ORDER BY id", -1, null, -1),
                        () -> rows(dst, "SELECT \"ID\", \"V\" FROM t_late ORDER BY \"ID\"", -1, null, -1), "t_late");
                // a column added to the joined table: the target finds its source table through the rules
                src.execute("ALTER TABLE late ADD COLUMN w int", "UPDATE late SET w = id * 2 WHERE id <= 10");
                await(() -> rows(src, "SELECT id, v, w FROM late ORDER BY id", -1, null, -1),
                        () -> rows(dst, "SELECT \"ID\", \"V\", \"W\" FROM t_late ORDER BY \"ID\"", -1, null, -1), "t_late.W");
                assertThat(p.stop()).isZero();
            }
        }
    }

    @Test
    void aKeyDefinedByARuleGivesAKeylessTableItsProcessedTable() throws Exception {
        try (TestDatabase src = TestDatabase.create()) {
            src.execute("CREATE TABLE readings (device text NOT NULL, seq int NOT NULL, value numeric(8,2))",
                    "INSERT INTO readings SELECT 'd' || (g % 3), g, g / 10.0 FROM generate_series(1, 30) g");
            Path lake = dir.resolve("lake");
            String yaml = src.pipelineYaml("keyed", "full-load-and-cdc", lake.toString(), "public.*")
                    + "    processed: {commit-interval: 500ms}\n"
                    + "transform:\n  - define-key: {table: public.readings, columns: [device, seq]}\n"
                    + "  - rename: {table: public.readings, to: sensor_readings}\n";
            Supplier<List<String>> source = () -> rows(src, "SELECT device, seq, value FROM readings ORDER BY device, seq", -1, null, -1);
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                p.awaitFullLoad();
                src.execute("UPDATE readings SET value = -1 WHERE seq % 4 = 0", "DELETE FROM readings WHERE seq % 5 = 0",
                        "INSERT INTO readings VALUES ('d9', 100, 1.5)");
                await(source, () -> processedRows(lake, "keyed", new io.dataflow.api.TableId("public", "sensor_readings")),
                        "processed sensor_readings");
                assertThat(p.stop()).isZero();
            }
        }
    }

    /** The processed table's rows as {@code device|seq|value}, by key. */
    private static List<String> processedRows(Path lake, String pipeline, io.dataflow.api.TableId table) {
        try (io.dataflow.api.ObjectStore store = new io.dataflow.storage.LocalObjectStore(lake)) {
            org.apache.iceberg.Table t = io.dataflow.lake.processed.ProcessedTables.open(store, lake.toAbsolutePath().normalize().toString(),
                    pipeline, table).orElse(null);
            if (t == null) {
                return List.of();
            }
            java.util.TreeMap<String, String> rows = new java.util.TreeMap<>();
            try (org.apache.iceberg.io.CloseableIterable<org.apache.iceberg.data.Record> records =
                    org.apache.iceberg.data.IcebergGenerics.read(t).build()) {
                for (org.apache.iceberg.data.Record r : records) {
                    String key = r.getField("device") + "|" + String.format("%06d", (Integer) r.getField("seq"));
                    String before = rows.put(key, r.getField("device") + "|" + r.getField("seq") + "|" + r.getField("value"));
                    if (before != null) {
                        return List.of("duplicate key " + key);
                    }
                }
            }
            return new ArrayList<>(rows.values());
        } catch (Exception e) {
            return List.of(e.toString());
        }
    }

    @Test
    void aRuleNamingWhatDoesNotExistStopsAtStartAndCheckShowsWhatRulesDo() throws Exception {
        try (TestDatabase src = TestDatabase.create()) {
            src.execute("CREATE TABLE orders (id int PRIMARY KEY, region text, note text)", "INSERT INTO orders VALUES (1, 'EU', 'n')");
            String yaml = src.pipelineYaml("rules", "full-load", dir.resolve("lake").toString(), "public.*");
            Path bad = Files.writeString(dir.resolve("bad.yaml"), yaml + "transform:\n  - remove-column: {table: public.orders, column: notes}\n");
            MainTest.Result r = MainTest.run("run", "--config", bad.toString(), "--progress-seconds", "0", "--max-retries", "0");
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo("error: transform[0]: table public.orders has no column notes (columns: id, region, note)");
            Path twice = Files.writeString(dir.resolve("twice.yaml"), yaml + "transform:\n  - rename: {table: public.orders, column: note, to: region}\n");
            r = MainTest.run("run", "--config", twice.toString(), "--progress-seconds", "0", "--max-retries", "0");
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("column note and column region would both be column region");

            Path good = Files.writeString(dir.resolve("good.yaml"), yaml + "transform:\n  - rename: {table: public.orders, to: o}\n"
                    + "  - remove-column: {table: public.orders, column: note}\n  - filter: {table: public.orders, where: \"region = 'EU'\"}\n");
            r = MainTest.run("check", "--config", good.toString());
            assertThat(r.out()).contains("ok    table rules: 3 rule(s) apply")
                    .contains("public.orders -> public.o: removed note; filter region = 'EU'");
        }
    }
}
