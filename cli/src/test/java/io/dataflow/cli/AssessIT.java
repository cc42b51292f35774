package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflow.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dataflow assess} on a database it must refuse and on a clean one. */
class AssessIT {
    @TempDir
    Path dir;

    @Test
    void keylessTableLargeValueAndUnsupportedTypeAreNoGo() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("create table orders (id int primary key, note text)",
                    "insert into orders select g, 'order ' || g from generate_series(1, 20000) g",
                    "create table audit_log (at timestamptz, what text)",
                    "insert into audit_log select now(), 'x' from generate_series(1, 100)",
                    "create table documents (id int primary key, body text, search tsvector)",
                    "insert into documents values (1, repeat('x', 50 * 1024 * 1024), to_tsvector('simple', 'hello world'))",
                    "analyze");
            Path pipeline = dir.resolve("p.yaml");
            Files.writeString(pipeline, db.pipelineYaml("assessed", "full-load-and-cdc", dir.resolve("lake").toString(), "public.*")
                    + "    processed: {enabled: true}\n");
            Path json = dir.resolve("assess.json");
            Path md = dir.resolve("assess.md");

            MainTest.Result r = MainTest.run("assess", "--config", pipeline.toString(), "--heap", "512m", "--sample-seconds", "1",
                    "--report", md.toString(), "--json", json.toString());

            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Main.EXIT_FAILED);
            assertThat(r.out()).startsWith("# Assessment of pipeline 'assessed': **NO-GO**")
                    .contains("table public.audit_log has no primary key", "add a primary key to public.audit_log",
                            "public.documents.body holds a value of 50.0 MiB", "JAVA_OPTS=-Xmx",
                            "public.documents.search (tsvector) into lake: tsvector is not covered")
                    .contains("| public.documents |", "body (50.0 MiB)", "| public.audit_log |", "**none**")
                    .contains("estimated full load:");
            assertThat(Files.readString(md)).isEqualTo(r.out());
            JsonNode a = new ObjectMapper().readTree(json.toFile());
            assertThat(a.get("verdict").asText()).isEqualTo("NO-GO");
            assertThat(a.at("/assessment/noGo")).hasSize(3);
            JsonNode documents = null;
            for (JsonNode t : a.at("/assessment/tables")) {
                if (t.get("table").asText().equals("public.documents")) {
                    documents = t;
                }
            }
            assertThat(documents).isNotNull();
            assertThat(documents.at("/lobs/0/largestBytes").asLong()).isEqualTo(50L * 1024 * 1024);
            assertThat(a.at("/assessment/load/sampledRows").asLong()).isPositive();
        }
    }

    @Test
    void cleanDatabaseIsGoWithAnEstimate() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("create table accounts (id int primary key, balance numeric(12,2), note varchar(40))",
                    "insert into accounts select g, g * 1.5, 'n' || g from generate_series(1, 50000) g", "analyze");
            Path pipeline = dir.resolve("p.yaml");
            Files.writeString(pipeline, db.pipelineYaml("clean", "full-load-and-cdc", dir.resolve("lake").toString(), "public.*"));
            Path json = dir.resolve("assess.json");

            MainTest.Result r = MainTest.run("assess", "--config", pipeline.toString(), "--sample-seconds", "1", "--json", json.toString());

            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("**GO**", "## GO", "| public.accounts | 50,000 |", "measured read:", "ok: wal_level = logical");
            JsonNode load = new ObjectMapper().readTree(json.toFile()).at("/assessment/load");
            assertThat(load.get("sampledRows").asLong()).isPositive();
            assertThat(load.get("estimatedSeconds").asDouble()).isPositive();
            assertThat(load.get("retention").asText()).startsWith("max_slot_wal_keep_size");
        }
    }

    @Test
    void mariaDbTablesLargeValuesAndRetention() throws Exception {
        try (io.dataflow.testing.TestMariaDb db = io.dataflow.testing.TestMariaDb.create()) {
            try (var c = db.connect(); var st = c.createStatement()) {
                st.execute("create table " + db.name() + ".orders (id int primary key, note varchar(40), flags bit(5))");
                st.execute("insert into " + db.name() + ".orders select seq, concat('n', seq), b'10101' from seq_1_to_20000");
                st.execute("create table " + db.name() + ".events (at datetime, what longtext)");
                st.execute("insert into " + db.name() + ".events values (now(), repeat('x', 3 * 1024 * 1024))");
                st.execute("analyze table " + db.name() + ".orders, " + db.name() + ".events");
            }
            Path pipeline = dir.resolve("m.yaml");
            Files.writeString(pipeline, db.pipelineYaml("massess", "full-load-and-cdc", dir.resolve("lake").toString(), "public.*")
                    + "    processed: {enabled: true}\n");
            Path json = dir.resolve("m.json");

            MainTest.Result r = MainTest.run("assess", "--config", pipeline.toString(), "--heap", "32m", "--sample-seconds", "1",
                    "--json", json.toString());

            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Main.EXIT_FAILED);
            assertThat(r.out()).contains("table " + db.name() + ".events has no primary key",
                    db.name() + ".events.what holds a value of 3.0 MiB", db.name() + ".orders.flags (bit(5)) into lake: bit(5) is not covered",
                    "measured read:", "- log retention: ");
            JsonNode a = new ObjectMapper().readTree(json.toFile());
            JsonNode load = a.at("/assessment/load");
            assertThat(load.get("sampledRows").asLong()).isPositive();
            assertThat(load.get("logBytesPerSecond").asDouble()).isNotNegative();
            assertThat(load.get("retention").asText()).containsAnyOf("binlog_expire_logs_seconds", "expire_logs_days");
            for (JsonNode t : a.at("/assessment/tables")) {
                assertThat(t.get("sizeBytes").asLong()).as(t.toString()).isPositive();
            }
        }
    }
}
