package io.dataflow.config;

import io.dataflow.api.TableId;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Include and exclude rules over {@code schema.table} names, with {@code *} matching any run of characters
 * (including none) and {@code ?} one character. A table moves when it matches an include rule and no exclude
 * rule. Matching is case-sensitive, as PostgreSQL identifiers are once unquoted.
 */
public record TableSelection(List<String> include, List<String> exclude) {

    public TableSelection {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    public boolean matches(TableId id) {
        String name = id.schema() + "." + id.table();
        return include.stream().anyMatch(p -> glob(p).matcher(name).matches())
                && exclude.stream().noneMatch(p -> glob(p).matcher(name).matches());
    }

    /** A {@code *}/{@code ?} pattern as a regular expression (the whole name must match). */
    public static Pattern glob(String pattern) {
        return wildcards(pattern, '*', '?');
    }

    /**
     * A pattern with a wildcard for any run of characters ({@code any}) and one for a single character ({@code one}) as a
     * regular expression, every other character literal: {@code *}/{@code ?} for table rules, {@code %}/{@code _} for LIKE.
     */
    public static Pattern wildcards(String pattern, char any, char one) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == any) {
                re.append(".*");
            } else if (c == one) {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    /** Checks a rule's shape: it must name a schema and a table ({@code schema.table}). */
    static void validate(String path, String rule) {
        if (!rule.contains(".")) {
            throw new ConfigException(path + ": '" + rule + "' does not name schema.table; write e.g. public.* or shop.orders");
        }
    }
}
