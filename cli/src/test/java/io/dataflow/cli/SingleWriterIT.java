package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second process on the same pipeline and lake refuses to start while the first runs. */
class SingleWriterIT {
    @TempDir
    Path dir;

    @Test
    void aSecondProcessRefusesToStart() throws Exception {
        Path jar = Path.of(System.getProperty("dataflow.jar", "target/dataflow.jar"));
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("create table t (id int primary key)", "insert into t values (1)");
            String yaml = db.pipelineYaml("single", "full-load-and-cdc", dir.resolve("lake").toString(), "public.*");
            Path config = dir.resolve("p.yaml");
            Files.writeString(config, yaml);
            try (RunningPipeline first = new RunningPipeline(yaml, Map.of())) {
                first.awaitFullLoad();
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                Process second = new ProcessBuilder(List.of(java, "-jar", jar.toString(), "run", "--config", config.toString()))
                        .redirectErrorStream(true).start();
                assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String out = new String(second.getInputStream().readAllBytes());
                assertThat(second.exitValue()).as(out).isEqualTo(1);
                assertThat(out).contains("error: pipeline 'single' is already running");
                first.assertRunning();
                assertThat(first.stop()).isZero();
            }
            assertThat(dir.resolve("lake/_state/single/owner.json")).as("released on a clean stop").doesNotExist();
        }
    }
}
