package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.TestDatabase;
import io.dataflow.testing.TestMariaDb;
import io.dataflow.testing.LakeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to the databases with a CA file, against the local servers serving a certificate of the test CA
 * (scripts/setup-databases.sh): the right CA verifies (ssl-mode verify-full / verify-ca), another CA fails with one
 * line; for a PostgreSQL source (full load and streamed changes), a PostgreSQL database target, and a MariaDB source.
 */
class TlsIT {
    private static final Path TLS = Path.of(System.getenv().getOrDefault("DATAFLOW_TEST_TLS_DIR", "/etc/dataflow-test-tls"));
    private static final Path CA = TLS.resolve("ca.crt");
    private static final Path OTHER_CA = TLS.resolve("other-ca.crt");

    @TempDir
    Path dir;

    private static int rows(TestMariaDb db, String sql) {
        try {
            return MigrationIT.query(db, sql).size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void requireCertificates() {
        assertThat(CA).as("the test CA: run scripts/setup-databases.sh (scripts/test.sh does)").isRegularFile();
    }

    private Path file(String name, String yaml) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void postgresSourceVerifiesTheServerAgainstTheCaFile() throws Exception {
        requireCertificates();
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("create table t (id int primary key, v text)", "insert into t values (1, 'a'), (2, 'b')");
            String yaml = db.pipelineYaml("tlspg", "full-load-and-cdc", dir.resolve("lake").toString(), "public.*")
                    .replace("  ssl-mode: disable\n", "  ssl-mode: verify-full\n  ssl-root-cert: " + CA + "\n");
            MainTest.Result ok = MainTest.run("check", "--config", file("ok.yaml", yaml).toString());
            assertThat(ok.code()).as(ok.out() + ok.err()).isZero();

            MainTest.Result wrong = MainTest.run("check", "--config", file("wrong.yaml", yaml.replace(CA.toString(), OTHER_CA.toString())).toString());
            assertThat(wrong.code()).isEqualTo(Main.EXIT_FAILED);
            assertThat(wrong.err().strip().lines()).hasSize(1);
            assertThat(wrong.err()).startsWith("error: the certificate of 127.0.0.1:5432 is not signed by a CA in source.ssl-root-cert ("
                    + OTHER_CA + ")").doesNotContain("\tat ");

            MainTest.Result missing = MainTest.run("check", "--config", file("missing.yaml", yaml.replace(CA.toString(), "no-such-ca.crt")).toString());
            assertThat(missing.code()).isEqualTo(Main.EXIT_CONFIG);
            assertThat(missing.err()).contains("source.ssl-root-cert: '" + dir.resolve("no-such-ca.crt") + "' is not a readable file");

            try (RunningPipeline p = new RunningPipeline(yaml, Map.of())) {
                p.awaitFullLoad();
                db.execute("insert into t values (3, 'over TLS')");
                RunningPipeline.await(Duration.ofSeconds(30), () -> p.stats().totalChanges() == 1 && p.stats().stagedChanges() == 0, "a change");
                // the pipeline's replication connection (the walsender streaming to it) is encrypted
                assertThat(MigrationIT.query(db, "select count(*) from pg_stat_ssl s join pg_stat_activity a using (pid) "
                        + "where s.ssl and a.datname = current_database() and a.backend_type = 'walsender'")).containsExactly("1");
                assertThat(p.stop()).isZero();
            }
            try (LakeReader reader = new LakeReader(dir.resolve("lake"))) {
                assertThat(reader.query("select v from {raw} order by _position", "tlspg", "public", "t"))
                        .extracting(r -> r.get("v")).containsExactly("a", "b", "over TLS");
            }
        }
    }

    @Test
    void postgresDatabaseTargetTakesTheCaInItsUrl() throws Exception {
        requireCertificates();
        try (TestDatabase src = TestDatabase.create(); TestDatabase dst = TestDatabase.create()) {
            src.execute("create table t (id int primary key, v text)", "insert into t values (1, 'a')");
            String yaml = Migration.pipeline(src, dst, Migration.uniqueName("tlsdst"), "full-load", "public.*", "", "")
                    .replace("url: " + dst.jdbcUrl(), "url: \"" + dst.jdbcUrl() + (dst.jdbcUrl().contains("?") ? "&" : "?")
                            + "sslmode=verify-full&sslrootcert=" + CA + "\"");
            assertThat(yaml).contains("sslrootcert=");
            MainTest.Result run = MainTest.run("run", "--config", file("dst.yaml", yaml).toString(), "--progress-seconds", "0");
            assertThat(run.code()).as(run.out() + run.err()).isZero();
            assertThat(MigrationIT.query(dst, "select v from public.t")).containsExactly("a");

            String wrong = yaml.replace(CA.toString(), OTHER_CA.toString());
            MainTest.Result refused = MainTest.run("check", "--config", file("dst-wrong.yaml", wrong).toString());
            assertThat(refused.code()).isEqualTo(Main.EXIT_FAILED);
            assertThat(refused.out()).contains("FAIL  database target").contains("cannot connect");
        }
    }

    @Test
    void mariadbSourceVerifiesTheServerAgainstTheCaFile() throws Exception {
        requireCertificates();
        try (TestMariaDb db = TestMariaDb.create()) {
            try (var c = db.connect(); var st = c.createStatement()) {
                st.execute("create table " + db.name() + ".t (id int primary key, v varchar(20))");
                st.execute("insert into " + db.name() + ".t values (1, 'a'), (2, 'b')");
            }
            String yaml = db.pipelineYaml("tlsmaria", "full-load", dir.resolve("lake").toString(), "public.*")
                    .replace("  ssl-mode: disable\n", "  ssl-mode: verify-ca\n  ssl-root-cert: " + CA + "\n");
            MainTest.Result ok = MainTest.run("check", "--config", file("m.yaml", yaml).toString());
            assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
            MainTest.Result run = MainTest.run("run", "--config", file("m.yaml", yaml).toString(), "--progress-seconds", "0");
            assertThat(run.code()).as(run.out() + run.err()).isZero();
            try (LakeReader reader = new LakeReader(dir.resolve("lake"))) {
                assertThat(reader.query("select v from {raw} order by id", "tlsmaria", db.name(), "t")).extracting(r -> r.get("v"))
                        .containsExactly("a", "b");
            }
            MainTest.Result wrong = MainTest.run("check", "--config", file("mw.yaml", yaml.replace(CA.toString(), OTHER_CA.toString())).toString());
            assertThat(wrong.code()).isEqualTo(Main.EXIT_FAILED);
            assertThat(wrong.err().strip().lines()).hasSize(1);
            assertThat(wrong.err()).startsWith("error: the certificate of 127.0.0.1:3306 is not signed by a CA in source.ssl-root-cert")
                    .doesNotContain("\tat ");

            // the binlog stream too: Debezium's binlog client gets a trust store made from the CA file
            String cdc = yaml.replace("mode: full-load", "mode: cdc").replace("name: tlsmaria", "name: tlsmariacdc");
            try (RunningPipeline p = new RunningPipeline(cdc, Map.of())) {
                p.stats();
                RunningPipeline.await(Duration.ofSeconds(60), () -> p.stats().phase() == io.dataflow.runtime.PipelineStats.Phase.STREAMING,
                        "streaming");
                // the binlog client has connected when the server shows its dump thread
                RunningPipeline.await(Duration.ofSeconds(60), () -> rows(db, "select id from information_schema.processlist "
                        + "where command like 'Binlog Dump%'") > 0, "the binlog client connected over TLS");
                try (var c = db.connect(); var st = c.createStatement()) {
                    st.execute("insert into " + db.name() + ".t values (100, 'streamed')");
                }
                RunningPipeline.await(Duration.ofSeconds(30), () -> p.stats().totalChanges() == 1, "the change streamed");
                assertThat(p.stop()).isZero();
            }
        }
    }
}
