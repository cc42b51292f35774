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
}
