package io.dataflow.api;

import java.util.Objects;

/** One column of a {@link TableSchema}. */
public record Column(String name, LogicalType type, boolean nullable) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
