package io.dataflow.transform;

import io.dataflow.api.LogicalType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Values computed by rules, turned into the Java value of a column's kind; and the type words of {@code add-column}. */
final class KindValues {
    private static final Pattern SIZED = Pattern.compile("([a-z0-9_ ]+?)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?");

    private KindValues() {}

    /** {@code v} (an expression's value) as the Java value of {@code t}'s kind; fails when it does not fit. */
    static Object of(Object v, LogicalType t) {
        if (v == null) {
            return null;
        }
        return switch (t.kind()) {
            case BOOLEAN -> v instanceof Boolean ? v : Expr.truth(Expr.normal(v));
            case INT16 -> (short) integral(v, Short.MIN_VALUE, Short.MAX_VALUE, t);
            case INT32 -> (int) integral(v, Integer.MIN_VALUE, Integer.MAX_VALUE, t);
            case INT64, TIME, TIME_TZ, TIMESTAMP, TIMESTAMP_TZ -> integral(v, Long.MIN_VALUE, Long.MAX_VALUE, t);
            case FLOAT32 -> Expr.number(Expr.normal(v instanceof String s ? new BigDecimal(s.trim()) : v), "float").floatValue();
            case FLOAT64 -> Expr.number(Expr.normal(v instanceof String s ? new BigDecimal(s.trim()) : v), "double").doubleValue();
            case DECIMAL -> {
                BigDecimal d = Expr.number(Expr.normal(v instanceof String s ? new BigDecimal(s.trim()) : v), "decimal");
                yield t.scale() >= 0 ? d.setScale(t.scale(), RoundingMode.HALF_UP) : d;
            }
            case STRING, ENUM, JSON, UUID, INTERVAL -> Expr.text(v);
            case BYTES -> v instanceof byte[] ? v : Expr.text(v).getBytes(StandardCharsets.UTF_8);
            case DATE -> v instanceof LocalDate ? v : LocalDate.parse(Expr.text(v).trim());
            case ARRAY -> throw new IllegalArgumentException("an added column cannot be an array");
        };
    }

    private static long integral(Object v, long min, long max, LogicalType t) {
        Object n = Expr.normal(v);
        long l;
        if (n instanceof Long x) {
            l = x;
        } else if (n instanceof Boolean b) {
            l = b ? 1 : 0;
        } else {
            BigDecimal d = Expr.number(n instanceof String s ? new BigDecimal(s.trim()) : n, "integer").setScale(0, RoundingMode.DOWN);
            l = d.longValueExact();
        }
        if (l < min || l > max) {
            throw new ArithmeticException(l + " does not fit a " + t.kind().name().toLowerCase(Locale.ROOT));
        }
        return l;
    }

    /**
     * The type an {@code add-column} names: {@code string}/{@code text}/{@code varchar(n)}, {@code boolean},
     * {@code int16}/{@code smallint}, {@code int32}/{@code int}/{@code integer}, {@code int64}/{@code bigint},
     * {@code float32}/{@code real}, {@code float64}/{@code double}, {@code decimal(p,s)}/{@code numeric(p,s)},
     * {@code date}, {@code time}, {@code timestamp}, {@code timestamptz}; AWS DMS's names too ({@code wstring},
     * {@code int1}-{@code int8}, {@code uint1}-{@code uint8}, {@code real4}, {@code real8}, {@code datetime},
     * {@code clob}, {@code blob}, {@code bytes}). Fails naming what it knows.
     */
    static LogicalType type(String word) {
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
