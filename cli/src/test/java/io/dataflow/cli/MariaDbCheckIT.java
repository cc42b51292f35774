package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.TestMariaDb;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MariaDbCheckIT {
    @TempDir
    Path dir;

    @Test
    void reportsBinlogSettingsGrantsAndTables() throws Exception {
        try (TestMariaDb db = TestMariaDb.create()) {
            db.execute("create table with_pk (id int primary key) engine=InnoDB", "create table legacy (v text) engine=MyISAM");
            Path file = dir.resolve("p.yaml");
            Files.writeString(file, db.pipelineYaml("mchk", "full-load-and-cdc", dir.resolve("lake").toString(), "public.*"));
            MainTest.Result r = MainTest.run("check", "--config", file.toString());
            assertThat(r.out()).contains("source: MariaDB 10.", "ok    log_bin = 1", "ok    binlog_format = ROW", "ok    binlog_row_image = FULL",
                    "ok    server_id = 1", "grant REPLICATION SLAVE for root", "2 table(s) selected",
                    "ok      " + db.schema() + ".with_pk", "warn    " + db.schema() + ".legacy", "MyISAM is not transactional", "ready");
            assertThat(r.code()).as(r.out()).isZero();

            String user = "nrep_" + db.name();
            db.execute("create user '" + user + "'@'%' identified by 'pw'", "grant select on " + db.name() + ".* to '" + user + "'@'%'");
            try {
                Files.writeString(file, db.pipelineYaml("mchk", "full-load-and-cdc", dir.resolve("lake").toString(), "public.*")
                        .replace("user: root", "user: " + user + "\n  password: pw"));
                MainTest.Result denied = MainTest.run("check", "--config", file.toString());
                assertThat(denied.out()).contains("FAIL  grant REPLICATION SLAVE for " + user, "GRANT REPLICATION SLAVE ON *.* TO " + user,
                        "FAIL  grant BINLOG MONITOR for " + user);
                assertThat(denied.code()).isEqualTo(1);
            } finally {
                db.execute("drop user '" + user + "'@'%'");
            }
        }
    }

    /**
     * System-versioned tables and MariaDB's inet4/inet6 columns: Debezium's binlog reader stops on them (hidden period
     * columns; a DDL it cannot parse), so a streaming pipeline refuses them up front, naming the fix; a full load copies
     * them, and validation finds the copy equal (geometry compared as WKB on both sides).
     */
    @Test
    void refusesTablesWhoseChangesCannotBeStreamedAndLoadsThem() throws Exception {
        try (TestMariaDb db = TestMariaDb.create()) {
            db.execute("create table versioned (id int primary key, x int) with system versioning",
                    "create table addresses (id int primary key, ip inet6, ip4 inet4, place geometry)",
                    "create table plain (id int primary key)",
                    "insert into versioned values (1, 10), (2, 20)",
                    "update versioned set x = 11 where id = 1",
                    "insert into addresses values (1, 'fe80::1', '10.0.0.1', ST_GeomFromText('POINT(1 2)')), (2, null, null, null)",
                    "insert into plain values (1)");
            Path file = dir.resolve("p.yaml");
            Files.writeString(file, db.pipelineYaml("mvers", "full-load-and-cdc", dir.resolve("lake").toString(), "public.*"));
            MainTest.Result check = MainTest.run("check", "--config", file.toString());
            assertThat(check.out()).contains("FAIL  changes of table " + db.schema() + ".versioned can be streamed", "system-versioned",
                    "FAIL  changes of table " + db.schema() + ".addresses can be streamed", "ip (inet6), ip4 (inet4)",
                    "tables.exclude: [" + db.schema() + ".addresses]");
            assertThat(check.code()).as(check.out()).isEqualTo(1);

            MainTest.Result run = MainTest.run("run", "--config", file.toString(), "--progress-seconds", "0");
            assertThat(run.code()).as(run.out()).isNotZero();
            assertThat(run.out() + run.err()).contains("table " + db.schema() + ".versioned: its changes cannot be streamed",
                    "table " + db.schema() + ".addresses: its changes cannot be streamed", "mode: full-load");

            Path load = dir.resolve("load.yaml");
            Files.writeString(load, "validate: after-load\n" + db.pipelineYaml("mload", "full-load", dir.resolve("lake2").toString(), "public.*"));
            MainTest.Result loaded = MainTest.run("run", "--config", load.toString(), "--progress-seconds", "0");
            assertThat(loaded.code()).as(loaded.out() + loaded.err()).isZero();
            assertThat(loaded.out() + loaded.err()).contains("full load  " + db.schema() + ".versioned: 2 rows", "full load  " + db.schema() + ".addresses: 2 rows",
                    "DATA VALIDATION PASSED");
        }
    }
}
