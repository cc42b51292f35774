package io.dataflow.runtime;

import io.dataflow.api.TableId;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of one pipeline run, read by progress output and the CLI's summary. Thread-safe. */
public final class PipelineStats {
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

    synchronized void countEvent(TableId table, boolean fullLoad) {
        (fullLoad ? fullLoadRows : changes).computeIfAbsent(table, t -> new AtomicLong()).incrementAndGet();
        staged.computeIfAbsent(table, t -> new long[2])[fullLoad ? 0 : 1]++;
    }

    /** Staged events were dropped before a restart from the checkpoint, which delivers them again: count them once. */
    synchronized void dropStaged() {
        staged.forEach((table, n) -> {
            fullLoadRows.computeIfAbsent(table, t -> new AtomicLong()).addAndGet(-n[0]);
            changes.computeIfAbsent(table, t -> new AtomicLong()).addAndGet(-n[1]);
            replayed.addAndGet(n[0] + n[1]);
        });
        staged.clear();
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

    synchronized void countCheckpoint() {
        checkpoints.incrementAndGet();
        staged.clear();
    }

    void countRestart() {
        restarts.incrementAndGet();
    }

    void lag(long millis) {
        lastLagMillis = millis;
        if (millis > maxLagMillis) {
            maxLagMillis = millis;
        }
    }

    void fullLoadDone() {
        fullLoadDone = true;
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

    /** Commit-to-durable lag of the newest change at the last flush, in ms; -1 before the first change. */
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
