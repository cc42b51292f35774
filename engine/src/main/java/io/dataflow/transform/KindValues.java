package io.dataflow.transform;

import io.dataflow.api.LogicalType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Locale;

/** Values computed by rules, turned into the Java value of a column's kind. */
final class KindValues {
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
            case FLOAT32 -> number(v, "float").floatValue();
            case FLOAT64 -> number(v, "double").doubleValue();
            case DECIMAL -> {
                BigDecimal d = number(v, "decimal");
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
            BigDecimal d = number(n, "integer").setScale(0, RoundingMode.DOWN);
            l = d.longValueExact();
        }
        if (l < min || l > max) {
            throw new ArithmeticException(l + " does not fit a " + t.kind().name().toLowerCase(Locale.ROOT));
        }
        return l;
    }

    /** A number, or a string that spells one, as a decimal. */
    private static BigDecimal number(Object v, String what) {
        Object n = Expr.normal(v);
        return Expr.number(n instanceof String s ? new BigDecimal(s.trim()) : n, what);
    }
}
