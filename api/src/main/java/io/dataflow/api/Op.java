package io.dataflow.api;

/**
 * What happened to a row. {@link #READ} is a row read by the full load. {@link #TRUNCATE} empties a table: its event
 * carries the table's last known schema (none when no change was seen yet) with every value null.
 */
public enum Op {
    READ("I"),
    INSERT("I"),
    UPDATE("U"),
    DELETE("D"),
    TRUNCATE("T"),
    /**
     * A reload of the table starts here (dataflow reload, or a table that joined the pipeline): its rows follow as
     * they are read again. A database target empties the table (it may have drifted); the lake keeps its rows and
     * takes the rows read again as changes. Its event carries no values; it is not written to the raw zone.
     */
    RELOAD("R");

    private final String code;

    Op(String code) {
        this.code = code;
    }

    /** The DMS-compatible code written to the {@code Op} column: I, U, D or T (full-load rows are I). */
    public String code() {
        return code;
    }
}
