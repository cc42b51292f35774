package io.dataflow.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Sustained CDC throughput: pgbench clients write while `dataflow run` streams; changes/s and lag from /status. */
final class Throughput extends Scenario {
    Throughput(Settings settings) {
        super(settings);
    }

    // ---------------------------------------------------------------- sustained CDC throughput
    /**
     * pgbench's TPC-B-like workload for a fixed time while `dataflow run` (mode cdc) streams the four pgbench tables;
     * reports the changes/s the pipeline wrote during the run, the lag at the end of it, and how long it took to drain.
     */
    Map<String, Object> throughput(int seconds, int clients) throws Exception {
        Path lake = work.resolve("lake-throughput");
        Results.deleteTree(lake);
        Path config = pipeline("benchtp", "cdc", lake, "public.pgbench_*", "500ms");
        Path log = work.resolve("throughput-run.log");
        int port = StatusProbe.freePort();
        Process p = env(new ProcessBuilder(dataflow("run", "--config", config.toString(), "--progress-seconds",
                "0", "--http-port", Integer.toString(port)))).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            waitForSlot("dataflow_benchtp");
            long before = changes(port);
            long start = System.nanoTime();
            Process bench = new ProcessBuilder("pgbench", "-h", host, "-U", user, "-n", "-c", "" + clients, "-j", "" + Math.min(2, clients),
                    "-T", "" + seconds, db).redirectErrorStream(true).start();
            String pgbenchOut = new String(bench.getInputStream().readAllBytes());
            bench.waitFor();
            double runSeconds = (System.nanoTime() - start) / 1e9;
            long atEnd = changes(port);
            long lagAtEnd = lag(port);
            java.util.regex.Matcher tps = java.util.regex.Pattern.compile("tps = ([\\d.]+)").matcher(pgbenchOut);
            double sourceTps = tps.find() ? Double.parseDouble(tps.group(1)) : -1;
            long drainStart = System.nanoTime();
            long last = -1;
            long stableSince = System.nanoTime();
            while (System.nanoTime() - stableSince < 2_000_000_000L && System.nanoTime() - drainStart < 300_000_000_000L) {
                long now = changes(port);
                if (now != last) {
                    last = now;
                    stableSince = System.nanoTime();
                }
                Thread.sleep(100);
            }
            double drain = (stableSince - drainStart) / 1e9;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", "cdc-throughput-postgres-pgbench-tpcb");
            m.put("seconds", seconds);
            m.put("clients", clients);
            m.put("source_tps", Results.round(sourceTps));
            m.put("source_changes_expected_per_s", Results.round(sourceTps * 4));
            m.put("changes_during_run", atEnd - before);
            m.put("changes_per_s_during_run", Math.round((atEnd - before) / runSeconds));
            m.put("changes_total", last - before);
            m.put("lag_ms_at_end_of_run", lagAtEnd);
            m.put("drain_s_after_run", Results.round(drain));
            System.err.printf(Locale.ROOT, "throughput: %s%n", m);
            return m;
        } finally {
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
        }
    }

    String status(int port) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/status")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    long changes(int port) throws Exception {
        return StatusProbe.changes(status(port));
    }

    long lag(int port) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"lagMillis\":(-?\\d+)").matcher(status(port));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
