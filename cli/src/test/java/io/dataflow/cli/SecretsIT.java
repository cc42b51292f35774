package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.TestMariaDb;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password never appears in anything DataFlow prints: run (text and JSON logs, /status, /metrics, the status page),
 * check, assess, status and cutover, and their failures with a wrong password and an unreachable host. The jar runs as
 * its own process, with the password in an environment variable the pipeline file references, and every byte it
 * prints is searched.
 */
class SecretsIT {
    private static final Path JAR = Path.of(System.getProperty("dataflow.jar", "target/dataflow.jar"));

    @TempDir
    Path dir;

    @Test
    void noCommandPrintsThePassword() throws Exception {
        String password = "Pw-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String wrong = "Wrong-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String user = "df_sec_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (TestMariaDb db = TestMariaDb.create()) {
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("create user '" + user + "'@'%' identified by '" + password + "'");
                st.execute("grant select, reload, replication slave, binlog monitor on *.* to '" + user + "'@'%'");
                st.execute("create table " + db.name() + ".accounts (id int primary key, note varchar(20))");
                st.execute("insert into " + db.name() + ".accounts values (1, 'a'), (2, 'b')");
            }
            try {
                String yaml = db.pipelineYaml("secret", "full-load-and-cdc", dir.resolve("lake").toString(), "public.*")
                        .replace("  user: " + TestMariaDb.USER + "\n", "  user: " + user + "\n  password: ${env:DF_SECRET}\n");
                Path file = dir.resolve("p.yaml");
                Files.writeString(file, yaml);
                Path unreachable = dir.resolve("unreachable.yaml");
                Files.writeString(unreachable, yaml.replace("port: " + TestMariaDb.PORT, "port: 1"));
                List<String> printed = new ArrayList<>();

                int port;
                try (ServerSocket s = new ServerSocket(0)) {
                    port = s.getLocalPort();
                }
                Path runLog = dir.resolve("run.log");
                Process run = start(password, runLog, "--log-format", "json", "run", "--config", file.toString(), "--http-port",
                        String.valueOf(port), "--http-bind", "127.0.0.1", "--progress-seconds", "1");
                try {
                    awaitLog(runLog, "full load done", run);
                    for (String path : List.of("/", "/status", "/metrics", "/health")) {
                        printed.add(http(port, path));
                    }
                    printed.add(jar(password, 0, "status", "--config", file.toString()));
                    printed.add(jar(password, -1, "cutover", "--config", file.toString(), "--max-lag", "1s", "--wait", "20s"));
                } finally {
                    run.destroy(); // SIGTERM: flush, checkpoint, exit
                    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
                }
                printed.add(Files.readString(runLog));
                printed.add(jar(password, 0, "check", "--config", file.toString()));
                printed.add(jar(password, -1, "assess", "--config", file.toString(), "--sample-seconds", "1"));
                printed.add(jar(password, 0, "--log-format", "json", "status", "--config", file.toString()));
                // failures: a wrong password (which must not be printed either), an unreachable host
                for (String command : List.of("check", "assess", "run", "status", "validate")) {
                    printed.add(jar(wrong, -1, command, "--config", file.toString()));
                    // run retries an unreachable source with backoff: once is enough here
                    printed.add(command.equals("run") ? jar(password, -1, command, "--config", unreachable.toString(), "--max-retries", "1")
                            : jar(password, -1, command, "--config", unreachable.toString()));
                }
                String all = String.join("\n", printed);
                assertThat(all).contains("full load done", "\"formattedMessage\"", "Access denied", "CUTOVER READY", "# Assessment of pipeline");
                assertThat(all).doesNotContain(password).doesNotContain(wrong);
            } finally {
                try (Connection c = db.connect(); Statement st = c.createStatement()) {
                    st.execute("drop user if exists '" + user + "'@'%'");
                }
            }
        }
    }

    /** Runs the jar to the end; returns stdout and stderr. {@code expect} -1: any exit code. */
    private String jar(String password, int expect, String... args) throws Exception {
        Path log = Files.createTempFile(dir, "out", ".log");
        Process p = start(password, log, args);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as(String.join(" ", args)).isTrue();
        String out = Files.readString(log);
        if (expect >= 0) {
            assertThat(p.exitValue()).as(String.join(" ", args) + "\n" + out).isEqualTo(expect);
        }
        return "$ dataflow " + String.join(" ", args) + "\n" + out;
    }

    private static Process start(String password, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar",
                JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().put("DF_SECRET", password);
        return b.start();
    }

    private static void awaitLog(Path log, String text, Process p) throws Exception {
        RunningPipeline.await(Duration.ofSeconds(120), () -> {
            try {
                return Files.readString(log).contains(text) || !p.isAlive();
            } catch (IOException e) {
                return false;
            }
        }, text);
        assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
    }

    private static String http(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return "GET " + path + " " + r.statusCode() + "\n" + r.body();
    }
}
