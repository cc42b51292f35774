package io.dataflow.api;

/**
 * What happened to a row. {@link #READ} is a row read by the full load (or read again by a reload). {@link #TRUNCATE}
 * empties a table: its event's schema has no columns and its row no values.
 */
public enum Op {
    READ("I"),
    INSERT("I"),
    UPDATE("U"),
    DELETE("D"),
    TRUNCATE("T");

    private final String code;

    Op(String code) {
        this.code = code;
    }

    /** The DMS-compatible code written to the {@code Op} column: I, U, D or T (full-load rows are I). */
    public String code() {
        return code;
    }
}
