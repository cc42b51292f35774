package io.dataflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Timing, statistics and the JSON report: pure functions. */
final class Results {
    private Results() {}

    interface Body {
        void run() throws Exception;
    }

    static double seconds(Body b) {
        long t = System.nanoTime();
        try {
            b.run();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
        return (System.nanoTime() - t) / 1e9;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    static Map<String, Object> stats(List<Double> xs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("min", round(Collections.min(xs)));
        m.put("median", round(median(xs)));
        m.put("all", xs.stream().map(Results::round).toList());
        return m;
    }

    static long pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    static void deleteTree(Path p) throws IOException {
        if (Files.exists(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                s.sorted(Collections.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    static long treeSize(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static String json(Object o) {
        if (o instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("{");
            m.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append('"').append(k).append("\": ").append(json(v)));
            return b.append('}').toString();
        }
        if (o instanceof List<?> l) {
            return l.stream().map(Results::json).reduce((a, b) -> a + ", " + b).map(s -> "[" + s + "]").orElse("[]");
        }
        if (o instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        return String.valueOf(o);
    }

    /** The report's first entries: scenario, table, rows and repeats. */
    static Map<String, Object> header(String scenario, String table, long rows, int repeats) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", scenario);
        m.put("table", table);
        m.put("rows", rows);
        m.put("repeats", repeats);
        return m;
    }
}
