package io.dataflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One source transaction of a million updates, streamed by `dataflow run` (mode full-load-and-cdc, {@code -Xmx512m})
 * into a local lake and into a PostgreSQL database target: seconds from the commit until `/status` shows every change
 * durable, DataFlow's peak heap and the process's peak RSS, and `dataflow validate` afterwards (the raw zone replayed,
 * or the target's rows) to show every change landed once.
 */
final class LargeTransaction extends Scenario {
    private final String txHeap;

    /** @param txHeap DataFlow's {@code -Xmx} for these runs (e.g. 512m) */
    LargeTransaction(Settings settings, String txHeap) {
        super(settings);
        this.txHeap = txHeap;
    }

    Map<String, Object> measure(int rows) throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("drop table if exists bigtx");
            st.execute("create table bigtx (id int primary key, v int, note text)");
            st.execute("insert into bigtx select g, 0, 'row ' || g from generate_series(1, " + rows + ") g");
        }
        List<Map<String, Object>> runs = new ArrayList<>();
        Path lake = work.resolve("lake-bigtx");
        Results.deleteTree(lake);
        runs.add(stream("lake", pipeline("benchbigtx", "full-load-and-cdc", lake, "public.bigtx", "500ms"), rows));
        run(List.of("bash", "-c", "psql -h " + host + " -U " + user + " -qAt -d postgres -c 'drop database if exists " + TARGET_DB
                + " with (force)' -c 'create database " + TARGET_DB + "'"), null);
        Path db = work.resolve("benchbigtxdb.yaml");
        Files.writeString(db, "name: benchbigtxdb\nsource: {type: postgres, host: " + host + ", port: " + port + ", database: " + this.db
                + ", user: " + user + streamingEngineEntry() + ", ssl-mode: disable}\ntables: {include: [public.bigtx]}\nmode: full-load-and-cdc\n"
                + "targets:\n  - {type: jdbc, url: 'jdbc:postgresql://" + host + ":" + port + "/" + TARGET_DB + "', user: " + user + "}\n");
        runs.add(stream("PostgreSQL database", db, rows));
        Map<String, Object> m = Results.header("large-transaction", "bigtx", rows, 1);
        m.put("heap", txHeap);
        m.put("runs", runs);
        return m;
    }

    private Map<String, Object> stream(String target, Path config, int rows) throws Exception {
        String name = Files.readString(config).lines().findFirst().orElseThrow().substring("name: ".length()).strip();
        scalar("select count(pg_drop_replication_slot(slot_name)) from pg_replication_slots where slot_name = 'dataflow_" + name + "' and not active");
        int http = StatusProbe.freePort();
        Path log = work.resolve(name + "-run.log");
        Path time = work.resolve("time-" + name + ".txt");
        ProcessBuilder pb = env(new ProcessBuilder(timed(time, dataflow("run", "--config", config.toString(), "--progress-seconds", "5",
                "--http-port", "" + http))));
        pb.environment().put("JAVA_OPTS", "-Xmx" + txHeap);
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!Files.readString(log).contains("full load done")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the full load did not finish; see " + log);
            }
            Thread.sleep(50);
        }
        waitForSlot("dataflow_" + name);
        long received = StatusProbe.changes(StatusProbe.read(http));
        long t0 = System.nanoTime();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("update bigtx set v = v + 1");
            c.commit();
        }
        double commitSeconds = (System.nanoTime() - t0) / 1e9;
        long committed = System.nanoTime();
        double durable = -1;
        while (durable < 0) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the transaction did not become durable; see " + log);
            }
            if (StatusProbe.durable(StatusProbe.read(http), received + rows)) {
                durable = (System.nanoTime() - committed) / 1e9;
            }
            Thread.sleep(50);
        }
        long changes = StatusProbe.changes(StatusProbe.read(http)) - received;
        // SIGTERM to DataFlow only: /usr/bin/time then writes the peak RSS, once DataFlow has printed its summary
        p.toHandle().descendants().forEach(ProcessHandle::destroy);
        int code = p.waitFor(120, TimeUnit.SECONDS) ? p.exitValue() : -1;
        String out = Files.readString(log);
        Matcher h = Pattern.compile("peak heap: (\\d+) MiB").matcher(out);
        Path vlog = work.resolve(name + "-validate.log");
        int valid = env(new ProcessBuilder(dataflow("validate", "--config", config.toString(), "--max-diffs", "5"))).redirectErrorStream(true)
                .redirectOutput(vlog.toFile()).start().waitFor();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("target", target);
        r.put("exit", code);
        r.put("update_commit_s", Results.round(commitSeconds));
        r.put("durable_after_commit_s", Results.round(durable));
        r.put("changes_received", changes);
        r.put("changes_per_s", Math.round(changes / Math.max(durable, 1e-3)));
        r.put("peak_heap_mb", h.find() ? Long.parseLong(h.group(1)) : -1);
        long rss = -1;
        try {
            rss = Long.parseLong(Files.readString(time).trim().lines().reduce((a, b) -> b).orElse("-1")) / 1024;
        } catch (Exception ignored) {
            // no measurement
        }
        r.put("peak_rss_mb", rss);
        r.put("validate_exit", valid);
        r.put("validate", Files.readString(vlog).lines().filter(l -> l.startsWith("DATA VALIDATION") || l.contains("NOT COMPARED"))
                .findFirst().orElse(""));
        System.err.println("large transaction: " + r);
        return r;
    }
}
