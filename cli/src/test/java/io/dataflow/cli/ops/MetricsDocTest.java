package io.dataflow.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.TableId;
import io.dataflow.runtime.PipelineStats;
import io.dataflow.runtime.SinkCounters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** config/metrics.md lists exactly the metrics /metrics serves. */
class MetricsDocTest {
    @Test
    void everyMetricIsDocumentedAndEveryDocumentedMetricExists() throws Exception {
        PipelineStats stats = new PipelineStats();
        stats.expect(Map.of(new TableId("public", "t"), 10L));
        Metrics metrics = new Metrics("p", stats, new SinkCounters(),
                () -> new StatusReport.Conversions(Map.of("zero date written as NULL", Map.of("public.t.d", 2L)),
                        Map.of("public.t.x: NaN written as NULL", 1L), Map.of()),
                () -> OptionalLong.of(5), Clock.systemUTC());
        String scrape = metrics.prometheus();
        Set<String> served = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^(dataflow_[a-z_]+?)(_bucket|_count|_sum|_max)?\\{").matcher(scrape);
        while (m.find()) {
            served.add(m.group(1));
        }
        served.remove("dataflow_commit_to_durable_seconds_bucket");
        assertThat(served).isEqualTo(documented(doc().substring(0, doc().indexOf(VALIDATION_SECTION))));
        assertThat(scrape).contains("dataflow_converted_values_total{column=\"public.t.d\",pipeline=\"p\",side=\"source\"} 2.0",
                "dataflow_converted_values_total{column=\"public.t.x\",pipeline=\"p\",side=\"target\"} 1.0",
                "dataflow_source_backlog_bytes{pipeline=\"p\"} 5.0");
    }

    private static final String VALIDATION_SECTION = "## `dataflow validate --continuous`";

    @Test
    void continuousValidationMetricsAreDocumentedAndReadTheLastPass() throws Exception {
        io.dataflow.validate.ContinuousValidation.Snapshot last = new io.dataflow.validate.ContinuousValidation.Snapshot(3, 1000, 900, 2, 1, 0,
                1500, 1_700_000_000_000L);
        String scrape = new ValidationMetrics("p", () -> last).prometheus();
        Set<String> served = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^(dataflow_[a-z_]+)\\{").matcher(scrape);
        while (m.find()) {
            served.add(m.group(1));
        }
        assertThat(served).isEqualTo(documented(doc().substring(doc().indexOf(VALIDATION_SECTION))));
        assertThat(scrape).contains("dataflow_validation_passes_total{pipeline=\"p\"} 3.0", "dataflow_validation_rows_compared{pipeline=\"p\"} 1000.0",
                "dataflow_validation_rows_checksummed{pipeline=\"p\"} 900.0",
                "dataflow_validation_differences{pipeline=\"p\",state=\"lasting\"} 1.0",
                "dataflow_validation_differences{pipeline=\"p\",state=\"pending\"} 2.0", "dataflow_validation_pass_seconds{pipeline=\"p\"} 1.5",
                "dataflow_validation_last_pass_timestamp_seconds{pipeline=\"p\"} 1.7E9");
    }

    private static String doc() throws java.io.IOException {
        return Files.readString(Path.of("..", "config", "metrics.md"));
    }

    private static Set<String> documented(String markdown) {
        Set<String> documented = new TreeSet<>();
        Matcher d = Pattern.compile("(?m)^\\| `(dataflow_[a-z_]+)` \\|").matcher(markdown);
        while (d.find()) {
            documented.add(d.group(1));
        }
        return documented;
    }
}
