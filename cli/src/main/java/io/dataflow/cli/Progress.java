package io.dataflow.cli;

import io.dataflow.runtime.PipelineStats;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Prints a progress line every few seconds while a pipeline runs. */
final class Progress implements AutoCloseable {
    private final PipelineStats stats;
    private final PrintWriter out;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dataflow-progress");
        t.setDaemon(true);
        return t;
    });
    private final long startNanos = System.nanoTime();
    private long lastRows;
    private long lastNanos = startNanos;

    Progress(PipelineStats stats, PrintWriter out, long periodSeconds) {
        this.stats = stats;
        this.out = out;
        timer.scheduleAtFixedRate(this::print, periodSeconds, periodSeconds, TimeUnit.SECONDS);
    }

    private synchronized void print() {
        long now = System.nanoTime();
        long rows = stats.totalFullLoadRows() + stats.totalChanges();
        double rate = (rows - lastRows) / Math.max(1e-9, (now - lastNanos) / 1e9);
        lastRows = rows;
        lastNanos = now;
        out.println(line(stats, rate, (now - startNanos) / 1_000_000_000L));
        out.flush();
    }

    static String line(PipelineStats s, double rate, long elapsedSeconds) {
        return String.format(Locale.ROOT, "[%4ds] full load: %,d rows%s | changes: %,d | %,.0f rows/s | files: %,d (%s) | checkpoints: %,d | lag: %s",
                elapsedSeconds, s.totalFullLoadRows(), s.isFullLoadDone() ? " (done)" : "", s.totalChanges(), rate, s.files(),
                bytes(s.bytes()), s.checkpoints(), s.lastLagMillis() < 0 ? "-" : s.lastLagMillis() + " ms");
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1 << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / 1048576.0);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
