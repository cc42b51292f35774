package io.dataflow.jdbc;

import io.dataflow.runtime.ValueIssues;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflow.api.LogicalType;
import io.dataflow.api.catalog.Engine;
import io.dataflow.convert.TargetTable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an event's value (the Java class its {@link LogicalType.Kind} names) into what the target column takes:
 * for PostgreSQL always text in the server's input syntax (bound as an untyped parameter or written by COPY), for
 * MariaDB/MySQL text, or bytes for binary columns. Values the target cannot hold become NULL and are counted in
 * {@link ValueIssues}: dates outside MariaDB's years 1000..9999, MySQL durations outside PostgreSQL's time of day,
 * NaN and infinities in MariaDB, NUL characters in PostgreSQL text (dropped).
 */
public final class ValueRenderer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DURATION = Pattern.compile("(-)?(\\d+):(\\d{2}):(\\d{2})(\\.\\d+)?");
    private static final java.util.Set<String> NUMERIC = java.util.Set.of("decimal", "numeric", "float", "double", "real",
            "int", "integer", "bigint", "smallint", "tinyint", "mediumint");
    private final Engine target;
    private final ValueIssues issues;

    public ValueRenderer(Engine target, ValueIssues issues) {
        this.target = target;
        this.issues = issues;
    }

    boolean pg() {
        return target == Engine.POSTGRES;
    }

    /** The value to bind or copy; null for SQL NULL. */
    public Object render(Object v, LogicalType type, TargetTable.TargetColumn column, String label) {
        if (v == null) {
            return null;
        }
        String base = column.baseType();
        return switch (type.kind()) {
            case BOOLEAN -> {
                boolean b = (Boolean) v;
                yield pg() && base.equals("boolean") ? (b ? "t" : "f") : (b ? "1" : "0");
            }
            case INT16, INT32, INT64 -> base.equals("boolean") ? (((Number) v).longValue() != 0 ? "t" : "f") : v.toString();
            case DECIMAL -> ((BigDecimal) v).toPlainString();
            case FLOAT32, FLOAT64 -> floating(((Number) v).doubleValue(), v.toString(), label);
            case BYTES -> pg() ? "\\x" + HexFormat.of().formatHex((byte[]) v) : v;
            case DATE -> date((LocalDate) v, label);
            case TIME -> clock((Long) v, false);
            case TIME_TZ -> clock((Long) v, pg());
            case TIMESTAMP -> timestamp((Long) v, false, label);
            case TIMESTAMP_TZ -> timestamp((Long) v, pg(), label);
            case ARRAY -> array((List<?>) v, type.element(), column, label);
            case STRING, ENUM, JSON, UUID, INTERVAL -> text((String) v, column, base, label);
        };
    }

    private Object floating(double d, String text, String label) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            if (pg()) {
                return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
            }
            issues.count(label, "NaN or infinity has no MariaDB value; written as NULL");
            return null;
        }
        return text;
    }

    private Object text(String s, TargetTable.TargetColumn column, String base, String label) {
        if (pg() && base.equals("text[]") && column.source() != null && column.source().dataType().equals("set")) {
            return s.isEmpty() ? "{}" : pgArray(List.of(s.split(",", -1)), null, column, label);
        }
        if (pg() && base.equals("time") && column.source() != null && column.source().dataType().equals("time")) {
            Matcher m = DURATION.matcher(s);
            if (m.matches() && (m.group(1) != null || Integer.parseInt(m.group(2)) > 24
                    || (Integer.parseInt(m.group(2)) == 24 && !s.matches("24:00:00(\\.0*)?")))) {
                issues.count(label, "durations outside PostgreSQL's time of day (00:00..24:00) written as NULL; change-type to interval keeps them");
                return null;
            }
        }
        if (!pg() && NUMERIC.contains(base) && s.matches("(?i)[+-]?(nan|inf|infinity)")) {
            issues.count(label, "NaN or infinity has no MariaDB " + base + " value; written as NULL");
            return null;
        }
        if (pg() && s.indexOf('\0') >= 0) {
            issues.count(label, "NUL characters dropped (PostgreSQL text cannot hold them)");
            return s.replace("\0", "");
        }
        return s;
    }

    private Object date(LocalDate d, String label) {
        if (pg()) {
            return d.getYear() <= 0 ? String.format(Locale.ROOT, "%04d-%02d-%02d BC", 1 - d.getYear(), d.getMonthValue(), d.getDayOfMonth())
                    : d.toString();
        }
        if (d.getYear() < 1000 || d.getYear() > 9999) {
            issues.count(label, "date outside MariaDB's years 1000..9999; written as NULL");
            return null;
        }
        return d.toString();
    }

    private static String clock(long micros, boolean utcSuffix) {
        long m = Math.floorMod(micros, 86_400_000_000L);
        String t = String.format(Locale.ROOT, "%02d:%02d:%02d.%06d", m / 3_600_000_000L, m / 60_000_000L % 60, m / 1_000_000L % 60, m % 1_000_000L);
        return utcSuffix ? t + "+00" : t;
    }

    private Object timestamp(long micros, boolean utcSuffix, String label) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000,
                ZoneOffset.UTC);
        String clock = clock(Math.floorMod(micros, 86_400_000_000L), false);
        if (!pg() && (t.getYear() < 1000 || t.getYear() > 9999)) {
            issues.count(label, "timestamp outside MariaDB's years 1000..9999; written as NULL");
            return null;
        }
        boolean bc = t.getYear() <= 0;
        String day = String.format(Locale.ROOT, "%04d-%02d-%02d", bc ? 1 - t.getYear() : t.getYear(), t.getMonthValue(), t.getDayOfMonth());
        return day + " " + clock + (utcSuffix ? "+00" : "") + (bc ? " BC" : "");
    }

    private Object array(List<?> values, LogicalType element, TargetTable.TargetColumn column, String label) {
        if (pg() && column.baseType().endsWith("[]")) {
            return pgArray(values, element, column, label);
        }
        List<Object> out = new ArrayList<>();
        for (Object e : values) {
            out.add(e == null ? null : jsonValue(e, element, column, label));
        }
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object jsonValue(Object e, LogicalType element, TargetTable.TargetColumn column, String label) {
        if (e instanceof List<?> nested) {
            List<Object> out = new ArrayList<>();
            nested.forEach(x -> out.add(x == null ? null : jsonValue(x, element.element() == null ? element : element.element(), column, label)));
            return out;
        }
        if (e instanceof Number || e instanceof Boolean) {
            return e;
        }
        Object r = render(e, element, column, label);
        return r instanceof byte[] b ? HexFormat.of().formatHex(b) : r;
    }

    private String pgArray(List<?> values, LogicalType element, TargetTable.TargetColumn column, String label) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object e = values.get(i);
            if (e == null) {
                sb.append("NULL");
            } else if (e instanceof List<?> nested) {
                sb.append(pgArray(nested, element == null ? null : element.element() == null ? element : element.element(), column, label));
            } else {
                Object r = element == null ? e.toString() : render(e, element, column, label);
                String s = r == null ? null : r.toString();
                if (s == null) {
                    sb.append("NULL");
                } else {
                    sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                }
            }
        }
        return sb.append('}').toString();
    }
}
