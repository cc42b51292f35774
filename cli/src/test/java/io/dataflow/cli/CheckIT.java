package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckIT {
    @TempDir
    Path dir;

    @Test
    void reportsSettingsTablesAndMissingPrimaryKeys() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("create table with_pk (id int primary key)", "create table \"No Key\" (v text)",
                    "create table skipped (id int primary key)");
            Path file = dir.resolve("p.yaml");
            Files.writeString(file, db.pipelineYaml("chk", "full-load-and-cdc", dir.resolve("lake").toString(), "public.*")
                    .replace("include: [public.*]", "include: [public.*]\n  exclude: [public.skipped]"));
            MainTest.Result r = MainTest.run("check", "--config", file.toString());
            assertThat(r.out()).contains("ok    wal_level = logical", "ok    replication permission for postgres",
                    "2 table(s) selected", "ok      public.with_pk", "primary key (id)",
                    "warn    public.No Key", "ALTER TABLE public.\"No Key\" REPLICA IDENTITY FULL", "lake " + dir.resolve("lake"), "ready");
            assertThat(r.out()).doesNotContain("skipped");
            assertThat(r.code()).isZero();

            db.execute("alter table \"No Key\" replica identity full");
            MainTest.Result fixed = MainTest.run("check", "--config", file.toString());
            assertThat(fixed.out()).endsWith("ready" + System.lineSeparator()).doesNotContain("warn");
            assertThat(fixed.code()).isZero();
        }
    }

    @Test
    void wrongDatabaseIsAClearFailure() throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, "name: x\nsource: {type: postgres, host: " + TestDatabase.HOST + ", port: " + TestDatabase.PORT
                + ", database: no_such_db_here, user: " + TestDatabase.USER + ", ssl-mode: disable}\ntargets: [{type: lake, uri: "
                + dir.resolve("lake") + "}]\n");
        MainTest.Result r = MainTest.run("check", "--config", file.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("database 'no_such_db_here' does not exist", "check source.database").doesNotContain("\tat ");
    }
}
