package io.dataflow.source.binlog;

import io.dataflow.api.LoadBatch;
import io.dataflow.api.LogicalType;
import io.dataflow.api.LogicalType.Kind;
import io.dataflow.api.catalog.Engine;
import io.dataflow.api.catalog.SourceColumn;
import io.dataflow.source.debezium.ConnectTypes;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * A column of a MariaDB/MySQL table as the full load reads it: its logical type (the one Debezium's binlog connectors
 * give it, with DataFlow's settings: config/type-mapping.md) and how a value is read from a result set.
 *
 * @param dataType   information_schema's {@code DATA_TYPE}, lower case
 * @param columnType information_schema's {@code COLUMN_TYPE}, lower case
 */
record BinlogColumn(String name, String dataType, String columnType, int precision, int scale, boolean nullable) {

    /**
     * The column the catalog reader describes. MariaDB's {@code json} is a {@code longtext} to the binlog (and so to the
     * change stream), so the full load reads it as one too.
     */
    static BinlogColumn of(SourceColumn c, Engine engine) {
        String dataType = engine == Engine.MARIADB && c.dataType().equals("json") ? "longtext" : c.dataType();
        return new BinlogColumn(c.name(), dataType, c.columnType().toLowerCase(Locale.ROOT), c.precision(), Math.max(c.scale(), 0),
                c.nullable());
    }

    /** The logical type Debezium's binlog connectors give this column, with DataFlow's settings. */
    LogicalType logical() {
        BinlogColumn m = this;
        boolean unsigned = m.columnType().contains("unsigned");
        LogicalType t = switch (m.dataType()) {
            case "tinyint" -> m.columnType().startsWith("tinyint(1)") ? LogicalType.of(Kind.BOOLEAN) : LogicalType.of(Kind.INT16);
            case "bit" -> m.columnType().equals("bit(1)") ? LogicalType.of(Kind.BOOLEAN) : LogicalType.of(Kind.BYTES);
            case "smallint" -> LogicalType.of(unsigned ? Kind.INT32 : Kind.INT16);
            case "mediumint" -> LogicalType.of(Kind.INT32);
            case "int", "integer" -> LogicalType.of(unsigned ? Kind.INT64 : Kind.INT32);
            case "bigint" -> unsigned ? LogicalType.decimal(20, 0) : LogicalType.of(Kind.INT64);
            case "decimal", "numeric" -> m.precision() <= ConnectTypes.MAX_DECIMAL_PRECISION
                    ? LogicalType.decimal(m.precision(), m.scale()) : LogicalType.of(Kind.STRING);
            case "float" -> LogicalType.of(Kind.FLOAT32);
            case "double", "real" -> LogicalType.of(Kind.FLOAT64);
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> LogicalType.of(Kind.BYTES);
            case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection" ->
                    LogicalType.of(Kind.BYTES);
            case "enum" -> LogicalType.of(Kind.ENUM);
            case "year" -> LogicalType.of(Kind.INT32);
            case "date" -> LogicalType.of(Kind.DATE);
            case "datetime" -> LogicalType.of(Kind.TIMESTAMP).withPrecision(6);
            case "timestamp" -> LogicalType.of(Kind.TIMESTAMP_TZ).withPrecision(6);
            case "time" -> LogicalType.of(Kind.STRING);
            case "json" -> LogicalType.of(Kind.JSON);
            default -> LogicalType.of(Kind.STRING);
        };
        return t.withSourceType(m.columnType());
    }

    /** Columns read straight into the batch's arrays, without a String or a boxed value. */
    enum Direct { NO, INTEGER, FLOAT, DOUBLE, TEXT }

    private static final java.util.Set<String> CHARACTER_TYPES =
            java.util.Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set", "json");

    Direct direct(LogicalType t) {
        BinlogColumn m = this;
        if (m.dataType().equals("bit")) {
            return Direct.NO;
        }
        return switch (t.kind()) {
            case INT16, INT32, INT64 -> Direct.INTEGER;
            case FLOAT32 -> Direct.FLOAT;
            case FLOAT64 -> Direct.DOUBLE;
            // character columns only (the driver refuses bytes of numbers): bytes in the connection's utf8mb4
            case STRING, ENUM, JSON -> CHARACTER_TYPES.contains(m.dataType()) ? Direct.TEXT : Direct.NO;
            default -> Direct.NO;
        };
    }

    static void readDirect(ResultSet rs, int i, Direct d, LoadBatch batch, int r) throws SQLException {
        switch (d) {
            case INTEGER -> {
                long v = rs.getLong(i + 1);
                if (!rs.wasNull()) {
                    batch.setLong(r, i, v);
                }
            }
            case FLOAT -> {
                float v = rs.getFloat(i + 1);
                if (!rs.wasNull()) {
                    batch.setDouble(r, i, v);
                }
            }
            case DOUBLE -> {
                double v = rs.getDouble(i + 1);
                if (!rs.wasNull()) {
                    batch.setDouble(r, i, v);
                }
            }
            case TEXT -> {
                byte[] v = rs.getBytes(i + 1);
                if (v != null) {
                    batch.setBytes(r, i, v, 0, v.length);
                }
            }
            case NO -> throw new IllegalArgumentException("column " + i + " is not read directly");
        }
    }


    Object value(ResultSet rs, int i, LogicalType t) throws SQLException {
        BinlogColumn m = this;
        if (t.kind() == Kind.BYTES) {
            byte[] b = rs.getBytes(i);
            if (b != null && m.dataType().matches("geometry|point|linestring|polygon|multi.*|geometrycollection") && b.length > 4) {
                return java.util.Arrays.copyOfRange(b, 4, b.length); // MariaDB/MySQL store a 4-byte SRID before the WKB
            }
            return b;
        }
        String s = rs.getString(i);
        if (s == null) {
            return null;
        }
        return switch (t.kind()) {
            case BOOLEAN -> rs.getBoolean(i);
            case INT16 -> (short) rs.getInt(i);
            case INT32 -> rs.getInt(i);
            case INT64 -> rs.getLong(i);
            case DECIMAL -> new BigDecimal(s).setScale(t.scale());
            case FLOAT32 -> rs.getFloat(i);
            case FLOAT64 -> rs.getDouble(i);
            case DATE -> s.startsWith("0000-00-00") ? null : LocalDate.parse(s.substring(0, 10));
            case TIMESTAMP -> s.startsWith("0000-00-00") ? null : micros(LocalDateTime.parse(s.replace(' ', 'T')));
            case TIMESTAMP_TZ -> s.startsWith("0000-00-00") ? null : micros(LocalDateTime.parse(s.replace(' ', 'T')));
            case STRING -> m.dataType().equals("time") ? ConnectTypes.durationText(timeMicros(s)) : s;
            default -> s;
        };
    }

    static boolean zeroDate(ResultSet rs, int i, LogicalType t) throws SQLException {
        if (t.kind() != Kind.DATE && t.kind() != Kind.TIMESTAMP && t.kind() != Kind.TIMESTAMP_TZ) {
            return false;
        }
        String s = rs.getString(i);
        return s != null && s.startsWith("0000-00-00");
    }

    private static long micros(LocalDateTime t) {
        java.time.Instant i = t.toInstant(ZoneOffset.UTC);
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    /** {@code [-]H:MM:SS[.ffffff]} to signed microseconds. */
    static long timeMicros(String s) {
        boolean negative = s.startsWith("-");
        String[] parts = (negative ? s.substring(1) : s).split("[:.]");
        long micros = (Long.parseLong(parts[0]) * 3600 + Long.parseLong(parts[1]) * 60 + Long.parseLong(parts[2])) * 1_000_000L;
        if (parts.length > 3) {
            String frac = (parts[3] + "000000").substring(0, 6);
            micros += Long.parseLong(frac);
        }
        return negative ? -micros : micros;
    }
}
