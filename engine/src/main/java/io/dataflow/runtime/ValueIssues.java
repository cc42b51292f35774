package io.dataflow.runtime;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Values that were converted on the way because their destination cannot hold them as they are (written as NULL or
 * changed), counted per table column and reason. One instance per pipeline and side (source, targets).
 */
public final class ValueIssues {
    private static final Logger LOG = LoggerFactory.getLogger(ValueIssues.class);

    private record Issue(String column, String reason) {}

    private final Map<Issue, LongAdder> counts = new ConcurrentHashMap<>();

    /** Counts one value; logs the first of each kind. */
    public void count(String column, String reason) {
        LongAdder n = counts.computeIfAbsent(new Issue(column, reason), k -> {
            LOG.warn("{}: {} (counted; further ones are not logged)", column, reason);
            return new LongAdder();
        });
        n.increment();
    }

    /** {@code "table.column: reason" -> count}, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k.column() + ": " + k.reason(), v.sum()));
        return out;
    }

    /** {@code reason -> (table.column -> count)}, sorted. */
    public Map<String, Map<String, Long>> byReason() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        counts.forEach((k, v) -> out.computeIfAbsent(k.reason(), r -> new TreeMap<>()).put(k.column(), v.sum()));
        return out;
    }
}
