package io.dataflow.source.debezium;

import io.dataflow.config.TableSelection;
import java.util.stream.Collectors;

/**
 * A pipeline's table rules ({@code schema.table} with {@code *} and {@code ?} wildcards) as the one regex Debezium's
 * {@code table.include.list} takes: Debezium accepts only one of include and exclude lists, so exclusions become a
 * negative lookahead; DataFlow's own {@code _dataflow} schema is never captured.
 */
public final class TableRegex {
    private TableRegex() {}

    public static String of(TableSelection selection) {
        String include = selection.include().stream().map(TableRegex::glob).collect(Collectors.joining("|"));
        String exclude = selection.exclude().stream().map(TableRegex::glob).collect(Collectors.joining("|"));
        String regex = "(?!_dataflow\\.)" + (exclude.isEmpty() ? "(?:" + include + ")" : "(?!(?:" + exclude + ")$)(?:" + include + ")");
        if (regex.contains(",")) {
            throw new IllegalArgumentException("table rules with ',' cannot be passed to Debezium: " + selection);
        }
        return regex;
    }

    /** One rule as a regex: {@code *} any run of characters, {@code ?} one, everything else literal. */
    public static String glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Character.isLetterOrDigit(c) || c == '_' ? String.valueOf(c) : "\\" + c);
            }
        }
        return re.toString();
    }
}
