package io.dataflow.api;

import java.util.Objects;

/**
 * A source table, named by its schema (PostgreSQL schema, MySQL database) and its name, exactly as the
 * source spells them (case preserved, no quoting).
 */
public record TableId(String schema, String table) implements Comparable<TableId> {

    public TableId {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
    }

    /** Parses {@code schema.table}; the first dot separates, so table names may contain dots. */
    public static TableId parse(String qualified) {
        int dot = qualified.indexOf('.');
        if (dot <= 0 || dot == qualified.length() - 1) {
            throw new IllegalArgumentException("expected schema.table, got '" + qualified + "'");
        }
        return new TableId(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    @Override
    public int compareTo(TableId o) {
        int c = schema.compareTo(o.schema);
        return c != 0 ? c : table.compareTo(o.table);
    }

    /** The name as SQL, each part double-quoted unless it is a plain lower-case identifier. */
    public String quoted() {
        return quote(schema) + "." + quote(table);
    }

    private static String quote(String ident) {
        return ident.matches("[a-z_][a-z0-9_$]*") ? ident : "\"" + ident.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
