package io.dataflow.api;

import java.util.Objects;

/**
 * One column of a {@link TableSchema}.
 *
 * @param defaultValue the column's constant DEFAULT as the source reports it (a value of the type's Java class), or
 *                     null when it has none or it is not a constant (a function such as {@code now()}); rows that
 *                     existed when a column was added hold it, without a change event saying so
 */
public record Column(String name, LogicalType type, boolean nullable, Object defaultValue) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    public Column(String name, LogicalType type, boolean nullable) {
        this(name, type, nullable, null);
    }
}
