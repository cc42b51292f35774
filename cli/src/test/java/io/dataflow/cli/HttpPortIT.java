package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.TestDatabase;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A status port that cannot be served is one line and exit 2, not a stack trace. */
class HttpPortIT {
    @TempDir
    Path dir;

    @Test
    void aBusyOrInvalidPortIsOneLine() throws Exception {
        try (TestDatabase db = TestDatabase.create(); ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            db.execute("create table items (id int primary key)");
            Path file = Files.writeString(dir.resolve("p.yaml"), db.pipelineYaml("http", "full-load", dir.resolve("lake").toString(), "public.*"));
            MainTest.Result r = MainTest.run("run", "-c", file.toString(), "--progress-seconds", "0", "--http-bind", "127.0.0.1",
                    "--http-port", Integer.toString(busy.getLocalPort()));
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).startsWith("error: --http-port: cannot serve on 127.0.0.1:" + busy.getLocalPort())
                    .doesNotContain("\tat ");
            MainTest.Result invalid = MainTest.run("run", "-c", file.toString(), "--http-port", "70000");
            assertThat(invalid.code()).isEqualTo(2);
            assertThat(invalid.err()).startsWith("error: --http-port: '70000' is not a TCP port");
        }
    }
}
