package io.dataflow.runtime;

import io.dataflow.api.TableId;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one pipeline run, read by progress output, the status page, metrics and the CLI's summary: rows and
 * changes per table, the full load's row estimates, the phase, flushes, checkpoints (and when the last one was saved),
 * restarts by cause, the commit-to-durable lag, and the recent warnings and errors. Thread-safe.
 */
public final class PipelineStats {
    /** What the pipeline is doing. */
    public enum Phase {
        /** Connecting, recovering the sinks. */
        STARTING,
        /** Loading the tables (changes may stream beside the load). */
        FULL_LOAD,
        /** The load is done (or there is none): following the change stream. */
        STREAMING,
        /** Waiting to resume from the last checkpoint after a failure. */
        RETRYING,
        /** Ended: done, stopped or failed. */
        STOPPED
    }

    /** A warning or error worth showing an operator: when (epoch ms), how bad, what. */
    public record Event(long atMillis, String level, String message) {}

    /** How many recent warnings and errors are kept. */
    public static final int RECENT_EVENTS = 50;

    private final Map<TableId, Long> estimatedRows = new TreeMap<>();
    private final Map<String, AtomicLong> restartsByCause = new TreeMap<>();
    private final java.util.ArrayDeque<Event> events = new java.util.ArrayDeque<>();
    private final java.util.List<java.util.function.LongConsumer> lagListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Phase phase = Phase.STARTING;
    private volatile long lastCheckpointMillis = -1;
    private volatile long fullLoadStartMillis = -1;
    private volatile long fullLoadEndMillis = -1;
    /** Commit time (epoch ms) of the oldest change staged since the last checkpoint; -1 when none waits. */
    private volatile long oldestStagedCommitMillis = -1;
    private final Map<TableId, AtomicLong> fullLoadRows = new TreeMap<>();
    private final Map<TableId, AtomicLong> changes = new TreeMap<>();
    /** Events counted since the last checkpoint, per table and kind: a restart replays them, so they are uncounted then. */
    private final Map<TableId, long[]> staged = new TreeMap<>();
    private final AtomicLong replayed = new AtomicLong();
    private final Map<FlushTrigger, AtomicLong> flushes = new EnumMap<>(FlushTrigger.class);
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong checkpoints = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    private volatile long lastLagMillis = -1;
    private volatile long maxLagMillis = -1;
    private volatile boolean fullLoadDone;

    synchronized void countEvent(TableId table, boolean fullLoad, long commitMicros) {
        (fullLoad ? fullLoadRows : changes).computeIfAbsent(table, t -> new AtomicLong()).incrementAndGet();
        staged.computeIfAbsent(table, t -> new long[2])[fullLoad ? 0 : 1]++;
        if (!fullLoad && oldestStagedCommitMillis < 0) {
            oldestStagedCommitMillis = commitMicros / 1000;
        }
    }

    /** Changes received and not yet durable (staged since the last checkpoint). */
    public synchronized long stagedChanges() {
        long n = 0;
        for (long[] s : staged.values()) {
            n += s[1];
        }
        return n;
    }

    /**
     * The lag as of {@code nowMillis}: while changes wait to be made durable, the age of the oldest of them (if larger
     * than the last flush's lag); otherwise {@link #lastLagMillis()}.
     */
    public long currentLagMillis(long nowMillis) {
        long oldest = oldestStagedCommitMillis;
        long last = lastLagMillis;
        return oldest < 0 ? last : Math.max(last, nowMillis - oldest);
    }

    /** Staged events were dropped before a restart from the checkpoint, which delivers them again: count them once. */
    synchronized void dropStaged() {
        staged.forEach((table, n) -> {
            fullLoadRows.computeIfAbsent(table, t -> new AtomicLong()).addAndGet(-n[0]);
            changes.computeIfAbsent(table, t -> new AtomicLong()).addAndGet(-n[1]);
            replayed.addAndGet(n[0] + n[1]);
        });
        staged.clear();
        oldestStagedCommitMillis = -1;
        fullLoadRows.values().removeIf(v -> v.get() == 0);
        changes.values().removeIf(v -> v.get() == 0);
    }

    /** The source's own snapshot starts over (its rows were dropped by the sinks): its rows are counted again from zero. */
    synchronized void restartFullLoad() {
        fullLoadRows.forEach((table, n) -> replayed.addAndGet(n.get()));
        fullLoadRows.clear();
        staged.values().forEach(n -> n[0] = 0);
    }

    /** Events delivered again after a restart (already counted once), since start. */
    public long replayed() {
        return replayed.get();
    }

    synchronized void countFlush(FlushTrigger trigger, int filesWritten, long bytesWritten) {
        flushes.computeIfAbsent(trigger, t -> new AtomicLong()).incrementAndGet();
        files.addAndGet(filesWritten);
        bytes.addAndGet(bytesWritten);
    }

    /** Counts a chunk loaded outside the change stream (the parallel full load): its rows, one file per sink, its bytes. */
    public synchronized void addFullLoadChunk(TableId table, long rows, long bytes) {
        fullLoadRows.computeIfAbsent(table, t -> new AtomicLong()).addAndGet(rows);
        files.incrementAndGet();
        this.bytes.addAndGet(bytes);
    }

    synchronized void countCheckpoint(long atMillis) {
        checkpoints.incrementAndGet();
        lastCheckpointMillis = atMillis;
        staged.clear();
        oldestStagedCommitMillis = -1;
    }

    /** A restart after a failure; {@code cause} is a short word (source, storage, ...) for metrics. */
    synchronized void countRestart(String cause) {
        restarts.incrementAndGet();
        restartsByCause.computeIfAbsent(cause, c -> new AtomicLong()).incrementAndGet();
    }

    void lag(long millis) {
        lastLagMillis = millis;
        if (millis > maxLagMillis) {
            maxLagMillis = millis;
        }
        for (java.util.function.LongConsumer l : lagListeners) {
            l.accept(millis);
        }
    }

    /** The stream is idle and everything it delivered is durable: the lag is zero (not the last flush's). */
    void caughtUp() {
        lastLagMillis = 0;
    }

    /** Called with each commit-to-durable lag measured (once per flush that holds changes), e.g. for a histogram. */
    public void onLag(java.util.function.LongConsumer listener) {
        lagListeners.add(listener);
    }

    void fullLoadDone(long atMillis) {
        if (!fullLoadDone && fullLoadStartMillis >= 0) {
            fullLoadEndMillis = atMillis;
        }
        fullLoadDone = true;
    }

    /** The pipeline moved to {@code next} at {@code atMillis} (set by the pipeline that owns these counters). */
    public void phase(Phase next, long atMillis) {
        if (next == Phase.FULL_LOAD && fullLoadStartMillis < 0) {
            fullLoadStartMillis = atMillis;
        }
        phase = next;
    }

    /** Records a warning or error for the status page (the newest {@value #RECENT_EVENTS} are kept). */
    public synchronized void event(long atMillis, String level, String message) {
        if (events.size() == RECENT_EVENTS) {
            events.removeFirst();
        }
        events.addLast(new Event(atMillis, level, message));
    }

    /** The source's estimate of each selected table's rows (from table statistics), for progress and ETA. */
    public synchronized void expect(Map<TableId, Long> estimates) {
        estimatedRows.clear();
        estimatedRows.putAll(estimates);
    }

    public synchronized Map<TableId, Long> estimatedRows() {
        return new TreeMap<>(estimatedRows);
    }

    /**
     * The rows the full load should reach: per table the larger of the source's estimate and what was loaded (table
     * statistics lag behind), summed.
     */
    public synchronized long expectedFullLoadRows() {
        long n = 0;
        for (Map.Entry<TableId, Long> e : estimatedRows.entrySet()) {
            AtomicLong loaded = fullLoadRows.get(e.getKey());
            n += Math.max(e.getValue(), loaded == null ? 0 : loaded.get());
        }
        return n;
    }

    /** Every table known to the run: selected (with an estimate), loaded, or changed. */
    public synchronized java.util.Set<TableId> tables() {
        java.util.Set<TableId> out = new java.util.TreeSet<>(estimatedRows.keySet());
        out.addAll(fullLoadRows.keySet());
        out.addAll(changes.keySet());
        return out;
    }

    public synchronized Map<String, Long> restartsByCause() {
        Map<String, Long> out = new TreeMap<>();
        restartsByCause.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** The recent warnings and errors, oldest first. */
    public synchronized java.util.List<Event> recentEvents() {
        return java.util.List.copyOf(events);
    }

    public Phase phase() {
        return phase;
    }

    /** When the last checkpoint was saved (epoch ms), -1 before the first of this run. */
    public long lastCheckpointMillis() {
        return lastCheckpointMillis;
    }

    /** When this run's full load started (epoch ms), -1 when it did not load. */
    public long fullLoadStartMillis() {
        return fullLoadStartMillis;
    }

    /** When this run's full load ended (epoch ms), -1 while it runs or when it did not load. */
    public long fullLoadEndMillis() {
        return fullLoadEndMillis;
    }

    public synchronized Map<TableId, Long> fullLoadRows() {
        Map<TableId, Long> out = new TreeMap<>();
        fullLoadRows.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public synchronized Map<TableId, Long> changes() {
        Map<TableId, Long> out = new TreeMap<>();
        changes.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public synchronized Map<FlushTrigger, Long> flushes() {
        Map<FlushTrigger, Long> out = new EnumMap<>(FlushTrigger.class);
        flushes.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public long totalFullLoadRows() {
        return fullLoadRows().values().stream().mapToLong(Long::longValue).sum();
    }

    public long totalChanges() {
        return changes().values().stream().mapToLong(Long::longValue).sum();
    }

    public long files() {
        return files.get();
    }

    public long bytes() {
        return bytes.get();
    }

    public long checkpoints() {
        return checkpoints.get();
    }

    public long restarts() {
        return restarts.get();
    }

    /**
     * Commit-to-durable lag of the newest change at the last flush, in ms, or 0 once the stream is idle and everything
     * it delivered is durable; -1 before either.
     */
    public long lastLagMillis() {
        return lastLagMillis;
    }

    public long maxLagMillis() {
        return maxLagMillis;
    }

    public boolean isFullLoadDone() {
        return fullLoadDone;
    }
}
