package io.dataflow.source.postgres;

import io.dataflow.api.LogicalType;
import io.dataflow.source.debezium.ConnectTypes;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Converts PostgreSQL's text output (session settings of {@link #SESSION}: DateStyle ISO, IntervalStyle
 * iso_8601, TimeZone UTC, extra_float_digits 3, bytea_output hex) into the Java values of each logical kind, equal
 * to what the Debezium path produces for the same data.
 */
public final class PgTextValues {
    /** The settings under which values are read: name and value, in order. */
    private static final String[][] SETTINGS = {
        {"DateStyle", "ISO,YMD"}, {"IntervalStyle", "iso_8601"}, {"TimeZone", "UTC"}, {"extra_float_digits", "3"}, {"bytea_output", "hex"}
    };

    /** The settings as statements for a session (the full load's connections). */
    public static final String[] SESSION = java.util.Arrays.stream(SETTINGS).map(s -> "SET " + s[0] + " = '" + s[1] + "'").toArray(String[]::new);

    /** The settings as startup options ({@code -c name=value ...}), for a connection that takes no statements (a walsender). */
    static final String STARTUP_OPTIONS = java.util.Arrays.stream(SETTINGS).map(s -> "-c " + s[0] + "=" + s[1])
            .collect(java.util.stream.Collectors.joining(" "));

    private PgTextValues() {}

    public static Object convert(LogicalType t, String text) {
        if (text == null) {
            return null;
        }
        if (text.endsWith("infinity") && (t.kind() == LogicalType.Kind.DATE || t.kind() == LogicalType.Kind.TIMESTAMP
                || t.kind() == LogicalType.Kind.TIMESTAMP_TZ)) {
            return null; // 'infinity' has no Parquet representation (documented in config/type-mapping.md)
        }
        if (text.endsWith(" BC") && (t.kind() == LogicalType.Kind.DATE || t.kind() == LogicalType.Kind.TIMESTAMP
                || t.kind() == LogicalType.Kind.TIMESTAMP_TZ)) {
            return beforeChrist(t, text.substring(0, text.length() - 3));
        }
        return switch (t.kind()) {
            case BOOLEAN -> text.equals("t") || text.equals("1");
            case INT16 -> Short.parseShort(text);
            case INT32 -> Integer.parseInt(text);
            case INT64 -> Long.parseLong(text);
            case FLOAT32 -> Float.parseFloat(text);
            case FLOAT64 -> Double.parseDouble(text);
            case DECIMAL -> text.equals("NaN") ? null : new BigDecimal(text).setScale(t.scale());
            case STRING, ENUM, JSON, UUID, INTERVAL -> text;
            case BYTES -> t.sourceType().startsWith("point") ? pointWkb(text) : HexFormat.of().parseHex(text.startsWith("\\x") ? text.substring(2) : text);
            case DATE -> LocalDate.parse(text);
            case TIME -> text.startsWith("24:00:00") ? 86_400_000_000L : LocalTime.parse(text).toNanoOfDay() / 1000;
            case TIME_TZ -> ConnectTypes.utcTimeMicros(offset(text));
            case TIMESTAMP -> {
                LocalDateTime l = LocalDateTime.parse(text.replace(' ', 'T'));
                java.time.Instant i = l.toInstant(ZoneOffset.UTC);
                yield Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
            }
            case TIMESTAMP_TZ -> ConnectTypes.instantMicros(offset(text.replace(' ', 'T')));
            case ARRAY -> array(t.element(), text);
        };
    }

    /** 'YYYY-MM-DD... BC': ISO year = 1 - BC year (proleptic Gregorian, as java.time counts). */
    static Object beforeChrist(LogicalType t, String text) {
        int dash = text.indexOf('-');
        int bcYear = Integer.parseInt(text.substring(0, dash));
        int year = 1 - bcYear;
        String iso = (year < 0 ? String.format(java.util.Locale.ROOT, "-%04d", -year) : String.format(java.util.Locale.ROOT, "%04d", year))
                + text.substring(dash);
        return switch (t.kind()) {
            case DATE -> LocalDate.parse(iso.substring(0, iso.indexOf('-', 1) + 6));
            default -> {
                String local = iso.replace(' ', 'T').replaceAll("[+-]\\d{2}(:\\d{2})?$", "");
                java.time.Instant i = LocalDateTime.parse(local).toInstant(ZoneOffset.UTC);
                yield Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
            }
        };
    }

    /** A point read as {@code "x y"} to OGC WKB (little endian), as Debezium writes PostgreSQL points. */
    static byte[] pointWkb(String text) {
        String[] xy = text.split(" ");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(21).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 1).putInt(1).putDouble(Double.parseDouble(xy[0])).putDouble(Double.parseDouble(xy[1]));
        return b.array();
    }

    /** PostgreSQL writes offsets as {@code +02} or {@code +05:30}; java.time wants {@code +02:00}. */
    static String offset(String text) {
        return text.matches(".*[+-]\\d{2}$") ? text + ":00" : text;
    }

    /** A one-dimensional array literal such as {@code {1,NULL,"a b",c}}; nested arrays are flattened. */
    static List<Object> array(LogicalType element, String text) {
        List<Object> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '{' || c == '}' || c == ',') {
                i++;
                continue;
            }
            if (c == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (i < n && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    b.append(text.charAt(i++));
                }
                i++;
                out.add(convert(element, b.toString()));
            } else {
                int start = i;
                while (i < n && text.charAt(i) != ',' && text.charAt(i) != '}') {
                    i++;
                }
                String raw = text.substring(start, i);
                out.add(raw.equals("NULL") ? null : convert(element, raw));
            }
        }
        return out;
    }
}
