package io.dataflow.validate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The outcome of a validation, as text for people and as JSON for tools. */
public record ValidationReport(List<TableResult> tables) {

    public boolean equal() {
        return tables.stream().allMatch(TableResult::equal);
    }

    public boolean failed() {
        return tables.stream().anyMatch(t -> !t.error().isEmpty());
    }

    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-32s %-44s %12s %12s %9s %9s %9s %9s %9s %11s%n", "table", "target", "compared", "by checksum", "missing", "extra",
                "differing", "not held", "seconds", "rows/s"));
        for (TableResult t : tables) {
            if (!t.error().isEmpty()) {
                b.append(String.format(Locale.ROOT, "%-32s %-44s NOT COMPARED: %s%n", t.table(), cut(t.target()), t.error()));
                continue;
            }
            b.append(String.format(Locale.ROOT, "%-32s %-44s %,12d %,12d %,9d %,9d %,9d %,9d %9.1f %,11d%n", t.table(), cut(t.target()), t.compared(),
                    t.checksummed(), t.missing(), t.extra(), t.differing(), t.notHeld(), t.millis() / 1000.0, t.rowsPerSecond()));
            for (TableResult.Difference d : t.diffs()) {
                b.append("  ").append(d.kind()).append(' ').append(d.key());
                for (TableResult.ColumnDifference c : d.columns()) {
                    b.append(" ").append(c.column()).append(": source ").append(show(c.source())).append(", target ").append(show(c.target()));
                    if (c.reason() != null) {
                        b.append(" (").append(c.reason()).append(')');
                    }
                }
                b.append('\n');
            }
            long shown = t.diffs().size();
            long all = t.missing() + t.extra() + t.differing() + t.notHeld();
            if (all > shown) {
                b.append("  ... and ").append(all - shown).append(" more (raise --max-diffs)\n");
            }
        }
        b.append(failed() ? "VALIDATION INCOMPLETE: some tables could not be compared\n"
                : equal() ? "DATA VALIDATION PASSED: every target equals its source, row for row" + notHeldNote() + "\n"
                : "DATA VALIDATION FAILED: the differences are listed above\n");
        return b.toString();
    }

    private String notHeldNote() {
        long n = tables.stream().mapToLong(TableResult::notHeld).sum();
        return n == 0 ? "" : String.format(Locale.ROOT, " (but for %,d row(s) holding values a target cannot hold, written as the"
                + " conversion rules say; listed above as 'not held')", n);
    }

    private static String show(String v) {
        return v == null ? "NULL" : "'" + (v.length() > 80 ? v.substring(0, 77) + "..." : v) + "'";
    }

    private static String cut(String s) {
        return s.length() > 44 ? "..." + s.substring(s.length() - 41) : s;
    }

    public void writeJson(Path file) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("result", failed() ? "incomplete" : equal() ? "equal" : "different");
        doc.put("tables", tables);
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc) + "\n");
    }
}
