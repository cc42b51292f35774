package io.dataflow.api.catalog;

import java.util.List;

/**
 * A column as the source catalog describes it, before conversion.
 *
 * @param name          the name as the source spells it
 * @param dataType      the base type, lower case, without size (e.g. {@code int}, {@code character varying},
 *                      {@code timestamp with time zone}, {@code _int4} for a PostgreSQL array is given as
 *                      {@code array} with {@code elementType})
 * @param columnType    the full declared type as the source prints it, for reports (e.g. {@code int(10) unsigned})
 * @param length        character or byte length; -1 when not declared or unbounded
 * @param precision     numeric precision; -1 when not declared
 * @param scale         numeric scale; -1 when not declared
 * @param fsp           fractional-second digits of time types; -1 when not applicable
 * @param unsigned      MariaDB/MySQL {@code UNSIGNED}
 * @param nullable      whether NULL is allowed
 * @param defaultExpr   the default as the source prints it; null when the column has none
 * @param autoIncrement auto-increment, identity or serial column
 * @param enumLabels    labels of an enum (or set) type, in order; empty otherwise
 * @param generated     the expression of a generated column; null otherwise
 * @param elementType   the element's base type of an array; null otherwise
 */
public record SourceColumn(String name, String dataType, String columnType, long length, int precision, int scale, int fsp,
        boolean unsigned, boolean nullable, String defaultExpr, boolean autoIncrement, List<String> enumLabels,
        String generated, String elementType) {

    public SourceColumn {
        enumLabels = List.copyOf(enumLabels);
    }

    /** A plain column of a type with no size, for tests and simple catalogs. */
    public static SourceColumn of(String name, String dataType) {
        return new SourceColumn(name, dataType, dataType, -1, -1, -1, -1, false, true, null, false, List.of(), null, null);
    }

    public SourceColumn withSize(long length, int precision, int scale) {
        return new SourceColumn(name, dataType, columnType, length, precision, scale, fsp, unsigned, nullable, defaultExpr,
                autoIncrement, enumLabels, generated, elementType);
    }

    public SourceColumn withColumnType(String type) {
        return new SourceColumn(name, dataType, type, length, precision, scale, fsp, unsigned, nullable, defaultExpr,
                autoIncrement, enumLabels, generated, elementType);
    }

    public SourceColumn withFsp(int digits) {
        return new SourceColumn(name, dataType, columnType, length, precision, scale, digits, unsigned, nullable, defaultExpr,
                autoIncrement, enumLabels, generated, elementType);
    }

    public SourceColumn withUnsigned(boolean u) {
        return new SourceColumn(name, dataType, columnType, length, precision, scale, fsp, u, nullable, defaultExpr,
                autoIncrement, enumLabels, generated, elementType);
    }

    public SourceColumn withNullable(boolean n) {
        return new SourceColumn(name, dataType, columnType, length, precision, scale, fsp, unsigned, n, defaultExpr,
                autoIncrement, enumLabels, generated, elementType);
    }

    public SourceColumn withDefault(String expr) {
        return new SourceColumn(name, dataType, columnType, length, precision, scale, fsp, unsigned, nullable, expr,
                autoIncrement, enumLabels, generated, elementType);
    }

    public SourceColumn withAutoIncrement(boolean a) {
        return new SourceColumn(name, dataType, columnType, length, precision, scale, fsp, unsigned, nullable, defaultExpr,
                a, enumLabels, generated, elementType);
    }

    public SourceColumn withLabels(List<String> labels) {
        return new SourceColumn(name, dataType, columnType, length, precision, scale, fsp, unsigned, nullable, defaultExpr,
                autoIncrement, labels, generated, elementType);
    }

    public SourceColumn withGenerated(String expr) {
        return new SourceColumn(name, dataType, columnType, length, precision, scale, fsp, unsigned, nullable, defaultExpr,
                autoIncrement, enumLabels, expr, elementType);
    }

    public SourceColumn withElement(String element) {
        return new SourceColumn(name, dataType, columnType, length, precision, scale, fsp, unsigned, nullable, defaultExpr,
                autoIncrement, enumLabels, generated, element);
    }
}
