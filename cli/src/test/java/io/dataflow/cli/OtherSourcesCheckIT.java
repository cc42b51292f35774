package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oracle, SQL Server and MongoDB, for which no server can run here: check (and run) against a host that does not answer
 * give one actionable line and exit 1, no stack trace, no password; MongoDB into a database target is refused.
 */
class OtherSourcesCheckIT {
    @TempDir
    Path dir;

    private MainTest.Result check(String source) throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, "name: other\nsource: " + source + "\nmode: full-load-and-cdc\ntargets: [{type: lake, uri: " + dir.resolve("lake")
                + "}]\n");
        return MainTest.run("check", "--config", file.toString());
    }

    @Test
    void sqlServerUnreachable() throws Exception {
        MainTest.Result r = check("{type: sqlserver, host: 127.0.0.1, port: 1, database: Sales, user: sa, password: Secret-Pw-1}");
        assertThat(r.code()).isEqualTo(Main.EXIT_FAILED);
        assertThat(r.err().strip()).startsWith("error: cannot connect to SQL Server at 127.0.0.1:1").contains("is the server running")
                .doesNotContain("\tat ", "Secret-Pw-1");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void mongoDbUnreachable() throws Exception {
        MainTest.Result r = check("{type: mongodb, port: 1, database: inventory, user: app, password: Secret-Pw-2}");
        assertThat(r.code()).isEqualTo(Main.EXIT_FAILED);
        assertThat(r.err().strip()).startsWith("error: cannot reach MongoDB at 127.0.0.1:1/inventory within 10 s")
                .doesNotContain("\tat ", "Secret-Pw-2");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void oracleUnreachable() throws Exception {
        MainTest.Result r = check("{type: oracle, host: 127.0.0.1, port: 1, database: ORCLCDB, pdb: ORCLPDB1, password: Secret-Pw-3}");
        assertThat(r.code()).isEqualTo(Main.EXIT_FAILED);
        assertThat(r.err().strip()).startsWith("error: cannot connect to Oracle at 127.0.0.1:1").contains("is the listener running")
                .doesNotContain("\tat ", "Secret-Pw-3");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void mongoDbIntoADatabaseTargetIsRefused() throws Exception {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, """
                name: other
                source: {type: mongodb, port: 1, database: inventory}
                targets: [{type: jdbc, url: "jdbc:postgresql://127.0.0.1:5432/x", user: postgres}]
                """);
        MainTest.Result r = MainTest.run("convert", "--config", file.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(Main.EXIT_FAILED);
        assertThat(r.err().strip()).isEqualTo("error: a MongoDB source is read through change streams, not SQL: this command supports "
                + "SQL sources only (PostgreSQL, MariaDB, MySQL, Oracle, SQL Server)");
    }
}
