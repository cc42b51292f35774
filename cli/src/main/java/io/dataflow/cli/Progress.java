package io.dataflow.cli;

import io.dataflow.api.TableId;
import io.dataflow.cli.ops.StatusHistory;
import io.dataflow.runtime.PipelineStats;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints progress every few seconds while a pipeline runs: a total line and, during the full load, one line per table
 * being loaded with rows/s and ETA (from the source's row estimates). On a terminal the block is redrawn in place;
 * otherwise (a log file, a pipe) plain lines are appended.
 */
final class Progress implements AutoCloseable {
    /** Tables shown one per line during the full load; the rest are summed up in one line. */
    static final int TABLE_LINES = 8;

    private final PipelineStats stats;
    private final PrintWriter out;
    private final boolean terminal;
    private final StatusHistory history;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dataflow-progress");
        t.setDaemon(true);
        return t;
    });
    private final long startMillis = System.currentTimeMillis();
    private int linesDrawn;

    Progress(PipelineStats stats, PrintWriter out, long periodSeconds, boolean terminal) {
        this.stats = stats;
        this.out = out;
        this.terminal = terminal;
        this.history = new StatusHistory(stats, OptionalLong::empty);
        history.sample(startMillis);
        timer.scheduleAtFixedRate(this::print, periodSeconds, periodSeconds, TimeUnit.SECONDS);
    }

    private synchronized void print() {
        long now = System.currentTimeMillis();
        history.sample(now);
        List<String> lines = lines(stats, history, (now - startMillis) / 1000);
        if (terminal && linesDrawn > 0) {
            out.print("\033[" + linesDrawn + "A\033[J"); // up over the previous block, clear to the end
        }
        lines.forEach(out::println);
        linesDrawn = terminal ? lines.size() : 0;
        out.flush();
    }

    /** The block printed at one instant: the total, then the tables still loading. */
    static List<String> lines(PipelineStats s, StatusHistory history, long elapsedSeconds) {
        StatusHistory.Point latest = history.latest();
        double rowRate = latest == null ? 0 : latest.rowsPerSecond();
        double changeRate = latest == null ? 0 : latest.changesPerSecond();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "[%4ds] %s | changes: %,d (%,.0f/s) | files: %,d (%s) | checkpoints: %,d | lag: %s",
                elapsedSeconds, fullLoad(s, rowRate), s.totalChanges(), changeRate, s.files(), Units.bytes(s.bytes()), s.checkpoints(),
                lag(s, latest == null ? System.currentTimeMillis() : latest.atMillis())));
        if (s.isFullLoadDone() || s.phase() != PipelineStats.Phase.FULL_LOAD) {
            return lines;
        }
        Map<TableId, Long> rows = s.fullLoadRows();
        List<String> loading = new ArrayList<>();
        long otherRows = 0;
        int others = 0;
        for (Map.Entry<TableId, Long> e : s.estimatedRows().entrySet()) {
            long loaded = rows.getOrDefault(e.getKey(), 0L);
            double rate = history.rowsPerSecond(e.getKey());
            if (loaded == 0 || (loaded >= e.getValue() && rate == 0)) {
                continue; // not started, or done
            }
            if (loading.size() < TABLE_LINES) {
                loading.add(String.format(Locale.ROOT, "         %s: %s", e.getKey(), progress(loaded, e.getValue(), rate)));
            } else {
                others++;
                otherRows += loaded;
            }
        }
        lines.addAll(loading);
        if (others > 0) {
            lines.add(String.format(Locale.ROOT, "         and %d more table(s) loading: %,d rows", others, otherRows));
        }
        return lines;
    }

    private static String lag(PipelineStats s, long nowMillis) {
        long lag = s.currentLagMillis(nowMillis);
        return lag < 0 ? "-" : lag + " ms";
    }

    private static String fullLoad(PipelineStats s, double rate) {
        long loaded = s.totalFullLoadRows();
        if (s.isFullLoadDone() || s.phase() != PipelineStats.Phase.FULL_LOAD) {
            return String.format(Locale.ROOT, "full load: %,d rows%s", loaded, s.isFullLoadDone() ? " (done)" : "");
        }
        return "full load: " + progress(loaded, s.expectedFullLoadRows(), rate);
    }

    /** "1,234 of ~5,000 rows (24%), 2,000 rows/s, ETA 2 s"; the estimate comes from table statistics, so it is approximate. */
    static String progress(long loaded, long estimated, double rate) {
        if (estimated <= 0) {
            return String.format(Locale.ROOT, "%,d rows, %,.0f rows/s", loaded, rate);
        }
        long eta = StatusHistory.etaSeconds(estimated - loaded, rate);
        return String.format(Locale.ROOT, "%,d of ~%,d rows (%d%%), %,.0f rows/s, ETA %s", loaded, estimated,
                Math.min(100, loaded * 100 / estimated), rate, eta < 0 ? "-" : Units.duration(eta));
    }

    /** The summary's first line. */
    static String line(PipelineStats s) {
        return String.format(Locale.ROOT, "full load: %,d rows%s | changes: %,d | files: %,d (%s) | checkpoints: %,d | lag: %s",
                s.totalFullLoadRows(), s.isFullLoadDone() ? " (done)" : "", s.totalChanges(), s.files(), Units.bytes(s.bytes()),
                s.checkpoints(), s.lastLagMillis() < 0 ? "-" : s.lastLagMillis() + " ms");
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
