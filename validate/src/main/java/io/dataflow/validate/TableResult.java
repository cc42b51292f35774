package io.dataflow.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What comparing one table with one target found.
 *
 * @param table     the source table
 * @param target    the target, as the report names it
 * @param compared  source rows compared
 * @param checksummed of those, rows proven equal by checksums computed inside both databases (never read)
 * @param missing   source rows the target lacks
 * @param extra     target rows the source lacks
 * @param differing rows present on both sides with a different value
 * @param notHeld   rows whose target holds, for some column, what the documented conversion of a value the target
 *                  cannot hold gives (NULL, NUL characters dropped): reported with the reason, not as differences
 * @param millis    elapsed time
 * @param diffs     the first differences, in key order per range
 * @param error     why the table could not be compared; empty when it was
 */
public record TableResult(String table, String target, long compared, long checksummed, long missing, long extra, long differing, long notHeld, long millis,
        List<Difference> diffs, String error) {

    public boolean equal() {
        return error.isEmpty() && missing == 0 && extra == 0 && differing == 0;
    }

    public long rowsPerSecond() {
        return millis == 0 ? compared : compared * 1000 / millis;
    }

    /**
     * One difference.
     *
     * @param kind    {@code missing} (in the target), {@code extra} (in the target), {@code different}, or {@code not held}
     * @param key     the key columns and their values (normal form)
     * @param columns for {@code different}: each differing column with the source's and the target's value
     */
    public record Difference(String kind, Map<String, String> key, List<ColumnDifference> columns) {}

    /**
     * A differing column.
     *
     * @param reason for a value the target cannot hold: the conversion rule that explains the target's value; else null
     */
    public record ColumnDifference(String column, String source, String target, String reason) {
        public ColumnDifference(String column, String source, String target) {
            this(column, source, target, null);
        }
    }

    /** Adds up the results of a table's ranges. */
    static TableResult merge(String table, String target, List<TableResult> parts, long millis, int maxDiffs) {
        long compared = 0;
        long checksummed = 0;
        long missing = 0;
        long extra = 0;
        long differing = 0;
        long notHeld = 0;
        List<Difference> diffs = new ArrayList<>();
        for (TableResult p : parts) {
            compared += p.compared;
            checksummed += p.checksummed;
            missing += p.missing;
            extra += p.extra;
            differing += p.differing;
            notHeld += p.notHeld;
            for (Difference d : p.diffs) {
                if (diffs.size() < maxDiffs) {
                    diffs.add(d);
                }
            }
        }
        return new TableResult(table, target, compared, checksummed, missing, extra, differing, notHeld, millis, diffs, "");
    }
}
