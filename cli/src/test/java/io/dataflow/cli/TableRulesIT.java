package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table rules that select nothing are a mistake in the pipeline file, in every mode: exit 2 with the rules named. */
class TableRulesIT {
    @TempDir
    Path dir;

    @Test
    void rulesThatMatchNoTableExitTwoInEveryMode() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("create table items (id int primary key)");
            for (String mode : new String[] {"full-load", "cdc", "full-load-and-cdc"}) {
                Path file = Files.writeString(dir.resolve(mode + ".yaml"),
                        db.pipelineYaml("rules", mode, dir.resolve("lake").toString(), "nosuch.*"));
                MainTest.Result r = MainTest.run("run", "--config", file.toString(), "--progress-seconds", "0", "--max-retries", "0");
                assertThat(r.code()).as(mode + ": " + r.err()).isEqualTo(2);
                assertThat(r.err()).as(mode).startsWith("error: tables: no table of database '" + db.name() + "' matches include [nosuch.*]")
                        .doesNotContain("\tat ");
            }
        }
    }
}
