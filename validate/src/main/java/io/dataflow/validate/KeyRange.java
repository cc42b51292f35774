package io.dataflow.validate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A range of a single integer key, {@code from <= key < to} (a null bound is open), or the whole table: the unit of
 * parallel work and of memory for sides that cannot stream in key order.
 */
record KeyRange(BigDecimal from, BigDecimal to) {
    static final KeyRange ALL = new KeyRange(null, null);

    boolean isAll() {
        return from == null && to == null;
    }

    /** {@code n} ranges covering [min, max] (integers), the first and last open so rows outside are compared too. */
    static List<KeyRange> split(long min, long max, int n) {
        List<KeyRange> out = new ArrayList<>();
        if (n <= 1 || max - min < n) {
            out.add(ALL);
            return out;
        }
        long step = Math.max(1, (max - min + 1) / n);
        BigDecimal prev = null;
        for (int i = 1; i < n; i++) {
            BigDecimal bound = BigDecimal.valueOf(min + step * i);
            out.add(new KeyRange(prev, bound));
            prev = bound;
        }
        out.add(new KeyRange(prev, null));
        return out;
    }

    /**
     * {@code n} ranges that together cover this one, splitting {@code [lo, hi]} (this range's extent, with the table's
     * smallest and largest key standing in for open bounds); the outer bounds stay this range's own.
     */
    List<KeyRange> within(long lo, long hi, int n) {
        List<KeyRange> out = new ArrayList<>();
        long step = Math.max(1, (hi - lo + 1) / n);
        BigDecimal prev = from;
        for (int i = 1; i < n; i++) {
            long b = lo + step * i;
            if (b > hi) {
                break;
            }
            BigDecimal bound = BigDecimal.valueOf(b);
            out.add(new KeyRange(prev, bound));
            prev = bound;
        }
        out.add(new KeyRange(prev, to));
        return out;
    }

    @Override
    public String toString() {
        return isAll() ? "all rows" : "[" + (from == null ? "-inf" : from) + ", " + (to == null ? "+inf" : to) + ")";
    }
}
