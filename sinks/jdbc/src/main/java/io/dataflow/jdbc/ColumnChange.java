package io.dataflow.jdbc;

import io.dataflow.convert.TargetTable;
import io.dataflow.convert.TypeChange;

/**
 * One difference between a table's columns in the target and in the source's events, and what applying it means.
 *
 * @param kind   what changed
 * @param column the target column before the change (null for an added column)
 * @param fresh  the column as the source's catalog converts now (null for a dropped column)
 * @param safe   whether every value the target holds survives the change
 */
record ColumnChange(Kind kind, TargetTable.TargetColumn column, TargetTable.TargetColumn fresh, boolean safe) {

    /** The kinds of column change a database target can follow. */
    enum Kind {
        ADD,
        DROP,
        RENAME,
        RETYPE,
        DROP_NOT_NULL
    }

    static ColumnChange add(TargetTable.TargetColumn fresh) {
        return new ColumnChange(Kind.ADD, null, fresh, true);
    }

    static ColumnChange drop(TargetTable.TargetColumn column) {
        return new ColumnChange(Kind.DROP, column, null, true);
    }

    static ColumnChange rename(TargetTable.TargetColumn column, TargetTable.TargetColumn fresh) {
        return new ColumnChange(Kind.RENAME, column, fresh, true);
    }

    static ColumnChange retype(TargetTable.TargetColumn column, TargetTable.TargetColumn fresh) {
        return new ColumnChange(Kind.RETYPE, column, fresh, TypeChange.classify(column.type(), fresh.type()) == TypeChange.Kind.WIDENING);
    }

    static ColumnChange dropNotNull(TargetTable.TargetColumn column) {
        return new ColumnChange(Kind.DROP_NOT_NULL, column, column, true);
    }

    /** One line for the log: {@code column note renamed to remark}. */
    String describe() {
        return switch (kind) {
            case ADD -> "column " + fresh.name() + " " + fresh.type() + " added";
            case DROP -> "column " + column.name() + " dropped";
            case RENAME -> "column " + column.name() + " renamed to " + fresh.name();
            case RETYPE -> "column " + column.name() + " changed from " + column.type() + " to " + fresh.type()
                    + (safe ? " (widening)" : " (narrowing or incompatible)");
            case DROP_NOT_NULL -> "column " + column.name() + " became nullable";
        };
    }
}
