package io.dataflow.source.debezium;

import io.dataflow.api.LogicalType;
import io.dataflow.api.LogicalType.Kind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Maps Kafka Connect schemas, as Debezium emits them, onto {@link LogicalType}s, and their values onto the
 * Java values each kind carries. This is the one place that knows Debezium's semantic type names.
 * Debezium is configured with {@code decimal.handling.mode=precise},
 * {@code time.precision.mode=adaptive_time_microseconds}, {@code interval.handling.mode=string},
 * {@code binary.handling.mode=bytes} and {@code column.propagate.source.type} for every column.
 */
public final class ConnectTypes {
    static final String SOURCE_TYPE = "__debezium.source.column.type";
    static final String SOURCE_LENGTH = "__debezium.source.column.length";
    static final String SOURCE_SCALE = "__debezium.source.column.scale";
    /** Parquet (and Athena) decimals hold at most 38 digits; wider ones are kept exact as text. */
    public static final int MAX_DECIMAL_PRECISION = 38;

    private ConnectTypes() {}

    public static LogicalType logicalType(Schema schema) {
        return logicalType(schema, false);
    }

    /**
     * @param timeIsDuration true for MySQL-family sources, whose TIME is a duration (-838:59:59 to 838:59:59):
     *     kept as text {@code [-]H:MM:SS[.ffffff]}, as Parquet's TIME holds only a time of day
     */
    public static LogicalType logicalType(Schema schema, boolean timeIsDuration) {
        String name = schema.name() == null ? "" : schema.name();
        if (timeIsDuration && (name.equals("io.debezium.time.MicroTime") || name.equals("io.debezium.time.Time")
                || name.equals("io.debezium.time.NanoTime"))) {
            String st = param(schema, SOURCE_TYPE);
            return LogicalType.of(Kind.STRING).withSourceType(st == null ? "time" : st.toLowerCase(java.util.Locale.ROOT));
        }
        if (!timeIsDuration && BITS.equals(name) && "BIT".equalsIgnoreCase(param(schema, SOURCE_TYPE)) && param(schema, "length") != null) {
            // PostgreSQL bit(n): a bit string, as the full load reads it ('0101...'), not Debezium's bytes
            return LogicalType.of(Kind.STRING).withSourceType("bit");
        }
        if (!timeIsDuration && BITS.equals(name) && "VARBIT".equalsIgnoreCase(param(schema, SOURCE_TYPE))) {
            // PostgreSQL varbit: a bit string as well; Debezium's bytes do not say how many leading zeros it had
            return LogicalType.of(Kind.STRING).withSourceType("varbit");
        }
        if ("io.dataflow.time.Temporal".equals(name)) {
            String kind = param(schema, "kind");
            LogicalType t = "date".equals(kind) ? LogicalType.of(Kind.DATE)
                    : LogicalType.of("datetime".equals(kind) ? Kind.TIMESTAMP : Kind.TIMESTAMP_TZ).withPrecision(6);
            String st = param(schema, SOURCE_TYPE);
            return st == null ? t : t.withSourceType(st.toLowerCase(java.util.Locale.ROOT));
        }
        if (schema.type() == Schema.Type.STRUCT && schema.field("wkb") != null) {
            String st = param(schema, SOURCE_TYPE);
            return LogicalType.of(Kind.BYTES).withSourceType(st == null ? "geometry" : st.toLowerCase(java.util.Locale.ROOT));
        }
        String sourceType = param(schema, SOURCE_TYPE);
        LogicalType t = switch (schema.type()) {
            case BOOLEAN -> LogicalType.of(Kind.BOOLEAN);
            case INT8, INT16 -> LogicalType.of(Kind.INT16);
            case INT32 -> switch (name) {
                case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date" -> LogicalType.of(Kind.DATE);
                case "io.debezium.time.Time", "org.apache.kafka.connect.data.Time" -> timeOf(Kind.TIME, schema, 3);
                default -> LogicalType.of(Kind.INT32);
            };
            case INT64 -> switch (name) {
                case "io.debezium.time.MicroTime" -> timeOf(Kind.TIME, schema, 6);
                case "io.debezium.time.NanoTime" -> timeOf(Kind.TIME, schema, 6);
                case "io.debezium.time.Timestamp", "org.apache.kafka.connect.data.Timestamp" -> timeOf(Kind.TIMESTAMP, schema, 3);
                case "io.debezium.time.MicroTimestamp", "io.debezium.time.NanoTimestamp" -> timeOf(Kind.TIMESTAMP, schema, 6);
                default -> LogicalType.of(Kind.INT64);
            };
            case FLOAT32 -> LogicalType.of(Kind.FLOAT32);
            case FLOAT64 -> LogicalType.of(Kind.FLOAT64);
            case STRING -> switch (name) {
                case "io.debezium.time.ZonedTimestamp" -> timeOf(Kind.TIMESTAMP_TZ, schema, 6);
                case "io.debezium.time.ZonedTime" -> timeOf(Kind.TIME_TZ, schema, 6);
                case "io.debezium.data.Json" -> LogicalType.of(Kind.JSON);
                case "io.debezium.data.Uuid" -> LogicalType.of(Kind.UUID);
                case "io.debezium.data.Enum" -> LogicalType.of(Kind.ENUM);
                case "io.debezium.time.Interval" -> LogicalType.of(Kind.INTERVAL);
                default -> LogicalType.of(Kind.STRING);
            };
            case BYTES -> "org.apache.kafka.connect.data.Decimal".equals(name) ? decimal(schema) : LogicalType.of(Kind.BYTES);
            case ARRAY -> LogicalType.arrayOf(logicalType(schema.valueSchema()));
            case STRUCT -> LogicalType.of(Kind.STRING); // variable-scale decimals, geometries: exact text
            case MAP -> LogicalType.of(Kind.JSON);
        };
        return sourceType == null ? t : t.withSourceType(sourceType.toLowerCase(java.util.Locale.ROOT));
    }

    private static LogicalType timeOf(Kind kind, Schema schema, int defaultPrecision) {
        String scale = param(schema, SOURCE_SCALE);
        int p = defaultPrecision;
        if (scale != null) {
            try {
                p = Math.min(6, Integer.parseInt(scale));
            } catch (NumberFormatException ignored) {
                // keep the default
            }
        }
        return LogicalType.of(kind).withPrecision(p);
    }

    private static LogicalType decimal(Schema schema) {
        int scale = Integer.parseInt(param(schema, "scale"));
        String p = param(schema, "connect.decimal.precision");
        if (p == null) {
            p = param(schema, SOURCE_LENGTH);
        }
        int precision = p == null ? -1 : Integer.parseInt(p);
        String sourceType = param(schema, SOURCE_TYPE);
        if (sourceType != null && sourceType.equalsIgnoreCase("money")) {
            precision = 19; // PostgreSQL money: a signed 64-bit count of cents (Debezium reports an unbounded length)
        }
        if (precision <= 0 || precision > MAX_DECIMAL_PRECISION || scale > precision || scale < 0) {
            return LogicalType.of(Kind.STRING);
        }
        return LogicalType.decimal(precision, scale);
    }

    static final String BITS = "io.debezium.data.Bits";

    /** Debezium's bytes of a bit string (least significant byte first) as the string of its {@code length} bits, first bit first. */
    static String bitString(byte[] littleEndian, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = length - 1; i >= 0; i--) {
            int at = i / 8;
            b.append(at < littleEndian.length && (littleEndian[at] >> (i % 8) & 1) == 1 ? '1' : '0');
        }
        return b.toString();
    }

    static String param(Schema schema, String key) {
        Map<String, String> params = schema.parameters();
        return params == null ? null : params.get(key);
    }

    /** Converts a Connect value of {@code schema} to the Java value of {@code type}'s kind. */
    public static Object value(Schema schema, LogicalType type, Object v) {
        if (v == null) {
            return null;
        }
        String name = schema.name() == null ? "" : schema.name();
        if (type.kind() == Kind.STRING && BITS.equals(name)) {
            byte[] b = v instanceof ByteBuffer bb ? bytes(bb) : (byte[]) v;
            if ("varbit".equals(type.sourceType())) {
                return bitString(b, b.length * 8).replaceFirst("^0+(?=.)", "");
            }
            return bitString(b, Integer.parseInt(param(schema, "length")));
        }
        if (type.kind() == Kind.STRING && (name.equals("io.debezium.time.MicroTime") || name.equals("io.debezium.time.Time")
                || name.equals("io.debezium.time.NanoTime"))) {
            long micros = switch (name) {
                case "io.debezium.time.Time" -> ((Number) v).longValue() * 1000;
                case "io.debezium.time.NanoTime" -> ((Number) v).longValue() / 1000;
                default -> ((Number) v).longValue();
            };
            return durationText(micros);
        }
        if ("io.dataflow.time.Temporal".equals(name)) {
            String text = v.toString();
            if (text.isEmpty()) {
                return null;
            }
            return switch (type.kind()) {
                case DATE -> LocalDate.parse(text);
                case TIMESTAMP -> {
                    java.time.Instant i = java.time.LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
                    yield i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
                }
                default -> instantMicros(text);
            };
        }
        if (type.kind() == Kind.BYTES && v instanceof Struct s && s.schema().field("wkb") != null) {
            Object wkb = s.get("wkb");
            return wkb instanceof ByteBuffer bb ? bytes(bb) : wkb;
        }
        return switch (type.kind()) {
            case BOOLEAN, INT32, INT64, FLOAT32, FLOAT64 -> v;
            case INT16 -> v instanceof Byte b ? (short) b : v;
            case DECIMAL -> ((BigDecimal) v).setScale(type.scale());
            case DATE -> infinite(v) || outsidePostgresDates(v) ? null : LocalDate.ofEpochDay(((Number) v).longValue());
            case TIME -> switch (name) {
                case "io.debezium.time.Time", "org.apache.kafka.connect.data.Time" -> v instanceof java.util.Date d
                        ? d.getTime() * 1000 : ((Number) v).longValue() * 1000;
                case "io.debezium.time.NanoTime" -> ((Number) v).longValue() / 1000;
                default -> ((Number) v).longValue();
            };
            case TIMESTAMP -> infinite(v) ? null : switch (name) {
                case "io.debezium.time.Timestamp" -> ((Number) v).longValue() * 1000;
                case "org.apache.kafka.connect.data.Timestamp" -> ((java.util.Date) v).getTime() * 1000;
                case "io.debezium.time.NanoTimestamp" -> Math.floorDiv(((Number) v).longValue(), 1000);
                default -> ((Number) v).longValue();
            };
            case TIMESTAMP_TZ -> infinite(v) ? null : instantMicros(v.toString());
            case TIME_TZ -> utcTimeMicros(v.toString());
            case BYTES -> v instanceof ByteBuffer bb ? bytes(bb) : v;
            case ARRAY -> {
                List<?> in = (List<?>) v;
                List<Object> out = new ArrayList<>(in.size());
                for (Object e : in) {
                    out.add(value(schema.valueSchema(), type.element(), e));
                }
                yield out;
            }
            case STRING -> stringOf(schema, v);
            default -> v instanceof Map<?, ?> m ? mapJson(m) : v.toString();
        };
    }

    private static String stringOf(Schema schema, Object v) {
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Struct s) {
            if ("io.debezium.data.VariableScaleDecimal".equals(schema.name())) {
                byte[] unscaled = s.get("value") instanceof ByteBuffer bb ? bytes(bb) : (byte[]) s.get("value");
                return new BigDecimal(new BigInteger(unscaled), s.getInt32("scale")).toPlainString();
            }
            if (s.schema().field("wkb") != null) {
                Object wkb = s.get("wkb");
                byte[] b = wkb instanceof ByteBuffer bb ? bytes(bb) : (byte[]) wkb;
                return java.util.HexFormat.of().formatHex(b);
            }
            return s.toString();
        }
        if (v instanceof ByteBuffer bb) {
            return java.util.HexFormat.of().formatHex(bytes(bb));
        }
        if (v instanceof byte[] b) {
            return java.util.HexFormat.of().formatHex(b);
        }
        return v.toString();
    }

    private static String mapJson(Map<?, ?> m) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return m.toString();
        }
    }

    /**
     * PostgreSQL's {@code infinity} and {@code -infinity}: Debezium sends the JDBC driver's sentinels
     * (9223372036825200000 / -9223372036832400000, or their day counts) or the words; Parquet has no infinity, so
     * they become null (as in the parallel loader).
     */
    static boolean infinite(Object v) {
        if (v instanceof Number n) {
            long x = n.longValue();
            return x >= 9_223_372_036_825_200_000L || x <= -9_223_372_036_832_400_000L
                    || (v instanceof Integer && (x == Integer.MAX_VALUE || x == Integer.MIN_VALUE));
        }
        return v instanceof String s && s.toLowerCase(java.util.Locale.ROOT).contains("infinity");
    }

    /** PostgreSQL's dates run from 4714-11-24 BC to 5874897-12-31; Debezium sends {@code -infinity} as a day count far below. */
    private static final long FIRST_POSTGRES_DAY = -2_440_588L;
    private static final long LAST_POSTGRES_DAY = 2_145_042_905L;

    /** A day count no PostgreSQL (or MySQL) date has: one of Debezium's renderings of +-infinity. */
    static boolean outsidePostgresDates(Object v) {
        if (v instanceof Number n) {
            long days = n.longValue();
            return days < FIRST_POSTGRES_DAY || days > LAST_POSTGRES_DAY;
        }
        return false;
    }

    /** MySQL's TIME text for a signed number of microseconds: {@code [-]H:MM:SS[.ffffff]}, hours unbounded. */
    public static String durationText(long micros) {
        String sign = micros < 0 ? "-" : "";
        long m = Math.abs(micros);
        long seconds = m / 1_000_000;
        long fraction = m % 1_000_000;
        String text = String.format(java.util.Locale.ROOT, "%s%02d:%02d:%02d", sign, seconds / 3600, seconds / 60 % 60, seconds % 60);
        return fraction == 0 ? text : text + String.format(java.util.Locale.ROOT, ".%06d", fraction);
    }

    static byte[] bytes(ByteBuffer bb) {
        ByteBuffer d = bb.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    /** Parses an ISO-8601 instant such as {@code 2024-01-02T03:04:05.123456Z} to microseconds since the epoch. */
    public static long instantMicros(String iso) {
        Instant i;
        try {
            i = Instant.parse(iso);
        } catch (DateTimeParseException e) {
            i = java.time.OffsetDateTime.parse(iso).toInstant();
        }
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
    }

    /** Parses an ISO-8601 time with offset and returns microseconds since midnight, UTC. */
    public static long utcTimeMicros(String iso) {
        OffsetTime t = OffsetTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC);
        return t.toLocalTime().toNanoOfDay() / 1000;
    }
}
