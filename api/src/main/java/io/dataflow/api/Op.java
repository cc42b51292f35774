package io.dataflow.api;

/** What happened to a row. {@link #READ} is a row read by the full load. */
public enum Op {
    READ("I"),
    INSERT("I"),
    UPDATE("U"),
    DELETE("D");

    private final String code;

    Op(String code) {
        this.code = code;
    }

    /** The DMS-compatible code written to the {@code Op} column: I, U or D (full-load rows are I). */
    public String code() {
        return code;
    }
}
