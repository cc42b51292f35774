package io.dataflow.runtime;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of what sinks do on their own schedule (the processed zone's commits and maintenance), for metrics
 * ({@code dataflow_<name>_total}) and the run summary. One instance per pipeline; thread-safe.
 */
public final class SinkCounters {
    /** Iceberg commits of changes to processed tables. */
    public static final String PROCESSED_COMMITS = "processed.commits";
    /** Compactions of processed tables (one per table and partition rewritten). */
    public static final String PROCESSED_COMPACTIONS = "processed.compactions";
    /** Data and delete files removed from the current state by compaction. */
    public static final String PROCESSED_FILES_COMPACTED = "processed.files.compacted";
    /** Snapshots expired. */
    public static final String PROCESSED_SNAPSHOTS_EXPIRED = "processed.snapshots.expired";
    /** Files no snapshot references (left by a crash mid-commit) removed. */
    public static final String PROCESSED_ORPHANS_REMOVED = "processed.orphan.files.removed";
    /** Values an update did not send (unchanged TOAST) that were found neither staged nor in the table. */
    public static final String PROCESSED_UNFILLED_VALUES = "processed.unfilled.values";
    /** Source schema changes a database target applied (columns added, dropped, renamed, widened; tables created). */
    public static final String SCHEMA_CHANGES_APPLIED = "schema.changes.applied";
    /** Source schema changes a database target left as they were (narrowing types, or ddl: ignore); each is logged. */
    public static final String SCHEMA_CHANGES_LEFT = "schema.changes.left";
    public static final List<String> NAMES = List.of(PROCESSED_COMMITS, PROCESSED_COMPACTIONS, PROCESSED_FILES_COMPACTED,
            PROCESSED_SNAPSHOTS_EXPIRED, PROCESSED_ORPHANS_REMOVED, PROCESSED_UNFILLED_VALUES, SCHEMA_CHANGES_APPLIED, SCHEMA_CHANGES_LEFT);

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    public void add(String name, long n) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown sink counter " + name);
        }
        counts.computeIfAbsent(name, k -> new LongAdder()).add(n);
    }

    public long get(String name) {
        LongAdder n = counts.get(name);
        return n == null ? 0 : n.sum();
    }

    /** Every counter that moved, by name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
