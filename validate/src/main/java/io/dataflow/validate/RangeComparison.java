package io.dataflow.validate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Compares one key range of a table: both sides streamed in key order and merged, in constant memory. */
final class RangeComparison {
    private RangeComparison() {}

    static TableResult compare(String table, TableSide source, TableSide target, KeyRange range, Columns columns, int maxDiffs)
            throws Exception {
        long start = System.nanoTime();
        long compared = 0;
        long missing = 0;
        long extra = 0;
        long differing = 0;
        long notHeld = 0;
        NotHeld.Store store = target.store();
        List<TableResult.Difference> diffs = new ArrayList<>();
        try (TableSide.Rows s = source.rows(range); TableSide.Rows t = target.rows(range)) {
            Row a = s.hasNext() ? s.next() : null;
            Row b = t.hasNext() ? t.next() : null;
            while (a != null || b != null) {
                int c = a == null ? 1 : b == null ? -1 : ValueForm.compareKeys(a.key(), b.key());
                if (c < 0) {
                    compared++;
                    missing++;
                    add(diffs, maxDiffs, new TableResult.Difference("missing", key(a, columns), List.of()));
                    a = s.hasNext() ? s.next() : null;
                } else if (c > 0) {
                    extra++;
                    add(diffs, maxDiffs, new TableResult.Difference("extra", key(b, columns), List.of()));
                    b = t.hasNext() ? t.next() : null;
                } else {
                    compared++;
                    List<TableResult.ColumnDifference> cols = null;
                    List<TableResult.ColumnDifference> held = null;
                    for (int i = columns.keys(); i < columns.size(); i++) {
                        ValueForm.Hint hint = columns.hints().get(i);
                        if (!ValueForm.same(a.values()[i], b.values()[i], hint)) {
                            java.util.Optional<String> why = NotHeld.reason(a.values()[i], b.values()[i], store);
                            TableResult.ColumnDifference d = new TableResult.ColumnDifference(columns.source().get(i),
                                    ValueForm.of(a.values()[i], hint), ValueForm.of(b.values()[i], hint), why.orElse(null));
                            if (why.isPresent()) {
                                held = held == null ? new ArrayList<>() : held;
                                held.add(d);
                            } else {
                                cols = cols == null ? new ArrayList<>() : cols;
                                cols.add(d);
                            }
                        }
                    }
                    if (cols != null) {
                        differing++;
                        add(diffs, maxDiffs, new TableResult.Difference("different", key(a, columns), cols));
                    } else if (held != null) {
                        notHeld++;
                        add(diffs, maxDiffs, new TableResult.Difference("not held", key(a, columns), held));
                    }
                    a = s.hasNext() ? s.next() : null;
                    b = t.hasNext() ? t.next() : null;
                }
            }
        }
        return new TableResult(table, target.describe(), compared, 0, missing, extra, differing, notHeld, (System.nanoTime() - start) / 1_000_000,
                diffs, "");
    }

    private static void add(List<TableResult.Difference> diffs, int max, TableResult.Difference d) {
        if (diffs.size() < max) {
            diffs.add(d);
        }
    }

    private static Map<String, String> key(Row r, Columns columns) {
        Map<String, String> key = new LinkedHashMap<>();
        for (int i = 0; i < columns.keys(); i++) {
            key.put(columns.source().get(i), ValueForm.of(r.values()[i], columns.hints().get(i)));
        }
        return key;
    }
}
