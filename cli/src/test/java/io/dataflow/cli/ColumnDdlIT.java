package io.dataflow.cli;

import static io.dataflow.cli.Migration.Check.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflow.cli.Migration.Check;
import io.dataflow.cli.Migration.Compare;
import io.dataflow.testing.TestDatabase;
import io.dataflow.testing.TestDb;
import io.dataflow.testing.TestMariaDb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Column DDL in the source while changes stream into a database target, both directions: a rename, a dropped NOT NULL
 * column, widening type changes (varchar length, int to bigint, decimal precision), a new column with a default, and a
 * narrowing change that is reported and left. Each step is followed by writes that fail unless it was applied, and
 * the target ends value-by-value equal to the source.
 */
class ColumnDdlIT {

    @ParameterizedTest
    @ValueSource(strings = {"postgres-to-mariadb", "mariadb-to-postgres"})
    void columnChangesAreAppliedToTheTarget(String direction) throws Exception {
        boolean fromPg = direction.startsWith("postgres");
        try (TestDb src = fromPg ? TestDatabase.create() : TestMariaDb.create();
                TestDb dst = fromPg ? TestMariaDb.create() : TestDatabase.create()) {
            src.execute("CREATE TABLE items (id int PRIMARY KEY, name varchar(20) NOT NULL, qty int NOT NULL, price decimal(8,2), "
                    + "legacy varchar(10) NOT NULL, note varchar(30))",
                    "INSERT INTO items VALUES (1, 'one', 1, 1.50, 'x', 'first'), (2, 'two', 2, NULL, 'y', NULL)");
            String table = fromPg ? "items" : "\"" + src.name() + "\".items";
            String name = Migration.uniqueName("ddl");
            String yaml = Migration.pipeline(src, dst, name, "full-load-and-cdc", src.schema() + ".items", "", "");
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                p.awaitFullLoad();
                List<Check> checks = new ArrayList<>(List.of(text("name", "name", "name"), num("qty", fromPg), dec("price", fromPg)));
                MigrationIT.assertConverges(src, dst, "items", table, "id", checks);

                src.execute(fromPg ? "ALTER TABLE items RENAME COLUMN note TO remark" : "ALTER TABLE items RENAME COLUMN note TO remark",
                        "INSERT INTO items VALUES (3, 'three', 3, 3.00, 'z', 'renamed')", "UPDATE items SET remark = 'again' WHERE id = 1");
                checks.add(text("remark", "remark", "remark"));
                MigrationIT.assertConverges(src, dst, "items", table, "id", checks);

                src.execute("ALTER TABLE items DROP COLUMN legacy", "INSERT INTO items (id, name, qty) VALUES (4, 'four', 4)");
                MigrationIT.assertConverges(src, dst, "items", table, "id", checks);

                src.execute(fromPg ? "ALTER TABLE items ALTER COLUMN name TYPE varchar(60)" : "ALTER TABLE items MODIFY name varchar(60) NOT NULL",
                        "INSERT INTO items (id, name, qty) VALUES (5, '" + "n".repeat(55) + "', 5)");
                MigrationIT.assertConverges(src, dst, "items", table, "id", checks);

                // two changes folded into one event schema, then values only the wider types hold
                src.execute(fromPg ? "ALTER TABLE items ALTER COLUMN qty TYPE bigint" : "ALTER TABLE items MODIFY qty bigint NOT NULL",
                        fromPg ? "ALTER TABLE items ALTER COLUMN price TYPE decimal(14,2)" : "ALTER TABLE items MODIFY price decimal(14,2)",
                        "INSERT INTO items (id, name, qty, price) VALUES (6, 'six', 1000000000000, 123456789012.34)",
                        "UPDATE items SET qty = 9000000000 WHERE id = 2");
                MigrationIT.assertConverges(src, dst, "items", table, "id", checks);

                src.execute(fromPg ? "ALTER TABLE items ADD COLUMN extra int DEFAULT 7" : "ALTER TABLE items ADD COLUMN extra int DEFAULT 7",
                        "INSERT INTO items (id, name, qty) VALUES (7, 'seven', 7)", "UPDATE items SET extra = 8 WHERE id = 1");
                checks.add(num("extra", fromPg));
                MigrationIT.assertConverges(src, dst, "items", table, "id", checks);

                // an index made in the source is mirrored when the table's events next change shape (here: a widening)
                src.execute("CREATE INDEX items_qty ON items (qty)",
                        fromPg ? "ALTER TABLE items ALTER COLUMN remark TYPE varchar(40)" : "ALTER TABLE items MODIFY remark varchar(40)",
                        "INSERT INTO items (id, name, qty) VALUES (20, 'twenty', 20)");
                MigrationIT.assertConverges(src, dst, "items", table, "id", checks);
                assertThat(indexesOnQty(dst, fromPg)).isOne();
                src.execute(fromPg ? "DROP INDEX items_qty" : "DROP INDEX items_qty ON items",
                        fromPg ? "ALTER TABLE items ALTER COLUMN remark TYPE varchar(50)" : "ALTER TABLE items MODIFY remark varchar(50)",
                        "INSERT INTO items (id, name, qty) VALUES (21, 'twenty-one', 21)");
                MigrationIT.assertConverges(src, dst, "items", table, "id", checks);
                assertThat(indexesOnQty(dst, fromPg)).isZero();

                // narrowing: reported and left, so the target still holds longer names
                src.execute("UPDATE items SET name = 'five' WHERE id = 5",
                        fromPg ? "ALTER TABLE items ALTER COLUMN name TYPE varchar(10)" : "ALTER TABLE items MODIFY name varchar(10) NOT NULL",
                        "INSERT INTO items (id, name, qty) VALUES (8, 'eight', 8)");
                MigrationIT.assertConverges(src, dst, "items", table, "id", checks);

                assertThat(columns(dst, fromPg)).containsExactly("id", "name", "qty", "price", "remark", "extra");
                assertThat(typeOf(dst, fromPg, "name")).contains("60");
                assertThat(typeOf(dst, fromPg, "qty")).contains("bigint");
                assertThat(typeOf(dst, fromPg, "price")).contains("14,2");
                assertThat(p.stop()).isZero();
                // rename, drop, three widenings, an added column: applied; the narrowing: left, and counted
                // rename, drop, three widenings, an added column, two more widenings, an index created and dropped: applied;
                // the narrowing: left, and counted
                assertThat(p.output()).contains("schema.changes.applied: 10", "schema.changes.left: 1");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void applyUnsafeNarrowsAndStopStopsNamingTheChange() throws Exception {
        try (TestDatabase src = TestDatabase.create(); TestMariaDb dst = TestMariaDb.create()) {
            src.execute("CREATE TABLE items (id int PRIMARY KEY, name varchar(60) NOT NULL)", "INSERT INTO items VALUES (1, 'one')");
            String unsafe = Migration.pipeline(src, dst, Migration.uniqueName("ddlu"), "full-load-and-cdc", "public.items", "", "ddl: apply-unsafe\n");
            try (RunningPipeline p = new RunningPipeline(unsafe, Map.of())) {
                p.awaitFullLoad();
                src.execute("ALTER TABLE items ALTER COLUMN name TYPE varchar(10)", "INSERT INTO items VALUES (2, 'two')");
                MigrationIT.assertConverges(src, dst, "items", "items", "id", List.of(text("name", "name", "name")));
                assertThat(typeOf(dst, true, "name")).isEqualTo("varchar(10)");
                assertThat(p.stop()).isZero();
            }
        }
        try (TestDatabase src = TestDatabase.create(); TestMariaDb dst = TestMariaDb.create()) {
            src.execute("CREATE TABLE items (id int PRIMARY KEY, name varchar(60) NOT NULL, old text)", "INSERT INTO items VALUES (1, 'one', 'x')");
            String stop = Migration.pipeline(src, dst, Migration.uniqueName("ddls"), "full-load-and-cdc", "public.items", "", "ddl: stop\n");
            try (RunningPipeline p = new RunningPipeline(stop, Map.of())) {
                p.awaitFullLoad();
                src.execute("ALTER TABLE items DROP COLUMN old", "INSERT INTO items VALUES (2, 'two')");
                assertThatThrownBy(() -> p.join(Duration.ofSeconds(60))).hasMessageContaining("changed in the source and the pipeline says ddl: stop")
                        .hasMessageContaining("column old dropped");
            }
            // nothing of the change was applied
            assertThat(columns(dst, true)).containsExactly("id", "name", "old");
        }
    }

    private static long indexesOnQty(TestDb dst, boolean targetIsMariaDb) throws Exception {
        return Long.parseLong(MigrationIT.query(dst, targetIsMariaDb
                ? "SELECT count(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' "
                        + "AND COLUMN_NAME = 'qty'"
                : "SELECT count(*) FROM pg_indexes WHERE tablename = 'items' AND indexdef LIKE '%(qty)%'").get(0));
    }

    private static Check num(String column, boolean fromPg) {
        return fromPg ? text(column, column + "::text", "CAST(" + column + " AS CHAR)") : text(column, "CAST(" + column + " AS CHAR)", column + "::text");
    }

    private static Check dec(String column, boolean fromPg) {
        return fromPg ? new Check(column, column + "::text", "CAST(" + column + " AS CHAR)", Compare.DECIMAL)
                : new Check(column, "CAST(" + column + " AS CHAR)", column + "::text", Compare.DECIMAL);
    }

    private static List<String> columns(TestDb dst, boolean targetIsMariaDb) throws Exception {
        return MigrationIT.query(dst, targetIsMariaDb
                ? "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' ORDER BY ORDINAL_POSITION"
                : "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = '\"" + schemaOf(dst) + "\".items'::regclass AND a.attnum > 0 "
                        + "AND NOT a.attisdropped ORDER BY a.attnum");
    }

    private static String typeOf(TestDb dst, boolean targetIsMariaDb, String column) throws Exception {
        return MigrationIT.query(dst, targetIsMariaDb
                ? "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items' AND COLUMN_NAME = '"
                        + column + "'"
                : "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = '\"" + schemaOf(dst)
                        + "\".items'::regclass AND a.attname = '" + column + "'").get(0);
    }

    /** A PostgreSQL target keeps the MariaDB source's database name as its schema: the one schema holding items. */
    private static String schemaOf(TestDb dst) throws Exception {
        return MigrationIT.query(dst, "SELECT table_schema FROM information_schema.tables WHERE table_name = 'items'").get(0);
    }
}
