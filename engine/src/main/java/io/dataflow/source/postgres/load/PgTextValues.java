package io.dataflow.source.postgres.load;

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
 * Converts PostgreSQL's text output (session settings of {@link CopyReader#SESSION}: DateStyle ISO, IntervalStyle
 * iso_8601, TimeZone UTC, extra_float_digits 3, bytea_output hex) into the Java values of each logical kind, equal
 * to what the Debezium path produces for the same data.
 */
public final class PgTextValues {
    private PgTextValues() {}

    public static Object convert(LogicalType t, String text) {
        if (text == null) {
            return null;
        }
        return switch (t.kind()) {
            case BOOLEAN -> text.equals("t");
            case INT16 -> Short.parseShort(text);
            case INT32 -> Integer.parseInt(text);
            case INT64 -> Long.parseLong(text);
            case FLOAT32 -> Float.parseFloat(text);
            case FLOAT64 -> Double.parseDouble(text);
            case DECIMAL -> text.equals("NaN") ? null : new BigDecimal(text).setScale(t.scale());
            case STRING, ENUM, JSON, UUID, INTERVAL -> text;
            case BYTES -> HexFormat.of().parseHex(text.startsWith("\\x") ? text.substring(2) : text);
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
