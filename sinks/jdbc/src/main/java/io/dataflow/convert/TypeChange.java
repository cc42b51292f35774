package io.dataflow.convert;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether changing a target column from one type to another (both as the target's DDL spells them) keeps every value:
 * a longer {@code varchar}, a wider integer, a decimal with more integer digits and no fewer fraction digits, a
 * finer timestamp, {@code real} to {@code double}, any text type to an unbounded one. Anything else is narrowing or
 * incompatible, and only applied when the pipeline says {@code ddl: apply-unsafe}.
 */
public final class TypeChange {
    private static final Pattern TYPE = Pattern.compile("([a-z][a-z ]*?)\\s*(?:\\((\\d+)(?:\\s*,\\s*(\\d+))?\\))?\\s*(unsigned)?");
    private static final List<String> INTEGERS = List.of("tinyint", "smallint", "mediumint", "int", "bigint");
    private static final List<String> TEXTS = List.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext");
    private static final List<String> BINARIES = List.of("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bytea");

    /** What a type change does to the values a column holds. */
    public enum Kind {
        /** The same type. */
        SAME,
        /** Every value fits the new type unchanged. */
        WIDENING,
        /** Some values may not fit, or would change. */
        NARROWING
    }

    private TypeChange() {}

    public static Kind classify(String from, String to) {
        Spelled a = spell(from);
        Spelled b = spell(to);
        if (a == null || b == null) {
            return normalize(from).equals(normalize(to)) ? Kind.SAME : Kind.NARROWING;
        }
        if (a.equals(b)) {
            return Kind.SAME;
        }
        if (integerRank(a.base) >= 0 && integerRank(b.base) >= 0) {
            int ra = integerRank(a.base);
            int rb = integerRank(b.base);
            if (a.unsigned == b.unsigned) {
                return rb > ra ? Kind.WIDENING : rb == ra ? Kind.SAME : Kind.NARROWING;
            }
            return a.unsigned && rb > ra ? Kind.WIDENING : Kind.NARROWING; // unsigned into a wider signed type fits
        }
        if (a.unsigned && !b.unsigned || !a.unsigned && b.unsigned) {
            return Kind.NARROWING;
        }
        if (a.base.equals("decimal") && b.base.equals("decimal")) {
            if (a.p < 0 || b.p < 0) {
                return b.p < 0 ? Kind.WIDENING : Kind.NARROWING; // numeric without precision holds any value
            }
            return b.p - b.s >= a.p - a.s && b.s >= a.s ? Kind.WIDENING : Kind.NARROWING;
        }
        if (a.base.equals("float") && b.base.equals("double")) {
            return Kind.WIDENING;
        }
        if (a.base.equals(b.base) && List.of("timestamp", "timestamptz", "datetime", "time").contains(a.base)) {
            return b.p >= a.p ? Kind.WIDENING : Kind.NARROWING;
        }
        if (TEXTS.contains(a.base) && TEXTS.contains(b.base)) {
            return length(b) >= length(a) && !(b.base.equals("char") && !a.base.equals("char")) ? Kind.WIDENING : Kind.NARROWING;
        }
        if (BINARIES.contains(a.base) && BINARIES.contains(b.base)) {
            return length(b) >= length(a) && !b.base.equals("binary") ? Kind.WIDENING : Kind.NARROWING;
        }
        return Kind.NARROWING;
    }

    /** The longest value a text or binary type holds (characters or bytes); unbounded types give Long.MAX_VALUE. */
    private static long length(Spelled t) {
        return switch (t.base) {
            case "char", "varchar", "binary", "varbinary" -> t.p < 0 ? (t.base.equals("varchar") ? Long.MAX_VALUE : 1) : t.p;
            case "tinytext", "tinyblob" -> 255;
            case "text", "blob" -> t.base.equals("text") && t.p < 0 ? Long.MAX_VALUE - 1 : 65_535; // PostgreSQL text is unbounded
            case "mediumtext", "mediumblob" -> 16_777_215;
            default -> Long.MAX_VALUE;
        };
    }

    private static int integerRank(String base) {
        return INTEGERS.indexOf(base);
    }

    private record Spelled(String base, int p, int s, boolean unsigned) {}

    private static Spelled spell(String type) {
        Matcher m = TYPE.matcher(normalize(type));
        if (!m.matches()) {
            return null;
        }
        String base = switch (m.group(1).strip()) {
            case "integer", "int4", "mediumint" -> m.group(1).strip().equals("mediumint") ? "mediumint" : "int";
            case "int2" -> "smallint";
            case "int8" -> "bigint";
            case "numeric" -> "decimal";
            case "real", "float4" -> "float";
            case "double precision", "float8" -> "double";
            case "character varying" -> "varchar";
            case "character" -> "char";
            case "timestamp without time zone" -> "timestamp";
            case "timestamp with time zone" -> "timestamptz";
            default -> m.group(1).strip();
        };
        int p = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
        int s = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        if (INTEGERS.contains(base)) {
            p = -1; // display widths (int(11)) say nothing about range
        }
        if (p < 0 && List.of("timestamp", "timestamptz", "time", "datetime").contains(base)) {
            p = base.equals("datetime") ? 0 : 6; // PostgreSQL's default precision is 6, MariaDB's datetime has 0
        }
        return new Spelled(base, p, s, m.group(4) != null);
    }

    /**
     * Lower case, single spaces, and the catalogs' own spellings folded into the DDL ones: PostgreSQL's timestamps,
     * MariaDB's JSON (a LONGTEXT to its catalog), enum and set labels (not compared), year's display width.
     */
    private static String normalize(String type) {
        String t = type.toLowerCase(Locale.ROOT).strip().replaceAll("\\s+", " ");
        if (t.equals("json")) {
            return "longtext";
        }
        if (t.startsWith("enum(") || t.startsWith("set(")) {
            return t.substring(0, t.indexOf('('));
        }
        if (t.startsWith("year(")) {
            return "year";
        }
        t = t.replaceAll("^timestamp(\\(\\d+\\))? with time zone$", "timestamptz$1");
        t = t.replaceAll("^(timestamp|time)(\\(\\d+\\))? without time zone$", "$1$2");
        return t;
    }
}
