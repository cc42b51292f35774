package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.ObjectStore;
import io.dataflow.api.TableId;
import io.dataflow.lake.processed.ProcessedTables;
import io.dataflow.storage.LocalObjectStore;
import io.dataflow.testing.TestDb;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The processed zone through real schema life: a large value no update touches keeps its value (PostgreSQL does not
 * send unchanged TOAST values), a column added with a DEFAULT shows the default in rows that existed before (the
 * source fills them without a change event), a dropped column goes, a widened column keeps its values.
 */
class ProcessedSchemaIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb"})
    void toastAddColumnDefaultDropAndWiden(String type) throws Exception {
        Path lake = dir.resolve("lake");
        boolean pg = type.equals("postgres");
        try (TestDb db = CrashRecoveryIT.database(type)) {
            if (pg) {
                db.execute("create table docs (id int primary key, body text, n int, gone text)",
                        "alter table docs alter column body set storage external",
                        "insert into docs select i, repeat(md5(i::text), 400), 0, 'x' from generate_series(1, 20) i");
            } else {
                db.execute("create table docs (id int primary key, body mediumtext, n int, gone text)",
                        "insert into docs select seq, repeat(md5(seq), 400), 0, 'x' from seq_1_to_20");
            }
            String yaml = db.pipelineYaml("ps", "full-load-and-cdc", lake.toString(), "public.docs") + "    processed: {commit-interval: 300ms}\n";
            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                p.awaitFullLoad();
                db.execute("update docs set n = 1 where id <= 10");
                await(db, lake, "updates that leave the large value alone");
                db.execute("alter table docs add column flag int not null default 7");
                db.execute("insert into docs (id, body, n) values (21, 'new', 2)");
                await(db, lake, "add column with default");
                db.execute("update docs set n = 3, flag = 8 where id = 5", "alter table docs drop column gone");
                db.execute(pg ? "alter table docs alter column n type bigint" : "alter table docs modify column n bigint");
                db.execute("update docs set n = 4000000000 where id = 6", "delete from docs where id = 7");
                await(db, lake, "drop and widen");
                assertThat(p.stop()).isZero();
            }
            if (pg) {
                try (io.dataflow.testing.LakeReader reader = new io.dataflow.testing.LakeReader(lake)) {
                    assertThat(reader.query("select count(*) as n from {raw} where _unchanged = 'body'", "ps", db.schema(), "docs")
                            .get(0).get("n")).as("updates that did not send the large value (ten, then ids 5 and 6)").isEqualTo(12L);
                }
            }
            assertThat(processed(lake, db)).containsExactlyElementsOf(source(db));
            assertThat(processed(lake, db).get(0)).as("a row that existed before the column was added").contains("flag=7");

            // the table folded again from the raw zone alone: the default travels in the raw files' metadata
            Path file = dir.resolve("ps.yaml");
            java.nio.file.Files.writeString(file, yaml);
            MainTest.Result rebuilt = MainTest.run("rebuild", "--config", file.toString(), "--table", db.schema() + ".docs");
            assertThat(rebuilt.code()).as(rebuilt.out() + rebuilt.err()).isZero();
            assertThat(processed(lake, db)).as("rebuilt from the raw zone").containsExactlyElementsOf(source(db));
        }
    }

    private static void await(TestDb db, Path lake, String what) throws Exception {
        List<String> want = source(db);
        RunningPipeline.await(Duration.ofSeconds(60), () -> want.equals(processed(lake, db)), what);
    }

    static List<String> source(TestDb db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select * from docs order by id")) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    b.append(md.getColumnName(i)).append('=').append(v == null ? "null" : v.toString().length() > 40
                            ? "len" + v.toString().length() + ":" + v.toString().hashCode() : v).append(' ');
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    static List<String> processed(Path lake, TestDb db) {
        try (ObjectStore store = new LocalObjectStore(lake)) {
            Table table = ProcessedTables.open(store, lake.toAbsolutePath().normalize().toString(), "ps", new TableId(db.schema(), "docs"))
                    .orElse(null);
            if (table == null) {
                return List.of();
            }
            TreeMap<Integer, String> rows = new TreeMap<>();
            try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
                for (Record r : records) {
                    StringBuilder b = new StringBuilder();
                    for (var f : table.schema().columns()) {
                        Object v = r.getField(f.name());
                        b.append(f.name()).append('=').append(v == null ? "null" : v.toString().length() > 40
                                ? "len" + v.toString().length() + ":" + v.toString().hashCode() : v).append(' ');
                    }
                    rows.put((Integer) r.getField("id"), b.toString());
                }
            }
            return new ArrayList<>(rows.values());
        } catch (Exception e) {
            return List.of(e.toString());
        }
    }
}
