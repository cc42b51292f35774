package io.dataflow.source.binlog;

import io.dataflow.runtime.ValueIssues;
import io.dataflow.source.debezium.SourceServices;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MySQL-family zero dates ({@code 0000-00-00}, {@code 0000-00-00 00:00:00}) in NOT NULL {@code date},
 * {@code datetime} and {@code timestamp} columns become null, counted per column and logged once per column.
 * (Debezium alone writes the column's default value instead, which is indistinguishable from real data.)
 * Nullable columns are left to Debezium, which already turns zero dates into null there.
 *
 * <p>Debezium replaces a null it is handed for a NOT NULL column by the column's default, so these columns
 * travel as text of the semantic type {@value #SCHEMA_NAME} (parameter {@code kind}: date, datetime or
 * timestamp), with the empty string for a zero date; {@code ConnectTypes} turns them back into DATE, TIMESTAMP
 * and TIMESTAMP_TZ values and the empty string into null.
 */
public final class ZeroDateConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {
    private static final Logger LOG = LoggerFactory.getLogger(ZeroDateConverter.class);
    /** Zero dates written as null, counted with the other values the source converted (see {@link SourceServices}). */
    static final String REASON = "zero dates written as null";
    private ValueIssues counts = new ValueIssues();
    public static final String SCHEMA_NAME = "io.dataflow.time.Temporal";

    @Override
    public void configure(Properties props) {
        SourceServices.of(props.getProperty(SourceServices.ID_PROPERTY)).ifPresent(s -> counts = s.conversions());
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        if (column.isOptional()) {
            return;
        }
        String type = column.typeName().toUpperCase(Locale.ROOT);
        String name = column.dataCollection() + "." + column.name();
        switch (type) {
            case "DATE" -> registration.register(schema("date"), v -> zeroOr(name, v, ZeroDateConverter::dateText));
            case "DATETIME" -> registration.register(schema("datetime"), v -> zeroOr(name, v, ZeroDateConverter::wallText));
            case "TIMESTAMP" -> registration.register(schema("timestamp"), v -> zeroOr(name, v, ZeroDateConverter::utcText));
            default -> { }
        }
    }

    private static SchemaBuilder schema(String kind) {
        return SchemaBuilder.string().name(SCHEMA_NAME).parameter("kind", kind).optional();
    }

    private interface Conversion {
        Object apply(Object v);
    }

    private Object zeroOr(String column, Object v, Conversion conversion) {
        Object converted = v == null || isZeroText(v) ? null : conversion.apply(v);
        if (converted == null) {
            counts.count(column, REASON);
            return "";
        }
        return converted;
    }

    private static boolean isZeroText(Object v) {
        return v instanceof String s && s.startsWith("0000-00-00");
    }

    static Object dateText(Object v) {
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof LocalDateTime t) {
            return t.toLocalDate().toString();
        }
        if (v instanceof String s) {
            return LocalDate.parse(s.substring(0, Math.min(10, s.length()))).toString();
        }
        if (v instanceof Number n) {
            return LocalDate.ofEpochDay(n.longValue()).toString();
        }
        return null;
    }

    static Object wallText(Object v) {
        LocalDateTime t;
        if (v instanceof LocalDateTime l) {
            t = l;
        } else if (v instanceof java.sql.Timestamp ts) {
            t = ts.toLocalDateTime();
        } else if (v instanceof LocalDate d) {
            t = d.atStartOfDay();
        } else if (v instanceof String s) {
            t = LocalDateTime.parse(s.replace(' ', 'T'));
        } else {
            return null;
        }
        return t.toString();
    }

    static Object utcText(Object v) {
        Instant i;
        if (v instanceof Instant x) {
            i = x;
        } else if (v instanceof ZonedDateTime z) {
            i = z.toInstant();
        } else if (v instanceof OffsetDateTime o) {
            i = o.toInstant();
        } else if (v instanceof java.sql.Timestamp ts) {
            i = ts.toInstant();
        } else if (v instanceof LocalDateTime l) {
            i = l.toInstant(ZoneOffset.UTC);
        } else if (v instanceof String s) {
            i = s.endsWith("Z") || s.matches(".*[+-]\\d\\d:?\\d\\d$") ? OffsetDateTime.parse(s.replace(' ', 'T')).toInstant()
                    : LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } else {
            return null;
        }
        return DateTimeFormatter.ISO_INSTANT.format(i);
    }
}
