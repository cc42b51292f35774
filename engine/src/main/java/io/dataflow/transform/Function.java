package io.dataflow.transform;

import io.dataflow.api.LogicalType;
import io.dataflow.transform.Expr.Input;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/** The functions an expression may call, with how many arguments each takes. */
enum Function {
    COALESCE(1, Integer.MAX_VALUE),
    NULLIF(2, 2),
    /** Joins its arguments' text, NULL counting as empty (as PostgreSQL's concat). */
    CONCAT(1, Integer.MAX_VALUE),
    /** {@code substr(s, start[, length])}, 1-based, as SQL. */
    SUBSTR(2, 3),
    UPPER(1, 1),
    LOWER(1, 1),
    /** Characters, not bytes. */
    LENGTH(1, 1),
    TRIM(1, 1),
    LTRIM(1, 1),
    RTRIM(1, 1),
    REPLACE(3, 3),
    ABS(1, 1),
    /** {@code round(x[, digits])}, half away from zero. */
    ROUND(1, 2);

    final int min;
    final int max;

    Function(int min, int max) {
        this.min = min;
        this.max = max;
    }

    /** The function a name calls ({@code substring} is {@code substr}, {@code ifnull} is {@code coalesce}), or null. */
    static Function named(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        if (n.equals("SUBSTRING")) {
            return SUBSTR;
        }
        if (n.equals("IFNULL")) {
            return COALESCE; // SQLite's and MariaDB's two-argument coalesce, as AWS DMS expressions use it
        }
        for (Function f : values()) {
            if (f.name().equals(n)) {
                return f;
            }
        }
        return null;
    }

    Object apply(List<Expr> args, Input in) {
        if (this == COALESCE) {
            for (Expr a : args) {
                Object v = a.eval(in);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }
        if (this == CONCAT) {
            StringBuilder s = new StringBuilder();
            for (Expr a : args) {
                Object v = a.eval(in);
                if (v != null) {
                    s.append(Expr.text(v));
                }
            }
            return s.toString();
        }
        Object first = args.get(0).eval(in);
        if (this == NULLIF) {
            Object second = args.get(1).eval(in);
            return first != null && second != null && Expr.compare(first, second) == 0 ? null : first;
        }
        if (first == null) {
            return null;
        }
        return switch (this) {
            case SUBSTR -> substr(Expr.text(first), args, in);
            case UPPER -> Expr.text(first).toUpperCase(Locale.ROOT);
            case LOWER -> Expr.text(first).toLowerCase(Locale.ROOT);
            case LENGTH -> (long) Expr.text(first).codePointCount(0, Expr.text(first).length());
            case TRIM -> Expr.text(first).strip();
            case LTRIM -> Expr.text(first).stripLeading();
            case RTRIM -> Expr.text(first).stripTrailing();
            case REPLACE -> {
                Object from = args.get(1).eval(in);
                Object to = args.get(2).eval(in);
                yield from == null || to == null ? null : Expr.text(first).replace(Expr.text(from), Expr.text(to));
            }
            case ABS -> first instanceof Long l ? (Object) Math.abs(l) : first instanceof Double d ? (Object) Math.abs(d)
                    : Expr.number(first, "abs").abs();
            case ROUND -> round(first, args, in);
            default -> throw new IllegalStateException(name());
        };
    }

    private static Object substr(String s, List<Expr> args, Input in) {
        Object startValue = args.get(1).eval(in);
        Object lengthValue = args.size() > 2 ? args.get(2).eval(in) : Long.MAX_VALUE;
        if (startValue == null || lengthValue == null) {
            return null;
        }
        long start = Expr.number(startValue, "substr").longValue();
        long length = Expr.number(lengthValue, "substr").longValue();
        // SQL: characters start..start+length-1, positions before 1 count but yield nothing
        long from = Math.max(1, start);
        long to = length == Long.MAX_VALUE ? Long.MAX_VALUE : start + length;
        int cps = s.codePointCount(0, s.length());
        if (to <= from || from > cps) {
            return "";
        }
        int b = s.offsetByCodePoints(0, (int) (from - 1));
        int e = to - 1 >= cps ? s.length() : s.offsetByCodePoints(0, (int) (to - 1));
        return s.substring(b, e);
    }

    private static Object round(Object v, List<Expr> args, Input in) {
        long digits = 0;
        if (args.size() > 1) {
            Object d = args.get(1).eval(in);
            if (d == null) {
                return null;
            }
            digits = Expr.number(d, "round").longValue();
        }
        if (v instanceof Long l && digits >= 0) {
            return l;
        }
        BigDecimal r = Expr.number(v, "round").setScale((int) digits, RoundingMode.HALF_UP);
        return v instanceof Double ? (Object) r.doubleValue() : r;
    }

    LogicalType type(List<Expr> args) {
        return switch (this) {
            case COALESCE, NULLIF, ABS, ROUND -> args.get(0).type();
            case LENGTH -> LogicalType.of(LogicalType.Kind.INT64);
            default -> Expr.STRING;
        };
    }
}
