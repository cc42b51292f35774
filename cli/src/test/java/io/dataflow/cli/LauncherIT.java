package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/dataflow, the launcher users run: it finds the jar, writes its class-data archive during the first `run`
 * (and only then), maps it on later starts, keeps JVM warnings out of a command's output, and says what to do when
 * the jar is missing.
 */
class LauncherIT {
    static final Path LAUNCHER = Path.of("..", "bin", "dataflow").toAbsolutePath().normalize();
    static final Path JAR = Path.of(System.getProperty("dataflow.jar", "target/dataflow.jar")).toAbsolutePath();

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    Result launch(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(LAUNCHER.toString()), Stream.of(args)).toList());
        pb.environment().put("DATAFLOW_JAR", JAR.toString());
        pb.environment().put("DATAFLOW_CACHE", dir.resolve("cache").toString());
        pb.environment().remove("DATAFLOW_JAVA_OPTS");
        pb.environment().put("JAVA_OPTS", "-Xmx512m");
        pb.environment().putAll(env);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the launcher finished").isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    List<Path> archives() throws Exception {
        Path cache = dir.resolve("cache");
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.toList();
        }
    }

    @Test
    void theFirstRunWritesTheArchiveAndLaterStartsUseIt() throws Exception {
        Result version = launch(Map.of(), "--version");
        assertThat(version.code()).as(version.err()).isZero();
        assertThat(version.out()).startsWith("dataflow ").doesNotContain("[warning]");
        assertThat(archives()).as("commands other than run write no archive").isEmpty();

        Path lake = dir.resolve("lake");
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("create table items (id int primary key, name text)",
                    "insert into items select i, 'item ' || i from generate_series(1, 1000) i");
            Path config = dir.resolve("p.yaml");
            Files.writeString(config, db.pipelineYaml("launch", "full-load", lake.toString(), "public.items"));
            Result first = launch(Map.of(), "run", "--config", config.toString(), "--progress-seconds", "0");
            assertThat(first.code()).as(first.err()).isZero();
            assertThat(first.out()).contains("full load done: 1,000 rows").doesNotContain("[warning]", "[error");
            assertThat(archives()).singleElement().satisfies(a -> assertThat(a.getFileName().toString()).matches("classes-\\d+\\.jsa"));
            assertThat(Files.size(archives().get(0))).as("archive size").isGreaterThan(1 << 20);

            Files.delete(config);
            Files.writeString(config, db.pipelineYaml("launch2", "full-load", dir.resolve("lake2").toString(), "public.items"));
            // -Xshare:on fails at start instead of running without the archive, so success proves the archive is mapped
            Result second = launch(Map.of("JAVA_OPTS", "-Xmx512m -Xshare:on"), "run", "--config", config.toString(), "--progress-seconds", "0");
            assertThat(second.code()).as(second.err()).isZero();
            assertThat(second.out()).contains("full load done: 1,000 rows");
            try (LakeReader reader = new LakeReader(dir.resolve("lake2"))) {
                assertThat(reader.query("select count(*) as n from {raw}", "launch2", "public", "items").get(0)).containsEntry("n", 1000L);
            }
        }
    }

    @Test
    void aMissingJarIsNamedWithWhatToDo() throws Exception {
        Result r = launch(Map.of("DATAFLOW_JAR", dir.resolve("nowhere.jar").toString()), "--version");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("nowhere.jar", "mvn -B -q package -DskipTests");
    }
}
