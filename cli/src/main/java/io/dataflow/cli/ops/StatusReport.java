package io.dataflow.cli.ops;

import io.dataflow.api.TableId;
import io.dataflow.runtime.PipelineStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What {@code /status} answers (and the status page shows): the phase, per-table full-load progress with rows/s and
 * ETA from the source's row estimates, changes, lag and its recent history, the source's log backlog, the last
 * checkpoint and its age, files, restarts by cause, recent warnings and errors, and the value-conversion counters.
 * Counters only: never a setting, so never a secret.
 */
public final class StatusReport {
    /** The value-conversion counters: zero dates and the like the source changed, values a target could not hold, sink work. */
    public record Conversions(Map<String, Map<String, Long>> source, Map<String, Long> targets, Map<String, Long> sinks) {}

    private final String pipeline;
    private final PipelineStats stats;
    private final StatusHistory history;
    private final BooleanSupplier running;
    private final Supplier<Conversions> conversions;

    public StatusReport(String pipeline, PipelineStats stats, StatusHistory history, BooleanSupplier running,
            Supplier<Conversions> conversions) {
        this.pipeline = pipeline;
        this.stats = stats;
        this.history = history;
        this.running = running;
        this.conversions = conversions;
    }

    /** The report as of {@code nowMillis}, as JSON-ready maps and lists. */
    public Map<String, Object> build(long nowMillis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pipeline", pipeline);
        m.put("running", running.getAsBoolean());
        m.put("phase", stats.phase().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        m.put("at", nowMillis);
        m.put("fullLoadDone", stats.isFullLoadDone());
        Map<TableId, Long> rows = stats.fullLoadRows();
        Map<TableId, Long> changes = stats.changes();
        m.put("fullLoadRows", byName(rows));
        m.put("changes", byName(changes));
        m.put("fullLoad", fullLoad(rows, nowMillis));
        m.put("tables", tables(rows, changes));
        StatusHistory.Point latest = history.latest();
        m.put("changesPerSecond", latest == null ? 0 : round(latest.changesPerSecond()));
        m.put("lagMillis", stats.currentLagMillis(nowMillis));
        m.put("pendingChanges", stats.stagedChanges());
        m.put("maxLagMillis", stats.maxLagMillis());
        m.put("backlogBytes", latest == null ? -1 : latest.backlogBytes());
        m.put("checkpoints", stats.checkpoints());
        long cp = stats.lastCheckpointMillis();
        m.put("lastCheckpointAt", cp);
        m.put("checkpointAgeMillis", cp < 0 ? -1 : Math.max(0, nowMillis - cp));
        m.put("files", stats.files());
        m.put("bytes", stats.bytes());
        m.put("restarts", stats.restarts());
        m.put("restartsByCause", stats.restartsByCause());
        List<Map<String, Object>> events = new ArrayList<>();
        for (PipelineStats.Event e : stats.recentEvents()) {
            events.add(Map.of("at", e.atMillis(), "level", e.level(), "message", e.message()));
        }
        m.put("events", events);
        Conversions c = conversions.get();
        m.put("conversions", Map.of("source", c.source(), "targets", c.targets(), "sinks", c.sinks()));
        List<Map<String, Object>> points = new ArrayList<>();
        for (StatusHistory.Point p : history.points()) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("at", p.atMillis());
            point.put("lagMillis", p.lagMillis());
            point.put("backlogBytes", p.backlogBytes());
            point.put("changesPerSecond", round(p.changesPerSecond()));
            point.put("rowsPerSecond", round(p.rowsPerSecond()));
            points.add(point);
        }
        m.put("history", points);
        return m;
    }

    private Map<String, Object> fullLoad(Map<TableId, Long> rows, long nowMillis) {
        long loaded = rows.values().stream().mapToLong(Long::longValue).sum();
        long estimated = stats.expectedFullLoadRows();
        StatusHistory.Point latest = history.latest();
        double rate = latest == null ? 0 : latest.rowsPerSecond();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", loaded);
        m.put("estimatedRows", estimated);
        m.put("rowsPerSecond", round(rate));
        m.put("etaSeconds", stats.isFullLoadDone() ? 0 : StatusHistory.etaSeconds(estimated - loaded, rate));
        m.put("startedAt", stats.fullLoadStartMillis());
        m.put("endedAt", stats.fullLoadEndMillis());
        long start = stats.fullLoadStartMillis();
        long end = stats.fullLoadEndMillis() >= 0 ? stats.fullLoadEndMillis() : nowMillis;
        m.put("elapsedMillis", start < 0 ? -1 : end - start);
        return m;
    }

    private List<Map<String, Object>> tables(Map<TableId, Long> rows, Map<TableId, Long> changes) {
        Map<TableId, Long> estimates = stats.estimatedRows();
        List<Map<String, Object>> out = new ArrayList<>();
        for (TableId t : stats.tables()) {
            long loaded = rows.getOrDefault(t, 0L);
            long estimated = Math.max(estimates.getOrDefault(t, 0L), loaded);
            double rate = history.rowsPerSecond(t);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", t.toString());
            m.put("fullLoadRows", loaded);
            m.put("estimatedRows", estimated);
            m.put("rowsPerSecond", round(rate));
            m.put("etaSeconds", stats.isFullLoadDone() ? 0 : StatusHistory.etaSeconds(estimated - loaded, rate));
            m.put("changes", changes.getOrDefault(t, 0L));
            out.add(m);
        }
        return out;
    }

    private static Map<String, Long> byName(Map<TableId, Long> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k.toString(), v));
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
