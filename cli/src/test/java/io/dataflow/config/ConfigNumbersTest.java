package io.dataflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dataflow.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Numbers out of range never wrap, overflow or end in a stack trace: one line that names the allowed range. */
class ConfigNumbersTest {
    static String flushError(String flush) {
        return catchThrowableOfType(ConfigException.class, () -> parse(flush)).getMessage();
    }

    static PipelineConfig parse(String flush) {
        return new PipelineConfigReader(k -> null).parse("""
                name: p
                source: {type: postgres, database: shop}
                targets: [{type: lake, uri: /tmp/lake, flush: %s}]
                """.formatted(flush), Path.of("."));
    }

    @Test
    void rowsBeyondALongAreRefusedNotWrapped() {
        assertThat(flushError("{rows: 99999999999999999999}"))
                .isEqualTo("targets[0].flush.rows: '99999999999999999999' is out of range; expected 1..9223372036854775807");
        assertThat(flushError("{rows: 18446744073709551621}")).contains("is out of range");
        assertThat(flushError("{rows: '99999999999999999999'}")).contains("is out of range");
    }

    @Test
    void sizesThatOverflowAreRefused() {
        assertThat(flushError("{bytes: 8589934592GB}"))
                .isEqualTo("targets[0].flush.bytes: '8589934592GB' is out of range; expected 1 byte to 8589934591GB");
        assertThat(flushError("{bytes: 99999999999999999999MB}")).contains("is out of range");
        assertThat(parse("{bytes: 8589934591GB}").targets().get(0).flush().bytes()).isEqualTo(8589934591L << 30);
    }

    @Test
    void durationsThatOverflowAreRefused() {
        assertThat(flushError("{interval: 99999999999999999999ms}"))
                .isEqualTo("targets[0].flush.interval: '99999999999999999999ms' is out of range; expected 1ms to 9223372036854775807ms");
        assertThat(flushError("{interval: 9999999999999999h}")).contains("is out of range");
        assertThat(flushError("{interval: 99999999999999999999}")).contains("is out of range");
        assertThat(parse("{interval: 2h}").targets().get(0).flush().interval()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void negativeCommandLineNumbersAreRefused(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("p.yaml"), """
                name: p
                source: {type: postgres, database: shop}
                targets: [{type: lake, uri: /tmp/lake}]
                """);
        for (String[] args : new String[][] {{"--max-retries", "-1"}, {"--progress-seconds", "-5"}}) {
            StringWriter err = new StringWriter();
            int code = Main.execute(new String[] {"run", "-c", file.toString(), args[0], args[1]}, new PrintWriter(new StringWriter()),
                    new PrintWriter(err, true));
            assertThat(code).as(args[0]).isEqualTo(2);
            assertThat(err.toString()).startsWith("error: " + args[0] + ": '" + args[1] + "' is negative").doesNotContain("\tat ");
        }
    }
}
