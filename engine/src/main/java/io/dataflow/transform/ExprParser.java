package io.dataflow.transform;

import io.dataflow.api.Column;
import io.dataflow.api.LogicalType;
import io.dataflow.transform.Expr.Meta;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the SQL-like expressions of {@code filter} and {@code add-column} rules against a table's source columns.
 *
 * <pre>
 *   literals   42  -1.5  'text' ('' for a quote)  NULL  TRUE  FALSE
 *   columns    amount  "Mixed Case"  `back quoted`  $amount (as AWS DMS writes them)
 *   operators  OR  AND  NOT  =  &lt;&gt;  !=  &lt;  &lt;=  &gt;  &gt;=  IS [NOT] NULL  [NOT] IN (...)  [NOT] BETWEEN a AND b
 *              [NOT] LIKE '%x_'  ||  +  -  *  /  %
 *   CASE WHEN c THEN v [WHEN ...] [ELSE v] END
 *   functions  coalesce nullif concat substr/substring upper lower length trim ltrim rtrim replace abs round
 *   metadata   operation() commit_timestamp() change_position() transaction_id() pipeline_name() source_database()
 *              source_schema() source_table(), and AWS DMS's $AR_H_OPERATION $AR_H_TIMESTAMP $AR_H_COMMIT_TIMESTAMP
 *              $AR_H_CHANGE_SEQ $AR_H_STREAM_POSITION $AR_H_TRANSACTION_ID $AR_M_SOURCE_SCHEMA $AR_M_SOURCE_TABLE_NAME
 * </pre>
 * A string compared with a date, time or timestamp column is read as one ({@code created >= '2024-01-01'}).
 */
public final class ExprParser {
    private static final Map<String, Meta> META_FUNCTIONS = Map.of(
            "operation", Meta.OPERATION, "commit_timestamp", Meta.COMMIT_TIMESTAMP, "change_position", Meta.POSITION,
            "transaction_id", Meta.TRANSACTION_ID, "pipeline_name", Meta.PIPELINE, "source_database", Meta.SOURCE_DATABASE,
            "source_schema", Meta.SOURCE_SCHEMA, "source_table", Meta.SOURCE_TABLE);
    private static final Map<String, Meta> DMS_HEADERS = Map.of(
            "AR_H_OPERATION", Meta.OPERATION, "AR_H_TIMESTAMP", Meta.COMMIT_TIMESTAMP, "AR_H_COMMIT_TIMESTAMP", Meta.COMMIT_TIMESTAMP,
            "AR_H_CHANGE_SEQ", Meta.POSITION, "AR_H_STREAM_POSITION", Meta.POSITION, "AR_H_TRANSACTION_ID", Meta.TRANSACTION_ID,
            "AR_M_SOURCE_SCHEMA", Meta.SOURCE_SCHEMA, "AR_M_SOURCE_TABLE_NAME", Meta.SOURCE_TABLE);
    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().append(DateTimeFormatter.ISO_LOCAL_TIME).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
            .toFormatter(Locale.ROOT);

    private final String text;
    private final List<Column> columns;
    private final List<String> tokens = new ArrayList<>();
    private int at;

    private ExprParser(String text, List<Column> columns) {
        this.text = text;
        this.columns = columns;
    }

    /** Parses {@code text} over {@code columns} (a table's source columns, in order); fails with what is wrong and where. */
    public static Expr parse(String text, List<Column> columns) {
        ExprParser p = new ExprParser(text, columns);
        p.tokenize();
        if (p.tokens.isEmpty()) {
            throw new IllegalArgumentException("the expression is empty");
        }
        Expr e = p.or();
        if (p.at < p.tokens.size()) {
            throw p.error("unexpected '" + p.tokens.get(p.at) + "'");
        }
        return e;
    }

    /**
     * Parses {@code text} without a table: every name is taken for a column as written (for rendering a rule elsewhere,
     * e.g. as an AWS DMS expression; such an expression cannot be evaluated).
     */
    public static Expr parseUnresolved(String text) {
        return parse(text, null);
    }

    private void tokenize() {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'' || c == '"' || c == '`') {
                int j = i + 1;
                StringBuilder s = new StringBuilder().append(c);
                while (true) {
                    if (j >= text.length()) {
                        throw new IllegalArgumentException("unterminated " + (c == '\'' ? "string" : "name") + " starting at "
                                + text.substring(i, Math.min(text.length(), i + 20)));
                    }
                    char d = text.charAt(j);
                    if (d == c) {
                        if (j + 1 < text.length() && text.charAt(j + 1) == c) {
                            s.append(c);
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    s.append(d);
                    j++;
                }
                tokens.add(s.toString());
                i = j + 1;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1)))) {
                int j = i;
                while (j < text.length() && (Character.isDigit(text.charAt(j)) || text.charAt(j) == '.'
                        || text.charAt(j) == 'e' || text.charAt(j) == 'E'
                        || ((text.charAt(j) == '-' || text.charAt(j) == '+') && (text.charAt(j - 1) == 'e' || text.charAt(j - 1) == 'E')))) {
                    j++;
                }
                tokens.add(text.substring(i, j));
                i = j;
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                int j = i + 1;
                while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_' || text.charAt(j) == '$')) {
                    j++;
                }
                tokens.add(text.substring(i, j));
                i = j;
            } else {
                String two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
                if (List.of("<>", "!=", "<=", ">=", "||").contains(two)) {
                    tokens.add(two);
                    i += 2;
                } else if ("=<>+-*/%(),".indexOf(c) >= 0) {
                    tokens.add(String.valueOf(c));
                    i++;
                } else {
                    throw new IllegalArgumentException("unexpected character '" + c + "' at position " + (i + 1));
                }
            }
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " in '" + text + "'");
    }

    private String peek() {
        return at < tokens.size() ? tokens.get(at) : "";
    }

    private boolean word(String w) {
        if (peek().equalsIgnoreCase(w)) {
            at++;
            return true;
        }
        return false;
    }

    private boolean symbol(String s) {
        if (peek().equals(s)) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(String s) {
        if (!(s.equals(peek()) || s.equalsIgnoreCase(peek()))) {
            throw error("expected '" + s + "'" + (peek().isEmpty() ? " at the end" : " before '" + peek() + "'"));
        }
        at++;
    }

    private Expr or() {
        Expr e = and();
        while (word("OR")) {
            e = new Expr.Logic(false, e, and());
        }
        return e;
    }

    private Expr and() {
        Expr e = not();
        while (word("AND")) {
            e = new Expr.Logic(true, e, not());
        }
        return e;
    }

    private Expr not() {
        if (word("NOT")) {
            return new Expr.Not(not());
        }
        return predicate();
    }

    private Expr predicate() {
        Expr left = concat();
        String op = peek();
        if (List.of("=", "<>", "!=", "<", "<=", ">", ">=").contains(op)) {
            at++;
            Expr right = concat();
            return new Expr.Compare(op.equals("!=") ? "<>" : op, coerce(left, right), coerce(right, left));
        }
        if (word("IS")) {
            boolean negated = word("NOT");
            expect("NULL");
            return new Expr.IsNull(left, negated);
        }
        boolean negated = word("NOT");
        if (word("IN")) {
            expect("(");
            List<Expr> values = new ArrayList<>();
            do {
                values.add(coerce(concat(), left));
            } while (symbol(","));
            expect(")");
            return new Expr.In(left, values, negated);
        }
        if (word("BETWEEN")) {
            Expr low = coerce(concat(), left);
            expect("AND");
            Expr high = coerce(concat(), left);
            return new Expr.Between(left, low, high, negated);
        }
        if (word("LIKE")) {
            return new Expr.Like(left, concat(), negated);
        }
        if (negated) {
            throw error("expected IN, BETWEEN or LIKE after NOT");
        }
        return left;
    }

    private Expr concat() {
        Expr e = additive();
        while (symbol("||")) {
            e = new Expr.Concat(e, additive());
        }
        return e;
    }

    private Expr additive() {
        Expr e = multiplicative();
        while (peek().equals("+") || peek().equals("-")) {
            char op = tokens.get(at++).charAt(0);
            e = new Expr.Arithmetic(op, e, multiplicative());
        }
        return e;
    }

    private Expr multiplicative() {
        Expr e = unary();
        while (peek().equals("*") || peek().equals("/") || peek().equals("%")) {
            char op = tokens.get(at++).charAt(0);
            e = new Expr.Arithmetic(op, e, unary());
        }
        return e;
    }

    private Expr unary() {
        if (symbol("-")) {
            Expr e = unary();
            if (e instanceof Expr.Literal l && l.value() instanceof Long v) {
                return new Expr.Literal(-v, l.type());
            }
            if (e instanceof Expr.Literal l && l.value() instanceof BigDecimal v) {
                return new Expr.Literal(v.negate(), l.type());
            }
            return new Expr.Negate(e);
        }
        return primary();
    }

    private Expr primary() {
        if (at >= tokens.size()) {
            throw error("the expression ends too early");
        }
        String t = tokens.get(at++);
        char c = t.charAt(0);
        if (c == '(') {
            Expr e = or();
            expect(")");
            return e;
        }
        if (c == '\'') {
            return new Expr.Literal(t.substring(1), Expr.STRING);
        }
        if (c == '"' || c == '`') {
            return column(t.substring(1));
        }
        if (Character.isDigit(c) || c == '.') {
            return number(t);
        }
        if (t.equalsIgnoreCase("NULL")) {
            return new Expr.Literal(null, Expr.STRING);
        }
        if (t.equalsIgnoreCase("TRUE") || t.equalsIgnoreCase("FALSE")) {
            return new Expr.Literal(t.equalsIgnoreCase("TRUE"), Expr.BOOLEAN);
        }
        if (t.equalsIgnoreCase("CASE")) {
            return caseExpr();
        }
        if (c == '$') {
            String name = t.substring(1);
            Meta header = DMS_HEADERS.get(name.toUpperCase(Locale.ROOT));
            if (header != null) {
                return new Expr.MetaRef(header);
            }
            if (name.toUpperCase(Locale.ROOT).startsWith("AR_")) {
                throw error("the header $" + name + " is not supported (supported: " + String.join(", ",
                        DMS_HEADERS.keySet().stream().sorted().map(h -> "$" + h).toList()) + ")");
            }
            return column(name);
        }
        if (peek().equals("(")) {
            at++;
            Meta meta = META_FUNCTIONS.get(t.toLowerCase(Locale.ROOT));
            if (meta != null) {
                expect(")");
                return new Expr.MetaRef(meta);
            }
            Function fn = Function.named(t);
            if (fn == null) {
                throw error("unknown function " + t + "() (known: coalesce, nullif, concat, substr, upper, lower, length, trim, "
                        + "ltrim, rtrim, replace, abs, round, and the metadata functions " + String.join("(), ",
                        META_FUNCTIONS.keySet().stream().sorted().toList()) + "())");
            }
            List<Expr> args = new ArrayList<>();
            if (!symbol(")")) {
                do {
                    args.add(or());
                } while (symbol(","));
                expect(")");
            }
            if (args.size() < fn.min || args.size() > fn.max) {
                throw error(t + "() takes " + (fn.min == fn.max ? fn.min : fn.min + (fn.max == Integer.MAX_VALUE ? " or more" : " to " + fn.max))
                        + " arguments, not " + args.size());
            }
            return new Expr.Call(fn, args);
        }
        return column(t);
    }

    private Expr caseExpr() {
        List<Expr> conditions = new ArrayList<>();
        List<Expr> results = new ArrayList<>();
        while (word("WHEN")) {
            conditions.add(or());
            expect("THEN");
            results.add(or());
        }
        if (conditions.isEmpty()) {
            throw error("CASE needs at least one WHEN ... THEN ...");
        }
        Expr otherwise = word("ELSE") ? or() : null;
        expect("END");
        return new Expr.Case(conditions, results, otherwise);
    }

    private Expr number(String t) {
        try {
            if (t.contains(".") || t.contains("e") || t.contains("E")) {
                BigDecimal d = new BigDecimal(t);
                return new Expr.Literal(d, io.dataflow.api.LogicalType.decimal(Math.max(d.precision(), d.scale() + 1), Math.max(0, d.scale())));
            }
            return new Expr.Literal(Long.parseLong(t), LogicalType.of(LogicalType.Kind.INT64));
        } catch (NumberFormatException e) {
            throw error("'" + t + "' is not a number");
        }
    }

    private Expr column(String name) {
        if (columns == null) {
            return new Expr.ColumnRef(name, -1, Expr.STRING);
        }
        int found = -1;
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                found = i;
            }
        }
        if (found < 0) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equalsIgnoreCase(name)) {
                    if (found >= 0) {
                        throw error("column " + name + " is ambiguous; quote it as the source spells it");
                    }
                    found = i;
                }
            }
        }
        if (found < 0) {
            throw error("no column " + name + " (columns: " + String.join(", ", columns.stream().map(Column::name).toList()) + ")");
        }
        return new Expr.ColumnRef(columns.get(found).name(), found, columns.get(found).type());
    }

    /** A string literal compared with a date, time, timestamp or boolean column, read as such a value. */
    private Expr coerce(Expr literal, Expr other) {
        if (!(literal instanceof Expr.Literal l) || !(l.value() instanceof String s) || !(other instanceof Expr.ColumnRef c)) {
            return literal;
        }
        LogicalType t = c.type();
        try {
            return switch (t.kind()) {
                case DATE -> new Expr.Literal(LocalDate.parse(s.trim()), t);
                case TIMESTAMP -> new Expr.Literal(micros(DATE_TIME.parseBest(s.trim(), OffsetDateTime::from, LocalDateTime::from), true), t);
                case TIMESTAMP_TZ -> new Expr.Literal(micros(DATE_TIME.parseBest(s.trim(), OffsetDateTime::from, LocalDateTime::from), false), t);
                case TIME -> new Expr.Literal(LocalTime.parse(s.trim()).toNanoOfDay() / 1000, t);
                case BOOLEAN -> new Expr.Literal(switch (s.trim().toLowerCase(Locale.ROOT)) {
                    case "true", "t", "1", "yes" -> true;
                    case "false", "f", "0", "no" -> false;
                    default -> throw error("'" + s + "' is not a boolean for column " + c.name());
                }, t);
                default -> literal;
            };
        } catch (DateTimeParseException e) {
            throw error("'" + s + "' is not a " + t.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " for column " + c.name()
                    + " (write e.g. '2024-01-31' or '2024-01-31 12:00:00')");
        }
    }

    /** Microseconds since 1970 UTC: a timestamp without zone as written (as the source stores it), one with an offset in UTC. */
    private static long micros(Object parsed, boolean local) {
        java.time.Instant instant = parsed instanceof OffsetDateTime o
                ? (local ? o.toLocalDateTime().toInstant(ZoneOffset.UTC) : o.toInstant())
                : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
        return ChronoUnit.MICROS.between(java.time.Instant.EPOCH, instant);
    }
}
