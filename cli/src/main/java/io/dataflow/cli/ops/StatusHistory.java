package io.dataflow.cli.ops;

import io.dataflow.api.TableId;
import io.dataflow.runtime.PipelineStats;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The recent past of a running pipeline, sampled once a second by whoever owns it: lag, changes/s and rows/s over the
 * last {@link #POINTS} samples (the status page's chart), and each table's current full-load rate (for its ETA).
 * Time comes from the caller, so tests sample at the instants they choose.
 */
public final class StatusHistory {
    /** Samples kept: ten minutes at one a second. */
    public static final int POINTS = 600;
    /** Weight of the newest interval in a table's smoothed rate. */
    private static final double SMOOTHING = 0.3;

    /** One sample: when (epoch ms), the lag then (-1: none yet), the source's backlog (-1: unknown), and the rates since the previous sample. */
    public record Point(long atMillis, long lagMillis, long backlogBytes, double changesPerSecond, double rowsPerSecond) {}

    private final PipelineStats stats;
    private final Supplier<OptionalLong> backlog;
    private final ArrayDeque<Point> points = new ArrayDeque<>();
    private final Map<TableId, double[]> tableRates = new HashMap<>();
    private long lastAt = -1;
    private long lastChanges;
    private long lastRows;

    public StatusHistory(PipelineStats stats, Supplier<OptionalLong> backlog) {
        this.stats = stats;
        this.backlog = backlog;
    }

    /** Takes one sample at {@code nowMillis}. */
    public synchronized void sample(long nowMillis) {
        long changes = stats.totalChanges();
        Map<TableId, Long> rowsByTable = stats.fullLoadRows();
        long rows = rowsByTable.values().stream().mapToLong(Long::longValue).sum();
        double seconds = lastAt < 0 ? 0 : Math.max(1e-3, (nowMillis - lastAt) / 1000.0);
        double changeRate = seconds == 0 ? 0 : Math.max(0, changes - lastChanges) / seconds;
        double rowRate = seconds == 0 ? 0 : Math.max(0, rows - lastRows) / seconds;
        rowsByTable.forEach((table, n) -> {
            double[] r = tableRates.computeIfAbsent(table, t -> new double[] {n, 0});
            if (seconds > 0) {
                double rate = Math.max(0, n - r[0]) / seconds;
                r[1] = r[1] == 0 ? rate : SMOOTHING * rate + (1 - SMOOTHING) * r[1];
            }
            r[0] = n;
        });
        if (points.size() == POINTS) {
            points.removeFirst();
        }
        points.addLast(new Point(nowMillis, stats.lastLagMillis(), backlog.get().orElse(-1), changeRate, rowRate));
        lastAt = nowMillis;
        lastChanges = changes;
        lastRows = rows;
    }

    /** The samples, oldest first. */
    public synchronized List<Point> points() {
        return List.copyOf(points);
    }

    /** A table's smoothed full-load rate in rows/s; 0 before two samples saw it. */
    public synchronized double rowsPerSecond(TableId table) {
        double[] r = tableRates.get(table);
        return r == null ? 0 : r[1];
    }

    /** The newest sample, or null before the first. */
    public synchronized Point latest() {
        return points.peekLast();
    }

    /** Seconds until {@code remaining} rows are read at {@code rate} rows/s; -1 when that cannot be told. */
    public static long etaSeconds(long remaining, double rate) {
        if (remaining <= 0) {
            return 0;
        }
        return rate <= 0 ? -1 : (long) Math.ceil(remaining / rate);
    }
}
