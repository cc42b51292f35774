package io.dataflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * `dataflow reload` of pgbench_accounts into a running pipeline (mode cdc, local lake): seconds from the request until
 * every row was read again and is durable (`/status`: the table's changes reach its row count, none pending), and
 * rows/s, next to the full load of the same table by the parallel COPY loader in the same run.
 */
final class Reload extends Scenario {
    Reload(Settings settings) {
        super(settings);
    }

    Map<String, Object> reload() throws Exception {
        ensureClassArchive("postgres");
        long rows = scalar("select count(*) from pgbench_accounts");
        Path lake = work.resolve("lake-reload");
        Results.deleteTree(lake);
        scalar("select count(pg_drop_replication_slot(slot_name)) from pg_replication_slots where slot_name = 'dataflow_benchreload'");
        Path config = pipeline("benchreload", "cdc", lake, "public.pgbench_accounts", "500ms");
        int port = StatusProbe.freePort();
        Process p = env(new ProcessBuilder(dataflow("run", "--config", config.toString(), "--progress-seconds", "0", "--http-port", "" + port)))
                .redirectErrorStream(true).redirectOutput(work.resolve("reload-run.log").toFile()).start();
        try {
            waitForSlot("dataflow_benchreload");
            long start = System.nanoTime();
            Process r = new ProcessBuilder(dataflow("reload", "--config", config.toString(), "--table", "public.pgbench_accounts"))
                    .redirectErrorStream(true).redirectOutput(work.resolve("reload-request.log").toFile()).start();
            if (r.waitFor() != 0) {
                throw new IllegalStateException("dataflow reload failed: " + Files.readString(work.resolve("reload-request.log")));
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (true) {
                if (StatusProbe.durable(StatusProbe.read(port), rows)) {
                    break;
                }
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the reload did not finish; see " + work.resolve("reload-run.log"));
                }
                Thread.sleep(200);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("scenario", "reload-postgres-to-local-lake");
            out.put("rows", rows);
            out.put("seconds", seconds);
            out.put("rows_per_second", rows / seconds);
            System.out.printf(Locale.ROOT, "reload: %,d rows read again into the running pipeline in %.1f s (%,.0f rows/s)%n", rows, seconds,
                    rows / seconds);
            return out;
        } finally {
            p.toHandle().descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
            scalar("select count(pg_drop_replication_slot(slot_name)) from pg_replication_slots where slot_name = 'dataflow_benchreload' and not active");
        }
    }
}
