package io.dataflow.api.catalog;

/**
 * A schema object that conversion does not translate (view, trigger, procedure, function, event, sequence,
 * user type), listed in the report with what to do about it.
 *
 * @param kind       e.g. {@code view}, {@code trigger}
 * @param schema     its schema
 * @param name       its name
 * @param definition its source text where the catalog gives it, else empty
 */
public record SourceObject(String kind, String schema, String name, String definition) {}
