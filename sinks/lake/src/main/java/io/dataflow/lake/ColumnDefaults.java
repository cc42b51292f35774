package io.dataflow.lake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflow.api.Column;
import io.dataflow.api.LogicalType;
import io.dataflow.api.TableSchema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The source's column defaults, kept in a raw-zone file's metadata ({@code dataflow.defaults}: a JSON object of column
 * name to the default's text). A column added with a DEFAULT gives every row that existed that value without a change
 * event; a replay of the raw zone ({@code dataflow rebuild}, validation against the lake) reads it here to fill those
 * rows as the live processed zone does.
 */
final class ColumnDefaults {
    static final String KEY = "dataflow.defaults";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ColumnDefaults() {}

    /** The defaults of a schema's columns, as text; empty when no column has one that can be written. */
    static Optional<String> encode(TableSchema schema) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Column c : schema.columns()) {
            Object v = c.defaultValue();
            if (v == null) {
                continue;
            }
            if (v instanceof byte[] b) {
                out.put(c.name(), Base64.getEncoder().encodeToString(b));
            } else if (v instanceof BigDecimal d) {
                out.put(c.name(), d.toPlainString());
            } else if (v instanceof Boolean || v instanceof Number || v instanceof String || v instanceof LocalDate) {
                out.put(c.name(), v.toString());
            }
        }
        if (out.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.writeValueAsString(out));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The schema with the defaults of {@code encoded} (from {@link #encode}) on its columns; unreadable ones are left out. */
    static TableSchema decode(TableSchema schema, String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return schema;
        }
        Map<String, String> defaults;
        try {
            defaults = JSON.readValue(encoded, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            return schema;
        }
        List<Column> columns = new ArrayList<>(schema.columns().size());
        for (Column c : schema.columns()) {
            String text = defaults.get(c.name());
            Object value = text == null ? null : value(text, c.type());
            columns.add(value == null ? c : new Column(c.name(), c.type(), c.nullable(), value));
        }
        return new TableSchema(schema.id(), columns, schema.keyColumns());
    }

    private static Object value(String text, LogicalType type) {
        try {
            return switch (type.kind()) {
                case BOOLEAN -> Boolean.parseBoolean(text);
                case INT16 -> Short.parseShort(text);
                case INT32 -> Integer.parseInt(text);
                case INT64, TIME, TIME_TZ, TIMESTAMP, TIMESTAMP_TZ -> Long.parseLong(text);
                case FLOAT32 -> Float.parseFloat(text);
                case FLOAT64 -> Double.parseDouble(text);
                case DECIMAL -> new BigDecimal(text);
                case STRING, ENUM, JSON, UUID, INTERVAL -> text;
                case BYTES -> Base64.getDecoder().decode(text);
                case DATE -> LocalDate.parse(text);
                default -> null;
            };
        } catch (RuntimeException e) {
            return null; // a default written by another version in another form: left out, as before defaults were kept
        }
    }
}
