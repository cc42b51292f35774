package io.dataflow.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.BiFunction;

/**
 * One configuration key, declared once: its name, how its value is read, its default and its doc.
 *
 * @param <T> the value's type
 */
public final class Key<T> {
    private final String name;
    private final String type;
    private final BiFunction<String, JsonNode, T> reader;
    private final T defaultValue;
    private final boolean required;
    private final String doc;

    private Key(String name, String type, BiFunction<String, JsonNode, T> reader, T defaultValue, boolean required, String doc) {
        this.name = name;
        this.type = type;
        this.reader = reader;
        this.defaultValue = defaultValue;
        this.required = required;
        this.doc = doc;
    }

    public static <T> Key<T> required(String name, String type, BiFunction<String, JsonNode, T> reader, String doc) {
        return new Key<>(name, type, reader, null, true, doc);
    }

    public static <T> Key<T> optional(String name, String type, BiFunction<String, JsonNode, T> reader, T defaultValue, String doc) {
        return new Key<>(name, type, reader, defaultValue, false, doc);
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    public boolean isRequired() {
        return required;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    T read(String path, JsonNode node) {
        return reader.apply(path, node);
    }
}
