package io.dataflow.transform;

import io.dataflow.api.LogicalType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Renders a filter's {@link Expr} as a source database's SQL, so the full load reads only the rows the filter keeps
 * ({@code COPY (SELECT ... WHERE ...)}, {@code SELECT ... WHERE ...}). The engine still checks every row with the
 * same expression, so the database may keep more (a case-insensitive collation's equality) without harm.
 */
public final class ExprSql {
    /** The SQL flavours a filter is rendered in. */
    public enum Dialect {
        POSTGRES('"'),
        MYSQL('`'),
        /** AWS DMS's expressions (SQLite): columns as {@code $name}, metadata as its {@code $AR_H_} headers. */
        DMS('"');

        final char quote;

        Dialect(char quote) {
            this.quote = quote;
        }
    }

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private final Dialect d;

    private ExprSql(Dialect d) {
        this.d = d;
    }

    /**
     * The expression as SQL, or empty when it reads the change's metadata (which the database does not have; for
     * {@link Dialect#DMS}: metadata DMS has no header for).
     */
    public static Optional<String> render(Expr e, Dialect dialect) {
        try {
            return Optional.of(new ExprSql(dialect).sql(e));
        } catch (UnsupportedOperationException notRenderable) {
            return Optional.empty();
        }
    }

    private String sql(Expr e) {
        if (e instanceof Expr.Literal l) {
            return literal(l.value(), l.type());
        } else if (e instanceof Expr.ColumnRef c) {
            return d == Dialect.DMS ? "$" + c.name() : quote(c.name());
        } else if (e instanceof Expr.MetaRef m) {
            if (d == Dialect.DMS) {
                return switch (m.meta()) {
                    case OPERATION -> "$AR_H_OPERATION";
                    case COMMIT_TIMESTAMP -> "$AR_H_COMMIT_TIMESTAMP";
                    case POSITION -> "$AR_H_CHANGE_SEQ";
                    case TRANSACTION_ID -> "$AR_H_TRANSACTION_ID";
                    case SOURCE_SCHEMA -> "$AR_M_SOURCE_SCHEMA";
                    case SOURCE_TABLE -> "$AR_M_SOURCE_TABLE_NAME";
                    default -> throw new UnsupportedOperationException(m.meta().name());
                };
            }
            throw new UnsupportedOperationException(m.meta().name());
        } else if (e instanceof Expr.Not n) {
            return "(NOT " + sql(n.operand()) + ")";
        } else if (e instanceof Expr.Negate n) {
            return "(-" + sql(n.operand()) + ")";
        } else if (e instanceof Expr.Logic l) {
            return "(" + sql(l.left()) + (l.and() ? " AND " : " OR ") + sql(l.right()) + ")";
        } else if (e instanceof Expr.Compare c) {
            return "(" + sql(c.left()) + " " + c.op() + " " + sql(c.right()) + ")";
        } else if (e instanceof Expr.Arithmetic a) {
            return a.op() == '/' && d == Dialect.MYSQL && integral(a)
                    ? "(" + sql(a.left()) + " DIV " + sql(a.right()) + ")"
                    : "(" + sql(a.left()) + " " + a.op() + " " + sql(a.right()) + ")";
        } else if (e instanceof Expr.Concat c) {
            return d == Dialect.MYSQL ? "CONCAT(" + sql(c.left()) + ", " + sql(c.right()) + ")"
                    : "(" + sql(c.left()) + " || " + sql(c.right()) + ")";
        } else if (e instanceof Expr.IsNull n) {
            return "(" + sql(n.operand()) + (n.negated() ? " IS NOT NULL)" : " IS NULL)");
        } else if (e instanceof Expr.In in) {
            return "(" + sql(in.operand()) + (in.negated() ? " NOT IN (" : " IN (")
                    + in.values().stream().map(this::sql).collect(Collectors.joining(", ")) + "))";
        } else if (e instanceof Expr.Between b) {
            return "(" + sql(b.operand()) + (b.negated() ? " NOT BETWEEN " : " BETWEEN ") + sql(b.low()) + " AND "
                    + sql(b.high()) + ")";
        } else if (e instanceof Expr.Like l) {
            return "(" + sql(l.operand()) + (l.negated() ? " NOT LIKE " : " LIKE ") + sql(l.pattern()) + ")";
        } else if (e instanceof Expr.Case c) {
            StringBuilder s = new StringBuilder("(CASE");
            for (int i = 0; i < c.conditions().size(); i++) {
                s.append(" WHEN ").append(sql(c.conditions().get(i))).append(" THEN ").append(sql(c.results().get(i)));
            }
            if (c.otherwise() != null) {
                s.append(" ELSE ").append(sql(c.otherwise()));
            }
            return s.append(" END)").toString();
        }
        return call((Expr.Call) e);
    }

    private static boolean integral(Expr.Arithmetic a) {
        return a.type().kind() == LogicalType.Kind.INT64;
    }

    private String call(Expr.Call c) {
        String args = c.args().stream().map(this::sql).collect(Collectors.joining(", "));
        if (d == Dialect.DMS && c.fn() == Function.CONCAT) {
            // SQLite has no concat(): coalesce(a, '') || coalesce(b, '') || ..., which reads back as the same tree
            Expr joined = null;
            for (Expr a : c.args()) {
                Expr part = new Expr.Call(Function.COALESCE, java.util.List.of(a, new Expr.Literal("", Expr.STRING)));
                joined = joined == null ? part : new Expr.Concat(joined, part);
            }
            return sql(joined);
        }
        String name = switch (c.fn()) {
            case LENGTH -> d == Dialect.MYSQL ? "CHAR_LENGTH" : "LENGTH";
            case SUBSTR -> d == Dialect.DMS ? "substr" : "SUBSTRING";
            case CONCAT -> d == Dialect.MYSQL ? "CONCAT_WS('', " : "CONCAT";
            default -> c.fn().name();
        };
        if (d == Dialect.DMS) {
            name = name.toLowerCase(java.util.Locale.ROOT);
        }
        return name.endsWith(", ") ? name + args + ")" : name + "(" + args + ")";
    }

    private String quote(String name) {
        String q = String.valueOf(d.quote);
        return q + name.replace(q, q + q) + q;
    }

    private String literal(Object v, LogicalType type) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Boolean b) {
            return b ? "TRUE" : "FALSE";
        }
        if (v instanceof Long l) {
            return switch (type.kind()) {
                case TIMESTAMP, TIMESTAMP_TZ -> string(TS.format(Instant.EPOCH.plus(l, java.time.temporal.ChronoUnit.MICROS)
                        .atOffset(ZoneOffset.UTC)) + (type.kind() == LogicalType.Kind.TIMESTAMP_TZ && d == Dialect.POSTGRES ? "+00" : ""));
                case TIME -> string(LocalTime.ofNanoOfDay(l * 1000).toString());
                default -> Long.toString(l);
            };
        }
        if (v instanceof BigDecimal b) {
            return b.toPlainString();
        }
        return string(v.toString());
    }

    private String string(String s) {
        String escaped = s.replace("'", "''");
        return d == Dialect.MYSQL ? "'" + escaped.replace("\\", "\\\\") + "'" : "'" + escaped + "'";
    }
}
