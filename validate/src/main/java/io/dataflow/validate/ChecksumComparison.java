package io.dataflow.validate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Compares a key range of two database tables by checksums computed inside both databases at once: first the range's
 * row count and hash sum on each side (equal: done, no row moved); when they differ, the range is cut into about
 * {@value #BUCKETS} buckets of consecutive keys, each side returns every bucket's count and sum in one more pass over
 * the range, and only the buckets whose sums differ are looked at again — read row by row
 * ({@link RangeComparison}) once they hold at most {@value #ROWS_COMPARED_DIRECTLY} keys, otherwise bucketed again.
 * Equal ranges move no rows, and a few differing rows cost one more read of a few thousand keys each. When more than a
 * quarter of a range's buckets differ, its rows are streamed at once instead (cheaper than hashing them again).
 */
final class ChecksumComparison {
    /** Buckets a range is cut into. */
    static final int BUCKETS = 1024;
    /** A differing bucket of at most this many keys is compared row by row. */
    static final long ROWS_COMPARED_DIRECTLY = 4_096;

    private final String table;
    private final JdbcSide source;
    private final JdbcSide target;
    private final Columns columns;
    private final ChecksumForm form;
    private final long tableMin;
    private final long tableMax;
    private final int maxDiffs;
    /** Runs the target's half of each checksum while the calling thread runs the source's. */
    private final java.util.concurrent.Executor targetWork;

    /**
     * @param form     how both sides checksum
     * @param tableMin the smallest key when the ranges were planned, standing in for an open lower bound
     * @param tableMax the largest, standing in for an open upper bound
     * @param targetWork threads for the target's half of each checksum (as many as ranges run at once)
     */
    ChecksumComparison(String table, JdbcSide source, JdbcSide target, Columns columns, ChecksumForm form, long tableMin, long tableMax,
            int maxDiffs, java.util.concurrent.Executor targetWork) {
        this.targetWork = targetWork;
        this.table = table;
        this.source = source;
        this.target = target;
        this.columns = columns;
        this.form = form;
        this.tableMin = tableMin;
        this.tableMax = tableMax;
        this.maxDiffs = maxDiffs;
    }

    /** Compares a range: equal buckets counted, differing ones narrowed down to their rows. */
    TableResult compare(KeyRange range) throws Exception {
        long start = System.nanoTime();
        Object[] sums = both(() -> source.checksum(range, form), () -> target.checksum(range, form));
        if (sums[0].equals(sums[1])) {
            return equal(rows((String) sums[0]), start);
        }
        if (range.isAll()) {
            return RangeComparison.compare(table, source, target, range, columns, maxDiffs);
        }
        return narrow(range, start);
    }

    /** A range whose sums differ: bucketed, equal buckets counted, differing ones compared row by row or narrowed again. */
    private TableResult narrow(KeyRange range, long start) throws Exception {
        long lo = range.from() != null ? range.from().longValueExact() : tableMin;
        long hi = range.to() != null ? range.to().longValueExact() : tableMax + 1;
        if (hi - lo <= ROWS_COMPARED_DIRECTLY) {
            return RangeComparison.compare(table, source, target, range, columns, maxDiffs);
        }
        long width = Math.max(1, (hi - lo + BUCKETS - 1) / BUCKETS);
        Object[] maps = both(() -> source.bucketChecksums(range, form, lo, hi, width),
                () -> target.bucketChecksums(range, form, lo, hi, width));
        @SuppressWarnings("unchecked")
        Map<Long, String> ours = (Map<Long, String>) maps[0];
        @SuppressWarnings("unchecked")
        Map<Long, String> theirs = (Map<Long, String>) maps[1];
        TreeSet<Long> differing = new TreeSet<>();
        long equalRows = 0;
        for (Map.Entry<Long, String> e : ours.entrySet()) {
            if (e.getValue().equals(theirs.get(e.getKey()))) {
                equalRows += rows(e.getValue());
            } else {
                differing.add(e.getKey());
            }
        }
        for (Long b : theirs.keySet()) {
            if (!ours.containsKey(b)) {
                differing.add(b);
            }
        }
        if (differing.size() > Math.max(4, Math.max(ours.size(), theirs.size()) / 4)) {
            return RangeComparison.compare(table, source, target, range, columns, maxDiffs);
        }
        List<TableResult> parts = new ArrayList<>();
        parts.add(equal(equalRows, start));
        for (KeyRange sub : ranges(range, differing, lo, hi, width)) {
            Optional<Long> span = span(sub);
            parts.add(span.isPresent() && span.get() > ROWS_COMPARED_DIRECTLY ? narrow(sub, System.nanoTime())
                    : RangeComparison.compare(table, source, target, sub, columns, maxDiffs));
        }
        return TableResult.merge(table, target.describe(), parts, (System.nanoTime() - start) / 1_000_000, maxDiffs);
    }

    /** The key ranges of the differing buckets, neighbours joined. */
    static List<KeyRange> ranges(KeyRange range, TreeSet<Long> buckets, long lo, long hi, long width) {
        List<KeyRange> out = new ArrayList<>();
        BigDecimal from = null;
        BigDecimal to = null;
        boolean open = false;
        List<Long> inKeyOrder = new ArrayList<>();
        if (buckets.contains(-1L)) {
            inKeyOrder.add(-1L); // below lo
        }
        inKeyOrder.addAll(buckets.tailSet(0L));
        if (buckets.contains(-2L)) {
            inKeyOrder.add(-2L); // from hi on
        }
        for (long b : inKeyOrder) {
            BigDecimal f;
            BigDecimal t;
            if (b == -1) {
                f = range.from();
                t = BigDecimal.valueOf(lo);
            } else if (b == -2) {
                f = BigDecimal.valueOf(hi);
                t = range.to();
            } else {
                f = BigDecimal.valueOf(lo + b * width);
                t = BigDecimal.valueOf(Math.min(hi, lo + (b + 1) * width));
            }
            if (open && to != null && f != null && to.compareTo(f) == 0) {
                to = t;
            } else {
                if (open) {
                    out.add(new KeyRange(from, to));
                }
                from = f;
                to = t;
                open = true;
            }
        }
        if (open) {
            out.add(new KeyRange(from, to));
        }
        return out;
    }

    /** The number of keys a range spans; empty when it is open. */
    private static Optional<Long> span(KeyRange r) {
        return r.from() == null || r.to() == null ? Optional.empty() : Optional.of(r.to().longValueExact() - r.from().longValueExact());
    }

    private TableResult equal(long rows, long start) {
        return new TableResult(table, target.describe(), rows, rows, 0, 0, 0, 0, (System.nanoTime() - start) / 1_000_000, List.of(), "");
    }

    private static long rows(String sum) {
        return Long.parseLong(sum.substring(0, sum.indexOf(':')));
    }

    /** Something a side computes. */
    private interface Work {
        Object get() throws Exception;
    }

    /** Runs both sides' work at once (the target's on another thread) and returns both results. */
    private Object[] both(Work ours, Work theirs) throws Exception {
        CompletableFuture<Object> other = CompletableFuture.supplyAsync(() -> {
            try {
                return theirs.get();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, targetWork);
        Object mine = ours.get();
        Object[] out = new Object[2];
        out[0] = mine;
        try {
            out[1] = other.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
        return out;
    }
}
