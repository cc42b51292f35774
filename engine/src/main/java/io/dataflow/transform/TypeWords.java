package io.dataflow.transform;

import io.dataflow.api.LogicalType;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The type words of an {@code add-column} rule (DataFlow's and AWS DMS's). */
public final class TypeWords {
    private static final Pattern SIZED = Pattern.compile("([a-z0-9_ ]+?)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?");

    private TypeWords() {}

    /**
     * The type an {@code add-column} names: {@code string}/{@code text}/{@code varchar(n)}, {@code boolean},
     * {@code int16}/{@code smallint}, {@code int32}/{@code int}/{@code integer}, {@code int64}/{@code bigint},
     * {@code float32}/{@code real}, {@code float64}/{@code double}, {@code decimal(p,s)}/{@code numeric(p,s)},
     * {@code date}, {@code time}, {@code timestamp}, {@code timestamptz}; AWS DMS's names too ({@code wstring},
     * {@code int1}-{@code int8}, {@code uint1}-{@code uint8}, {@code real4}, {@code real8}, {@code datetime},
     * {@code clob}, {@code blob}, {@code bytes}). Fails naming what it knows.
     */
    public static LogicalType parse(String word) {
        Matcher m = SIZED.matcher(word.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + word + "' is not a type; write e.g. string, int64, decimal(12,2), timestamp");
        }
        String base = m.group(1).trim();
        int p = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
        int s = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return switch (base) {
            case "string", "text", "varchar", "character varying", "wstring", "clob", "nclob", "char" -> LogicalType.of(LogicalType.Kind.STRING);
            case "boolean", "bool" -> LogicalType.of(LogicalType.Kind.BOOLEAN);
            case "int16", "smallint", "int1", "int2", "uint1" -> LogicalType.of(LogicalType.Kind.INT16);
            case "int32", "int", "integer", "int4", "uint2" -> LogicalType.of(LogicalType.Kind.INT32);
            case "int64", "bigint", "int8", "uint4", "uint8" -> LogicalType.of(LogicalType.Kind.INT64);
            case "float32", "real", "real4", "float" -> LogicalType.of(LogicalType.Kind.FLOAT32);
            case "float64", "double", "double precision", "real8" -> LogicalType.of(LogicalType.Kind.FLOAT64);
            case "decimal", "numeric" -> LogicalType.decimal(p < 0 ? 38 : p, p < 0 ? 10 : s);
            case "date" -> LogicalType.of(LogicalType.Kind.DATE);
            case "time" -> LogicalType.of(LogicalType.Kind.TIME);
            case "timestamp", "datetime" -> LogicalType.of(LogicalType.Kind.TIMESTAMP);
            case "timestamptz", "timestamp with time zone" -> LogicalType.of(LogicalType.Kind.TIMESTAMP_TZ);
            case "bytes", "blob", "bytea", "binary" -> LogicalType.of(LogicalType.Kind.BYTES);
            default -> throw new IllegalArgumentException("'" + word + "' is not a type DataFlow knows; write one of string, boolean, "
                    + "int16, int32, int64, float32, float64, decimal(p,s), date, time, timestamp, timestamptz, bytes");
        };
    }
}
