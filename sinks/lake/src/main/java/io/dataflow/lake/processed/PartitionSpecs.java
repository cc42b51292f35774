package io.dataflow.lake.processed;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;

/**
 * Iceberg partition specs from the pipeline file's {@code partition-by} lists: {@code year(c)}, {@code month(c)},
 * {@code day(c)}, {@code hour(c)}, {@code bucket(N, c)}, {@code truncate(W, c)}, {@code identity(c)} or a bare column.
 */
public final class PartitionSpecs {
    private static final Pattern CALL = Pattern.compile("\\s*(year|month|day|hour|identity)\\s*\\(\\s*([^,()]+?)\\s*\\)\\s*");
    private static final Pattern WIDTH = Pattern.compile("\\s*(bucket|truncate)\\s*\\(\\s*(\\d+)\\s*,\\s*([^,()]+?)\\s*\\)\\s*");
    private static final Pattern BARE = Pattern.compile("\\s*([^,()\\s]+)\\s*");

    private PartitionSpecs() {}

    /** Checks the syntax of one transform; returns a message naming the problem, or empty when it is valid. */
    public static String problem(String transform) {
        if (CALL.matcher(transform).matches() || BARE.matcher(transform).matches()) {
            return "";
        }
        Matcher w = WIDTH.matcher(transform);
        if (w.matches()) {
            return Integer.parseInt(w.group(2)) > 0 ? "" : "the width of " + w.group(1) + " must be positive";
        }
        return "'" + transform + "' is not a partition transform; expected year(col), month(col), day(col), hour(col),"
                + " bucket(N, col), truncate(W, col), identity(col) or a column name";
    }

    /** The spec of a table; a transform naming a column the table lacks is an error naming both. */
    static PartitionSpec of(Schema schema, String table, List<String> transforms) {
        if (transforms.isEmpty()) {
            return PartitionSpec.unpartitioned();
        }
        PartitionSpec.Builder b = PartitionSpec.builderFor(schema);
        for (String t : transforms) {
            Matcher call = CALL.matcher(t);
            Matcher width = WIDTH.matcher(t);
            Matcher bare = BARE.matcher(t);
            String column = call.matches() ? call.group(2) : width.matches() ? width.group(3) : bare.matches() ? bare.group(1) : null;
            if (column == null || schema.findField(column) == null) {
                throw new IllegalArgumentException("partition-by of " + table + ": "
                        + (column == null ? problem(t) : "column '" + column + "' does not exist in the table"));
            }
            try {
                if (call.matches()) {
                    switch (call.group(1)) {
                        case "year" -> b.year(column);
                        case "month" -> b.month(column);
                        case "day" -> b.day(column);
                        case "hour" -> b.hour(column);
                        default -> b.identity(column);
                    }
                } else if (width.matches()) {
                    int n = Integer.parseInt(width.group(2));
                    if (width.group(1).equals("bucket")) {
                        b.bucket(column, n);
                    } else {
                        b.truncate(column, n);
                    }
                } else {
                    b.identity(column);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("partition-by of " + table + ": " + t + " cannot be used on column '" + column
                        + "' of type " + schema.findField(column).type() + " (" + e.getMessage() + ")", e);
            }
        }
        return b.build();
    }
}
