package io.dataflow.runtime;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Values a target cannot hold and that were written as NULL (or changed), counted per table column and reason. */
public final class ValueIssues {
    private static final Logger LOG = LoggerFactory.getLogger(ValueIssues.class);
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Counts one value; logs the first of each kind. */
    public void count(String column, String reason) {
        String key = column + ": " + reason;
        LongAdder n = counts.computeIfAbsent(key, k -> {
            LOG.warn("{} (counted; further ones are not logged)", k);
            return new LongAdder();
        });
        n.increment();
    }

    /** {@code "table.column: reason" -> count}, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
