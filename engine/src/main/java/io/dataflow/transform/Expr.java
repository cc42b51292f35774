package io.dataflow.transform;

import io.dataflow.api.LogicalType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * An expression of a {@code filter} or {@code add-column} rule, parsed by {@link ExprParser} against one table's source
 * columns. It is evaluated over a row ({@link Input}) with SQL's NULL rules: an operation on NULL gives NULL (except
 * {@code IS NULL}, {@code coalesce}, {@code concat}, {@code AND}/{@code OR} when the other side decides), and a filter
 * keeps a row only when its expression is TRUE.
 *
 * <p>Values while evaluating: integers of every width as {@link Long}, floating point as {@link Double}, decimals as
 * {@link BigDecimal}, strings, booleans, dates as {@link LocalDate}, times and timestamps as their microseconds
 * ({@link Long}, as {@link LogicalType.Kind} stores them), binary values as {@code byte[]}.
 */
public sealed interface Expr {

    /** A row and its change's metadata, as an expression reads them. */
    interface Input {
        /** Source column {@code index}'s value (in any of the Java types of its {@link LogicalType.Kind}), or null. */
        Object column(int index);

        Object meta(Meta m);
    }

    /** The change's metadata an expression may read. */
    enum Meta {
        /** INSERT, UPDATE, DELETE, LOAD (full-load rows), TRUNCATE. */
        OPERATION(LogicalType.Kind.STRING),
        /** The source commit time (microseconds, UTC). */
        COMMIT_TIMESTAMP(LogicalType.Kind.TIMESTAMP_TZ),
        /** The change's position in the source log, as the raw zone's {@code _position}. */
        POSITION(LogicalType.Kind.STRING),
        TRANSACTION_ID(LogicalType.Kind.STRING),
        PIPELINE(LogicalType.Kind.STRING),
        SOURCE_DATABASE(LogicalType.Kind.STRING),
        SOURCE_SCHEMA(LogicalType.Kind.STRING),
        SOURCE_TABLE(LogicalType.Kind.STRING);

        final LogicalType.Kind kind;

        Meta(LogicalType.Kind kind) {
            this.kind = kind;
        }
    }

    Object eval(Input in);

    /** The kind of value this expression gives (for an added column without a declared type). */
    LogicalType type();

    record Literal(Object value, LogicalType type) implements Expr {
        @Override
        public Object eval(Input in) {
            return value;
        }
    }

    record ColumnRef(String name, int index, LogicalType type) implements Expr {
        @Override
        public Object eval(Input in) {
            return normal(in.column(index));
        }
    }

    record MetaRef(Meta meta) implements Expr {
        @Override
        public Object eval(Input in) {
            return in.meta(meta);
        }

        @Override
        public LogicalType type() {
            return LogicalType.of(meta.kind);
        }
    }

    record Not(Expr operand) implements Expr {
        @Override
        public Object eval(Input in) {
            Object v = operand.eval(in);
            return v == null ? null : !truth(v);
        }

        @Override
        public LogicalType type() {
            return BOOLEAN;
        }
    }

    record Negate(Expr operand) implements Expr {
        @Override
        public Object eval(Input in) {
            Object v = operand.eval(in);
            if (v == null) {
                return null;
            }
            if (v instanceof Long l) {
                return -l;
            }
            if (v instanceof Double d) {
                return -d;
            }
            return number(v, "-").negate();
        }

        @Override
        public LogicalType type() {
            return operand.type();
        }
    }

    /** AND / OR with SQL's three-valued logic. */
    record Logic(boolean and, Expr left, Expr right) implements Expr {
        @Override
        public Object eval(Input in) {
            Object l = left.eval(in);
            if (l != null && truth(l) != and) {
                return !and;
            }
            Object r = right.eval(in);
            if (r != null && truth(r) != and) {
                return !and;
            }
            return l == null || r == null ? null : and;
        }

        @Override
        public LogicalType type() {
            return BOOLEAN;
        }
    }

    /** {@code = <> < <= > >=}. */
    record Compare(String op, Expr left, Expr right) implements Expr {
        @Override
        public Object eval(Input in) {
            Object l = left.eval(in);
            Object r = right.eval(in);
            if (l == null || r == null) {
                return null;
            }
            int c = compare(l, r);
            return switch (op) {
                case "=" -> c == 0;
                case "<>" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        }

        @Override
        public LogicalType type() {
            return BOOLEAN;
        }
    }

    /** {@code + - * / %}: integers stay integers (division truncates, as in PostgreSQL), else decimal or double. */
    record Arithmetic(char op, Expr left, Expr right) implements Expr {
        @Override
        public Object eval(Input in) {
            Object l = left.eval(in);
            Object r = right.eval(in);
            if (l == null || r == null) {
                return null;
            }
            String symbol = String.valueOf(op);
            if (l instanceof Long a && r instanceof Long b) {
                return switch (op) {
                    case '+' -> Math.addExact(a, b);
                    case '-' -> Math.subtractExact(a, b);
                    case '*' -> Math.multiplyExact(a, b);
                    case '/' -> b == 0 ? null : a / b;
                    default -> b == 0 ? null : a % b;
                };
            }
            if (l instanceof Double || r instanceof Double) {
                double a = number(l, symbol).doubleValue();
                double b = number(r, symbol).doubleValue();
                return switch (op) {
                    case '+' -> a + b;
                    case '-' -> a - b;
                    case '*' -> a * b;
                    case '/' -> b == 0 ? null : a / b;
                    default -> b == 0 ? null : a % b;
                };
            }
            BigDecimal a = number(l, symbol);
            BigDecimal b = number(r, symbol);
            return switch (op) {
                case '+' -> a.add(b);
                case '-' -> a.subtract(b);
                case '*' -> a.multiply(b);
                case '/' -> b.signum() == 0 ? null : a.divide(b, Math.max(6, a.scale()), RoundingMode.HALF_UP);
                default -> b.signum() == 0 ? null : a.remainder(b);
            };
        }

        @Override
        public LogicalType type() {
            LogicalType l = left.type();
            LogicalType r = right.type();
            if (isFloat(l) || isFloat(r)) {
                return LogicalType.of(LogicalType.Kind.FLOAT64);
            }
            if (l.kind() == LogicalType.Kind.DECIMAL || r.kind() == LogicalType.Kind.DECIMAL) {
                return LogicalType.decimal(38, Math.max(Math.max(l.scale(), r.scale()), op == '/' ? 6 : 0));
            }
            return LogicalType.of(LogicalType.Kind.INT64);
        }
    }

    /** {@code a || b}: NULL when either side is NULL. */
    record Concat(Expr left, Expr right) implements Expr {
        @Override
        public Object eval(Input in) {
            Object l = left.eval(in);
            Object r = right.eval(in);
            return l == null || r == null ? null : text(l) + text(r);
        }

        @Override
        public LogicalType type() {
            return STRING;
        }
    }

    record IsNull(Expr operand, boolean negated) implements Expr {
        @Override
        public Object eval(Input in) {
            return (operand.eval(in) == null) != negated;
        }

        @Override
        public LogicalType type() {
            return BOOLEAN;
        }
    }

    record In(Expr operand, List<Expr> values, boolean negated) implements Expr {
        @Override
        public Object eval(Input in) {
            Object v = operand.eval(in);
            if (v == null) {
                return null;
            }
            boolean sawNull = false;
            for (Expr e : values) {
                Object o = e.eval(in);
                if (o == null) {
                    sawNull = true;
                } else if (compare(v, o) == 0) {
                    return !negated;
                }
            }
            return sawNull ? null : negated;
        }

        @Override
        public LogicalType type() {
            return BOOLEAN;
        }
    }

    record Between(Expr operand, Expr low, Expr high, boolean negated) implements Expr {
        @Override
        public Object eval(Input in) {
            Object v = operand.eval(in);
            Object lo = low.eval(in);
            Object hi = high.eval(in);
            if (v == null || lo == null || hi == null) {
                return null;
            }
            return (compare(v, lo) >= 0 && compare(v, hi) <= 0) != negated;
        }

        @Override
        public LogicalType type() {
            return BOOLEAN;
        }
    }

    /**
     * {@code LIKE} with {@code %} and {@code _}, case-sensitive. A literal pattern is compiled once ({@code compiled});
     * another is compiled for each row.
     */
    record Like(Expr operand, Expr pattern, boolean negated, java.util.regex.Pattern compiled) implements Expr {
        public Like(Expr operand, Expr pattern, boolean negated) {
            this(operand, pattern, negated, pattern instanceof Literal l && l.value() instanceof String s ? like(s) : null);
        }

        @Override
        public Object eval(Input in) {
            Object v = operand.eval(in);
            if (v == null) {
                return null;
            }
            java.util.regex.Pattern p = compiled;
            if (p == null) {
                Object text = pattern.eval(in);
                if (text == null) {
                    return null;
                }
                p = like(text(text));
            }
            return p.matcher(text(v)).matches() != negated;
        }

        @Override
        public LogicalType type() {
            return BOOLEAN;
        }
    }

    record Case(List<Expr> conditions, List<Expr> results, Expr otherwise) implements Expr {
        @Override
        public Object eval(Input in) {
            for (int i = 0; i < conditions.size(); i++) {
                Object c = conditions.get(i).eval(in);
                if (c != null && truth(c)) {
                    return results.get(i).eval(in);
                }
            }
            return otherwise == null ? null : otherwise.eval(in);
        }

        @Override
        public LogicalType type() {
            for (Expr r : results) {
                if (!(r instanceof Literal l && l.value() == null)) {
                    return r.type();
                }
            }
            return otherwise == null ? STRING : otherwise.type();
        }
    }

    record Call(Function fn, List<Expr> args) implements Expr {
        @Override
        public Object eval(Input in) {
            return fn.apply(args, in);
        }

        @Override
        public LogicalType type() {
            return fn.type(args);
        }
    }

    LogicalType BOOLEAN = LogicalType.of(LogicalType.Kind.BOOLEAN);
    LogicalType STRING = LogicalType.of(LogicalType.Kind.STRING);

    private static boolean isFloat(LogicalType t) {
        return t.kind() == LogicalType.Kind.FLOAT32 || t.kind() == LogicalType.Kind.FLOAT64;
    }

    /** A column's Java value as expressions see it (every integer a Long, every float a Double). */
    static Object normal(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        return v;
    }

    static boolean truth(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Long l) {
            return l != 0;
        }
        throw new ExprException("a condition gave " + describe(v) + ", not true or false");
    }

    static BigDecimal number(Object v, String op) {
        if (v instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        if (v instanceof Double d) {
            return BigDecimal.valueOf(d);
        }
        if (v instanceof BigDecimal d) {
            return d;
        }
        throw new ExprException("'" + op + "' needs numbers, got " + describe(v));
    }

    static String text(Object v) {
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof byte[] b) {
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }
        return v.toString();
    }

    /** Orders two non-null values: numbers by value, strings by code point, dates, booleans; else as text. */
    static int compare(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (a instanceof Number && b instanceof Number) {
            if (a instanceof Double || b instanceof Double) {
                return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
            }
            return number(a, "=").compareTo(number(b, "="));
        }
        if (a instanceof LocalDate x && b instanceof LocalDate y) {
            return x.compareTo(y);
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return java.util.Arrays.compareUnsigned(x, y);
        }
        if (a instanceof Number n && b instanceof String s) {
            return -compare(b, n);
        }
        if (a instanceof String s && b instanceof Number n) {
            try {
                return compare(new BigDecimal(s.trim()), n);
            } catch (NumberFormatException e) {
                return s.compareTo(text(n));
            }
        }
        return text(a).compareTo(text(b));
    }

    /** A LIKE pattern as a regular expression. */
    static java.util.regex.Pattern like(String pattern) {
        return io.dataflow.config.TableSelection.wildcards(pattern, '%', '_');
    }

    static String describe(Object v) {
        String type = v instanceof Long ? "an integer" : v instanceof Double ? "a float" : v instanceof BigDecimal ? "a decimal"
                : v instanceof String ? "a string" : v instanceof Boolean ? "a boolean" : v instanceof LocalDate ? "a date"
                : "a " + v.getClass().getSimpleName().toLowerCase(Locale.ROOT);
        return type;
    }

    /** A value an expression cannot work with (a string where a number was needed, ...): the change stops the pipeline. */
    final class ExprException extends RuntimeException {
        public ExprException(String message) {
            super(message);
        }
    }
}
