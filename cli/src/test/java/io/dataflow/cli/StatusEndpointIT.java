package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.cli.ops.Operations;
import io.dataflow.testing.TestDatabase;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /health, /metrics and /status of a running pipeline. */
class StatusEndpointIT {
    @TempDir
    Path lake;

    @Test
    void healthMetricsAndStatus() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HttpClient http = HttpClient.newHttpClient();
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("create table t (id int primary key)", "insert into t select generate_series(1, 100)");
            try (RunningPipeline p = new RunningPipeline(db.pipelineYaml("ops", "full-load-and-cdc", lake.toString(), "public.*"), Map.of(),
                    new Operations(port, ""))) {
                p.awaitFullLoad();
                db.execute("insert into t values (1000)");
                RunningPipeline.await(Duration.ofSeconds(30), () -> p.stats().totalChanges() == 1 && p.stats().checkpoints() >= 2, "a change");
                HttpResponse<String> health = http.send(get(port, "/health"), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"UP\"");
                String metrics = http.send(get(port, "/metrics"), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("dataflow_full_load_rows_total{pipeline=\"ops\"} 100.0", "dataflow_changes_total{pipeline=\"ops\"} 1.0",
                        "dataflow_replication_lag_ms{pipeline=\"ops\"}", "dataflow_flushes_total{pipeline=\"ops\",trigger=\"interval\"}");
                assertThat(metrics).contains("dataflow_table_full_load_rows_total{pipeline=\"ops\",table=\"public.t\"} 100.0",
                        "dataflow_table_changes_total{pipeline=\"ops\",table=\"public.t\"} 1.0",
                        "dataflow_commit_to_durable_seconds_count{pipeline=\"ops\"} 1",
                        "dataflow_commit_to_durable_seconds_bucket{pipeline=\"ops\",le=",
                        "dataflow_restarts_by_cause_total{cause=\"source\",pipeline=\"ops\"} 0.0",
                        "dataflow_phase{phase=\"streaming\",pipeline=\"ops\"} 1.0",
                        "dataflow_checkpoint_age_seconds{pipeline=\"ops\"}", "dataflow_source_backlog_bytes{pipeline=\"ops\"}");
                // idle and durable: the lag falls to zero, not the last flush's
                RunningPipeline.await(Duration.ofSeconds(10), () -> p.stats().lastLagMillis() == 0, "lag 0 when caught up");
                String status = http.send(get(port, "/status"), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(status).contains("\"pipeline\":\"ops\"", "\"fullLoadDone\":true", "\"public.t\":100");
                assertThat(p.stop()).isZero();
            }
        }
    }

    private static HttpRequest get(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build();
    }
}
