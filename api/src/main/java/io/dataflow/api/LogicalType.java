package io.dataflow.api;

import java.util.List;
import java.util.Objects;

/**
 * The engine-neutral type of a column. Every source maps its types onto these once, at the edge; sinks
 * map these onto their own formats. The Java value carried for each kind is fixed (see {@link Kind}).
 *
 * @param kind      the kind
 * @param precision decimal precision, or fractional-second digits for time kinds (0..6); -1 when unknown
 * @param scale     decimal scale; 0 otherwise
 * @param element   the element type of an {@link Kind#ARRAY}; null otherwise
 * @param sourceType the source engine's own spelling of the type (for reports), may be empty
 */
public record LogicalType(Kind kind, int precision, int scale, LogicalType element, String sourceType) {

    /** The kinds, with the Java class of their values. */
    public enum Kind {
        /** {@link Boolean}. */
        BOOLEAN,
        /** {@link Short}. */
        INT16,
        /** {@link Integer}. */
        INT32,
        /** {@link Long}. */
        INT64,
        /** {@link java.math.BigDecimal} with exactly {@code scale}, at most {@code precision} digits. */
        DECIMAL,
        /** {@link Float}. */
        FLOAT32,
        /** {@link Double}. */
        FLOAT64,
        /** {@link String}. */
        STRING,
        /** {@link String} holding one of the enum's labels. */
        ENUM,
        /** {@link String} holding a JSON document. */
        JSON,
        /** {@link String} in canonical 8-4-4-4-12 form. */
        UUID,
        /** {@code byte[]}. */
        BYTES,
        /** {@link java.time.LocalDate}. */
        DATE,
        /** {@link Long}: microseconds since midnight, no time zone. */
        TIME,
        /** {@link Long}: microseconds since midnight, UTC. */
        TIME_TZ,
        /** {@link Long}: microseconds since 1970-01-01T00:00, no time zone (wall clock). */
        TIMESTAMP,
        /** {@link Long}: microseconds since the epoch, an instant (UTC). */
        TIMESTAMP_TZ,
        /** {@link String}: ISO-8601 duration such as {@code P1Y2M3DT4H5M6.5S}. */
        INTERVAL,
        /** {@link java.util.List} of values of the element type (nulls allowed). */
        ARRAY
    }

    public LogicalType {
        Objects.requireNonNull(kind, "kind");
        sourceType = sourceType == null ? "" : sourceType;
        if (kind == Kind.ARRAY) {
            Objects.requireNonNull(element, "element of ARRAY");
        }
    }

    public static LogicalType of(Kind kind) {
        return new LogicalType(kind, -1, 0, null, "");
    }

    public static LogicalType decimal(int precision, int scale) {
        return new LogicalType(Kind.DECIMAL, precision, scale, null, "");
    }

    public static LogicalType arrayOf(LogicalType element) {
        return new LogicalType(Kind.ARRAY, -1, 0, element, "");
    }

    public LogicalType withSourceType(String type) {
        return new LogicalType(kind, precision, scale, element, type);
    }

    public LogicalType withPrecision(int p) {
        return new LogicalType(kind, p, scale, element, sourceType);
    }

    /** Kinds whose values are strings. */
    public boolean isTextual() {
        return List.of(Kind.STRING, Kind.ENUM, Kind.JSON, Kind.UUID, Kind.INTERVAL).contains(kind);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DECIMAL -> "decimal(" + precision + "," + scale + ")";
            case ARRAY -> "array<" + element + ">";
            default -> kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** Equality ignoring {@link #sourceType}: two columns with the same logical type store alike. */
    public boolean sameStorage(LogicalType o) {
        return kind == o.kind && precision == o.precision && scale == o.scale
                && (element == null ? o.element == null : o.element != null && element.sameStorage(o.element));
    }
}
