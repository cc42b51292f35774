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
 * Rows with one large value (1, 64, 256 MB of bytea) through the PostgreSQL full load and through CDC (an insert while
 * streaming), each with a bounded heap: whether it passes, the peak heap DataFlow reports and the process's peak RSS.
 */
final class LargeValues extends Scenario {
    LargeValues(Settings settings) {
        super(settings);
    }

    Map<String, Object> measure(List<Integer> sizesMb) throws Exception {
        List<Map<String, Object>> runs = new ArrayList<>();
        for (int mb : sizesMb) {
            String heap = mb <= 64 ? "512m" : "1536m";
            runs.add(fullLoad(mb, heap));
            runs.add(cdc(mb, heap));
        }
        Map<String, Object> m = Results.header("large-values", "docs", 1, 1);
        m.put("runs", runs);
        return m;
    }

    private void table(int mb, boolean withRow) throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("drop table if exists docs");
            st.execute("create table docs (id int primary key, body bytea)");
            if (withRow) {
                st.execute(insert(1, mb));
            }
        }
    }

    /** A value of {@code mb} MiB: random 1 MiB repeated (so a run does not wait minutes for random bytes). */
    private static String insert(int id, int mb) {
        return "insert into docs select " + id + ", decode(repeat((select string_agg(md5(random()::text), '') from generate_series(1, 65536)), "
                + mb + "), 'hex')";
    }

    private Map<String, Object> fullLoad(int mb, String heap) throws Exception {
        table(mb, true);
        Path lake = work.resolve("lake-large");
        Results.deleteTree(lake);
        Path config = pipeline("benchlarge", "full-load", lake, "public.docs", "500ms");
        Path log = work.resolve("large-full-load.log");
        Path time = work.resolve("time-large.txt");
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx" + heap, "-jar", jar.toString(), "run", "--config", config.toString(),
                "--progress-seconds", "0"));
        int code = new ProcessBuilder(timed(time, cmd)).redirectErrorStream(true).redirectOutput(log.toFile()).start().waitFor();
        return result("full-load", mb, heap, code, log, time);
    }

    private Map<String, Object> cdc(int mb, String heap) throws Exception {
        table(mb, false);
        Path lake = work.resolve("lake-large");
        Results.deleteTree(lake);
        scalar("select count(pg_drop_replication_slot(slot_name)) from pg_replication_slots where slot_name = 'dataflow_benchlargec' and not active");
        Path config = pipeline("benchlargec", "cdc", lake, "public.docs", "500ms");
        Path log = work.resolve("large-cdc.log");
        Path time = work.resolve("time-large.txt");
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx" + heap, "-jar", jar.toString(), "run", "--config", config.toString(),
                "--progress-seconds", "1"));
        Process p = new ProcessBuilder(timed(time, cmd)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        waitForSlot("dataflow_benchlargec");
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(insert(1, mb));
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (p.isAlive() && System.nanoTime() < deadline && !Files.readString(log).matches("(?s).*checkpoints: [1-9].*")) {
            Thread.sleep(200);
        }
        p.toHandle().descendants().forEach(ProcessHandle::destroy);
        int code = p.waitFor(120, TimeUnit.SECONDS) ? p.exitValue() : -1;
        scalar("select count(pg_drop_replication_slot(slot_name)) from pg_replication_slots where slot_name = 'dataflow_benchlargec' and not active");
        return result("cdc", mb, heap, code, log, time);
    }

    private static Map<String, Object> result(String path, int mb, String heap, int code, Path log, Path time) throws Exception {
        String out = Files.readString(log);
        Matcher h = Pattern.compile("peak heap: (\\d+) MiB").matcher(out);
        Matcher err = Pattern.compile("(?m)^error: (.*)$").matcher(out);
        long rss = -1;
        try {
            rss = Long.parseLong(Files.readString(time).trim().lines().reduce((a, b) -> b).orElse("-1")) / 1024;
        } catch (Exception ignored) {
            // no measurement
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("value_mb", mb);
        m.put("heap", heap);
        m.put("exit", code);
        m.put("ok", code == 0 && !out.contains("OutOfMemory") && !out.contains("out of memory"));
        m.put("peak_heap_mb", h.find() ? Long.parseLong(h.group(1)) : -1);
        m.put("peak_rss_mb", rss);
        m.put("error", err.find() ? err.group(1) : "");
        System.err.println("large values: " + m);
        return m;
    }
}
