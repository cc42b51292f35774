package io.dataflow.validate;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A checksum of a key range that PostgreSQL and MariaDB/MySQL both compute in SQL, so that a range of a table in one
 * engine is proven equal to its copy in the other without moving a row: each row is rendered as one text — every
 * column in a form both engines spell alike for its type family, text prefixed by its length so no two rows render
 * alike, NULL as {@code ~} — the first 60 bits of its MD5 are summed, and the row count is kept next to the sum.
 *
 * <p>Only columns of the same family on both sides take part: integers (signed or not), booleans (a MariaDB
 * {@code tinyint(1)} and a PostgreSQL {@code boolean}), decimals of the same declared scale (or none: integers), text
 * (PostgreSQL's {@code char(n)} without its trailing blanks, and only against text when the normal form ignores them
 * too), dates, timestamps without a time zone (at microseconds), and binary. A table with any other column (floats,
 * JSON, times, time zones, enums of another shape) has no portable checksum and is compared row by row. A checksum can
 * only differ where the normal form might not: every family renders a value at least as strictly as {@link ValueForm}
 * compares it, so equal sums never hide a difference the rows would show, and a range whose sums differ is compared
 * row by row (where values the engines merely spell differently still compare equal).
 */
final class RowDigest {
    /** A column's type family, as far as both engines render it alike. */
    enum Family {
        INTEGER, BOOLEAN, DECIMAL, TEXT, FIXED_TEXT, DATE, TIMESTAMP, BINARY
    }

    /** A column's family and, for decimals, its declared scale. */
    record ColumnKind(Family family, int scale) {}

    private RowDigest() {}

    /**
     * The family of a column as a side's JDBC driver describes it ({@code ResultSetMetaData}); empty for one without a
     * portable rendering.
     */
    static Optional<ColumnKind> kind(String typeName, int precision, int scale, boolean postgres) {
        String t = typeName.toLowerCase(Locale.ROOT);
        Family f = postgres ? postgresFamily(t) : mysqlFamily(t);
        if (f == null) {
            return Optional.empty();
        }
        if (f == Family.DECIMAL) {
            if (precision <= 0) {
                return Optional.empty(); // PostgreSQL's unconstrained numeric: no fixed scale to render with
            }
            // a decimal without fraction digits prints as the integer it holds (MariaDB's BIGINT UNSIGNED lands as numeric(20))
            return Optional.of(scale == 0 ? new ColumnKind(Family.INTEGER, 0) : new ColumnKind(f, scale));
        }
        return Optional.of(new ColumnKind(f, 0));
    }

    private static Family postgresFamily(String t) {
        return switch (t) {
            case "int2", "int4", "int8", "serial", "bigserial", "smallserial" -> Family.INTEGER;
            case "bool" -> Family.BOOLEAN;
            case "numeric" -> Family.DECIMAL;
            case "varchar", "text" -> Family.TEXT;
            case "bpchar" -> Family.FIXED_TEXT;
            case "date" -> Family.DATE;
            case "timestamp" -> Family.TIMESTAMP;
            case "bytea" -> Family.BINARY;
            default -> null;
        };
    }

    private static Family mysqlFamily(String t) {
        String base = t.replace(" unsigned", "");
        return switch (base) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint" -> Family.INTEGER;
            case "boolean" -> Family.BOOLEAN;
            case "decimal" -> Family.DECIMAL;
            // MariaDB/MySQL hand out CHAR without its trailing blanks: as text, it is the value itself
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext" -> Family.TEXT;
            case "date" -> Family.DATE;
            case "datetime" -> Family.TIMESTAMP;
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> Family.BINARY;
            default -> null;
        };
    }

    /**
     * Whether a column of these kinds on the two sides can be checksummed: the same kind, or PostgreSQL's blank-padded
     * {@code char(n)} (rendered without its trailing blanks) against text when the normal form ignores trailing blanks
     * too (the source column is fixed-width), so that equal renderings still mean equal normal forms.
     */
    static boolean alike(ColumnKind source, ColumnKind target, ValueForm.Hint hint) {
        if (source.equals(target)) {
            return true;
        }
        Set<Family> pair = Set.of(source.family(), target.family());
        return hint == ValueForm.Hint.FIXED_CHAR && pair.equals(Set.of(Family.FIXED_TEXT, Family.TEXT));
    }

    /** The SQL expression of one column's text in this engine (NULL for NULL). */
    static String render(Family family, String column, boolean postgres) {
        if (postgres) {
            return switch (family) {
                case INTEGER, DECIMAL, DATE -> column + "::text";
                case BOOLEAN -> "CASE WHEN " + column + " THEN 't' WHEN NOT " + column + " THEN 'f' END";
                case TEXT, FIXED_TEXT -> "length(" + column + "::text)::text || ':' || " + column + "::text";
                case TIMESTAMP -> "to_char(" + column + ", 'YYYY-MM-DD HH24:MI:SS.US')";
                case BINARY -> "encode(" + column + ", 'hex')";
            };
        }
        return switch (family) {
            case INTEGER, DECIMAL, DATE -> "CAST(" + column + " AS CHAR)";
            case BOOLEAN -> "CASE WHEN " + column + " IS NULL THEN NULL WHEN " + column + " <> 0 THEN 't' ELSE 'f' END";
            case TEXT, FIXED_TEXT -> "CONCAT(CHAR_LENGTH(" + column + "), ':', CONVERT(" + column + " USING utf8mb4))";
            case TIMESTAMP -> "DATE_FORMAT(" + column + ", '%Y-%m-%d %H:%i:%s.%f')";
            case BINARY -> "LOWER(HEX(" + column + "))";
        };
    }

    /**
     * The select list of a range's checksum in this engine: the row count and the sum of the rows' hashes, each a
     * non-negative 60-bit number (so both engines sum exactly, as numeric and as DECIMAL).
     *
     * @param columns the quoted column names
     * @param kinds   their families, in the same order
     */
    static String selectList(List<String> columns, List<ColumnKind> kinds, boolean postgres) {
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            String r = "COALESCE(" + render(kinds.get(i).family(), columns.get(i), postgres) + ", '~')";
            if (postgres) {
                row.append(i == 0 ? "" : " || ',' || ").append(r);
            } else {
                row.append(i == 0 ? "" : ", ',', ").append(r);
            }
        }
        if (postgres) {
            return "count(*), coalesce(sum(('x' || substr(md5(" + row + "), 1, 15))::bit(60)::bigint), 0)";
        }
        return "COUNT(*), COALESCE(SUM(CAST(CONV(SUBSTR(MD5(CONCAT(" + row + ")), 1, 15), 16, 10) AS UNSIGNED)), 0)";
    }
}
