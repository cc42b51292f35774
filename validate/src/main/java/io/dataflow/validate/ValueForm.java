package io.dataflow.validate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The normal form both sides of a comparison are rendered into, so that equal values compare equal across engines and
 * formats: integers and decimals by value ({@code 1.50} = {@code 1.5} = {@code 1.5000}), a MariaDB {@code tinyint(1)}
 * and a PostgreSQL {@code boolean} as {@code true}/{@code false}, timestamps at microseconds (with a zone: as UTC wall
 * clock), JSON with its object keys sorted and its whitespace dropped, fixed-width text without the trailing blanks
 * engines pad it with, binary as hex, UUIDs in lower case. Everything else compares by its text. What this form cannot
 * compare is listed in the README ("Validation").
 */
final class ValueForm {
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS", Locale.ROOT);

    /** How a column's values are read, from the source column's type. */
    enum Hint {
        PLAIN,
        /** JSON documents: compared as documents. */
        JSON,
        /** {@code char(n)}: trailing blanks ignored. */
        FIXED_CHAR,
        /** single-precision floats: compared at single precision. */
        FLOAT32,
        /** PostgreSQL money: read as numeric (its text carries the currency symbol of lc_monetary). */
        MONEY,
        /** spatial values: compared as standard WKB (MariaDB/MySQL store a 4-byte SRID before it: read with ST_AsBinary). */
        GEOMETRY
    }

    private static final java.util.Set<String> SPATIAL = java.util.Set.of("geometry", "point", "linestring", "polygon", "multipoint",
            "multilinestring", "multipolygon", "geometrycollection", "geomcollection");

    private ValueForm() {}

    /** The hint for a source column's data type (as the source catalog spells it). */
    static Hint hint(String dataType) {
        String t = dataType.toLowerCase(Locale.ROOT);
        if (t.equals("json") || t.equals("jsonb")) {
            return Hint.JSON;
        }
        if (t.equals("char") || t.equals("bpchar") || t.equals("character") || t.equals("nchar")) {
            return Hint.FIXED_CHAR;
        }
        if (t.equals("real") || t.equals("float4") || t.equals("float")) {
            return Hint.FLOAT32;
        }
        if (t.equals("money")) {
            return Hint.MONEY;
        }
        if (SPATIAL.contains(t)) {
            return Hint.GEOMETRY;
        }
        return Hint.PLAIN;
    }

    /** The normal form of a value; null stays null. */
    static String of(Object v, Hint hint) {
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b.toString();
        }
        if (v instanceof Float f) {
            return Float.toString(f);
        }
        if (v instanceof Double d) {
            return hint == Hint.FLOAT32 ? Float.toString(d.floatValue()) : Double.toString(d);
        }
        if (v instanceof BigDecimal d) {
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
            return v.toString();
        }
        if (v instanceof byte[] b) {
            return "\\x" + HexFormat.of().formatHex(b);
        }
        if (v instanceof ByteBuffer bb) {
            ByteBuffer d = bb.duplicate();
            byte[] b = new byte[d.remaining()];
            d.get(b);
            return "\\x" + HexFormat.of().formatHex(b);
        }
        if (v instanceof java.util.UUID u) {
            return u.toString();
        }
        if (v instanceof java.sql.SQLXML x) {
            try {
                return x.getString();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("reading an xml value: " + e.getMessage(), e);
            }
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        if (v instanceof java.sql.Timestamp t) {
            return TIMESTAMP.format(t.toLocalDateTime());
        }
        if (v instanceof LocalDateTime t) {
            return TIMESTAMP.format(t);
        }
        if (v instanceof OffsetDateTime t) {
            return TIMESTAMP.format(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
        }
        if (v instanceof ZonedDateTime t) {
            return TIMESTAMP.format(t.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime());
        }
        if (v instanceof Instant t) {
            return TIMESTAMP.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
        }
        if (v instanceof java.sql.Time t) {
            return TIME.format(t.toLocalTime());
        }
        if (v instanceof LocalTime t) {
            return TIME.format(t);
        }
        if (v instanceof java.sql.Array a) {
            try {
                return list(java.util.Arrays.asList((Object[]) a.getArray()), hint);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        if (v instanceof List<?> l) {
            return list(l, hint);
        }
        String s = v.toString();
        if (hint == Hint.JSON) {
            return json(s);
        }
        if (hint == Hint.FIXED_CHAR) {
            return s.stripTrailing();
        }
        if (looksLikeUuid(s)) {
            return s.toLowerCase(Locale.ROOT);
        }
        return s;
    }

    private static String list(List<?> l, Hint hint) {
        List<String> out = new ArrayList<>();
        for (Object e : l) {
            out.add(of(e, hint));
        }
        return out.toString();
    }

    static String json(String s) {
        try {
            return JSON.writeValueAsString(JSON.readValue(s, Object.class));
        } catch (java.io.IOException e) {
            return s;
        }
    }

    private static boolean looksLikeUuid(String s) {
        return s.length() == 36 && s.charAt(8) == '-' && s.charAt(13) == '-' && s.charAt(18) == '-' && s.charAt(23) == '-'
                && s.chars().allMatch(c -> c == '-' || Character.digit(c, 16) >= 0);
    }

    /** A key value in a form that orders the same on both sides: numbers by value, text by code point. */
    static Comparable<?> keyOf(Object v, Hint hint) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n && !(v instanceof Float) && !(v instanceof Double)) {
            return new BigDecimal(n.toString());
        }
        if ((v instanceof Double || v instanceof Float) && Double.isFinite(((Number) v).doubleValue())) {
            // ordered by value; a float key compares at single precision
            return v instanceof Float || hint == Hint.FLOAT32 ? new BigDecimal(Float.toString(((Number) v).floatValue()))
                    : new BigDecimal(((Number) v).doubleValue());
        }
        return of(v, hint);
    }

    /**
     * Whether two values as read are equal in normal form: values of the same plain class are compared as they are, text
     * of fixed width without its trailing blanks; anything else through {@link #of}.
     */
    static boolean same(Object a, Object b, Hint hint) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.getClass() == b.getClass()) {
            if (a instanceof String x && hint != Hint.JSON) {
                if (x.equals(b)) {
                    return true;
                }
                if (hint == Hint.FIXED_CHAR) {
                    return x.stripTrailing().equals(((String) b).stripTrailing());
                }
            } else if (a instanceof Long || a instanceof Integer || a instanceof Short || a instanceof Boolean || a instanceof LocalDate
                    || a instanceof LocalDateTime || a instanceof java.util.UUID) {
                return a.equals(b);
            }
        }
        return java.util.Objects.equals(of(a, hint), of(b, hint));
    }

    /** Orders two normalized keys component by component: numbers numerically, text by Unicode code point. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareKeys(List<Comparable<?>> a, List<Comparable<?>> b) {
        for (int i = 0; i < a.size(); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            int c;
            if (x == null || y == null) {
                c = Boolean.compare(x != null, y != null);
            } else if (x instanceof Long lx && y instanceof Long ly) {
                c = Long.compare(lx, ly);
            } else if ((x instanceof Long || x instanceof BigDecimal) && (y instanceof Long || y instanceof BigDecimal)) {
                c = new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
            } else {
                c = codePoints(x.toString(), y.toString());
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    static int codePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
