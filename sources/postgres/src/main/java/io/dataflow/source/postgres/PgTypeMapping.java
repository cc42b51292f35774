package io.dataflow.source.postgres;

import io.dataflow.api.LogicalType;
import io.dataflow.api.LogicalType.Kind;
import io.dataflow.source.debezium.ConnectTypes;
import java.util.Locale;

/**
 * PostgreSQL catalog types to logical types, the same mapping the Debezium path produces (config/type-mapping.md),
 * so full-load files written by the COPY loader and change files written from the log have the same columns.
 */
public final class PgTypeMapping {
    private PgTypeMapping() {}

    public static LogicalType logical(PgColumn c) {
        LogicalType t = c.isArray() ? LogicalType.arrayOf(base(c.elementName(), c.elementKind(), -1)) : base(c.typeName(), c.typeKind(), c.typmod());
        return t.withSourceType(c.formatted().toLowerCase(Locale.ROOT));
    }

    /** Also used for domains, which are resolved to their base type (and its typmod) by the catalog query. */
    static LogicalType base(String type, char kind, int typmod) {
        if (kind == 'e') {
            return LogicalType.of(Kind.ENUM);
        }
        return switch (type) {
            case "bool" -> LogicalType.of(Kind.BOOLEAN);
            case "int2" -> LogicalType.of(Kind.INT16);
            case "int4" -> LogicalType.of(Kind.INT32);
            case "oid" -> LogicalType.of(Kind.INT64);
            case "bit" -> typmod == 1 ? LogicalType.of(Kind.BOOLEAN) : LogicalType.of(Kind.STRING);
            case "point" -> LogicalType.of(Kind.BYTES);
            case "int8" -> LogicalType.of(Kind.INT64);
            case "float4" -> LogicalType.of(Kind.FLOAT32);
            case "float8" -> LogicalType.of(Kind.FLOAT64);
            case "numeric" -> numeric(typmod);
            case "money" -> LogicalType.decimal(19, 2);
            case "bytea" -> LogicalType.of(Kind.BYTES);
            case "date" -> LogicalType.of(Kind.DATE);
            case "time" -> LogicalType.of(Kind.TIME).withPrecision(6);
            case "timetz" -> LogicalType.of(Kind.TIME_TZ).withPrecision(6);
            case "timestamp" -> LogicalType.of(Kind.TIMESTAMP).withPrecision(6);
            case "timestamptz" -> LogicalType.of(Kind.TIMESTAMP_TZ).withPrecision(6);
            case "interval" -> LogicalType.of(Kind.INTERVAL);
            case "uuid" -> LogicalType.of(Kind.UUID);
            case "json", "jsonb", "hstore" -> LogicalType.of(Kind.JSON);
            default -> LogicalType.of(Kind.STRING);
        };
    }

    /** {@code numeric(p,s)}: typmod is ((p << 16) | s) + 4; without a typmod the precision is unbounded. */
    static LogicalType numeric(int typmod) {
        if (typmod < 4) {
            return LogicalType.of(Kind.STRING);
        }
        int precision = ((typmod - 4) >> 16) & 0xffff;
        int scale = (typmod - 4) & 0xffff;
        if (precision > ConnectTypes.MAX_DECIMAL_PRECISION || scale > precision) {
            return LogicalType.of(Kind.STRING);
        }
        return LogicalType.decimal(precision, scale);
    }
}
