package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page during a real run, in headless Chromium: the numbers it shows are /status's, the lag chart has
 * points, and a screenshot is written to cli/target/status-page.png.
 */
class StatusPageIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path lake;

    @Test
    void pageShowsTheRunningPipeline() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HeadlessChromium chromium = new HeadlessChromium();
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("create table accounts (id int primary key, balance int)",
                    "insert into accounts select g, g from generate_series(1, 5000) g", "analyze accounts",
                    "create table \"Order Lines\" (id int primary key, note text)",
                    "insert into \"Order Lines\" select g, 'n' || g from generate_series(1, 300) g", "analyze \"Order Lines\"",
                    "create table audit (at timestamptz, what text)"); // no primary key: run warns while it starts
            try (RunningPipeline p = new RunningPipeline(db.pipelineYaml("page", "full-load-and-cdc", lake.toString(), "public.*"),
                    Map.of(), new Operations(port, "", "127.0.0.1"))) {
                p.awaitFullLoad();
                db.execute("update accounts set balance = balance + 1 where id <= 7", "delete from \"Order Lines\" where id = 1");
                RunningPipeline.await(Duration.ofSeconds(30), () -> p.stats().totalChanges() == 8 && p.stats().lastLagMillis() >= 0,
                        "8 changes durable");
                RunningPipeline.await(Duration.ofSeconds(30), () -> lagPoints(port) >= 3, "three lag samples");
                RunningPipeline.await(Duration.ofSeconds(30), () -> field(port, "backlogBytes") >= 0, "the slot's backlog measured");

                String dom = chromium.dom("http://127.0.0.1:" + port + "/", 5000);
                JsonNode status = status(port);
                assertThat(attr(dom, "id=\"pipeline\"[^>]*>([^<]*)<")).isEqualTo("page");
                assertThat(attr(dom, "id=\"phase\"[^>]*>([^<]*)<")).isEqualTo("streaming").isEqualTo(status.get("phase").asText());
                assertThat(value(dom, "full-load-rows")).isEqualTo(5300).isEqualTo(status.at("/fullLoad/rows").asLong());
                assertThat(value(dom, "changes")).isEqualTo(8);
                assertThat(value(dom, "checkpoints")).isEqualTo(status.get("checkpoints").asLong());
                assertThat(value(dom, "files")).isEqualTo(status.get("files").asLong()).isPositive();
                assertThat(value(dom, "restarts")).isZero();
                assertThat(value(dom, "lag")).isEqualTo(status.get("lagMillis").asLong()).isNotNegative();
                assertThat(value(dom, "backlog")).isNotNegative(); // the slot's bytes behind, measured
                assertThat(row(dom, "public.accounts", "rows")).isEqualTo(5000);
                assertThat(row(dom, "public.accounts", "changes")).isEqualTo(7);
                assertThat(row(dom, "public.Order Lines", "rows")).isEqualTo(300);
                assertThat(row(dom, "public.Order Lines", "changes")).isEqualTo(1);
                assertThat(attr(dom, "data-table=\"public.accounts\".*?class=\"pct\" data-value=\"(\\d+)\"")).isEqualTo("100");
                Matcher chart = Pattern.compile("id=\"lag-line\" points=\"([^\"]*)\" data-points=\"(\\d+)\"").matcher(dom);
                assertThat(chart.find()).as("the lag chart in %s", dom).isTrue();
                assertThat(Integer.parseInt(chart.group(2))).isGreaterThanOrEqualTo(3);
                assertThat(chart.group(1).split(" ")).hasSize(Integer.parseInt(chart.group(2)));
                assertThat(dom).containsPattern("<div id=\"error\"[^>]*></div>"); // no "cannot reach the pipeline"
                // the warning logged while the pipeline started is among the recent events
                assertThat(attr(dom, "id=\"events\">(.*?)</ul>")).contains("WARN", "table public.audit has no primary key");

                Path png = Path.of("target", "status-page.png");
                chromium.screenshot("http://127.0.0.1:" + port + "/", png, 1280, 1000, 5000);
                assertThat(p.stop()).isZero();
            }
        }
    }

    private static long field(int port, String name) {
        try {
            return status(port).get(name).asLong();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int lagPoints(int port) {
        JsonNode status;
        try {
            status = status(port);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        int n = 0;
        for (JsonNode point : status.get("history")) {
            n += point.get("lagMillis").asLong() >= 0 ? 1 : 0;
        }
        return n;
    }

    private static JsonNode status(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static long value(String dom, String id) {
        return Long.parseLong(attr(dom, "id=\"" + id + "\" data-value=\"(-?\\d+)\""));
    }

    private static long row(String dom, String table, String cell) {
        return Long.parseLong(attr(dom, "data-table=\"" + Pattern.quote(table) + "\".*?class=\"num " + cell + "\" data-value=\"(\\d+)\""));
    }

    private static String attr(String dom, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(dom);
        if (!m.find()) {
            throw new AssertionError("not on the page: " + regex + "\n" + dom);
        }
        return m.group(1);
    }
}
