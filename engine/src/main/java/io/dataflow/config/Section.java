package io.dataflow.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A mapping in the pipeline file read against its declared {@link Key}s: unknown keys, missing required
 * keys and values of the wrong type fail with a {@link ConfigException} naming the full path.
 */
public final class Section {
    private final String path;
    private final JsonNode node;

    public Section(String path, JsonNode node, List<Key<?>> declared) {
        this.path = path;
        this.node = node;
        if (node == null || node.isNull()) {
            throw new ConfigException(label(path) + ": missing; expected a mapping with keys " + names(declared));
        }
        if (!node.isObject()) {
            throw new ConfigException(label(path) + ": " + Values.show(path, node) + " is not a mapping; expected keys "
                    + names(declared));
        }
        Set<String> allowed = declared.stream().map(Key::name).collect(Collectors.toCollection(LinkedHashSet::new));
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                throw new ConfigException(child(field) + ": unknown key; allowed here: " + String.join(", ", allowed));
            }
        }
        for (Key<?> key : declared) {
            JsonNode v = node.get(key.name());
            if (key.isRequired() && (v == null || v.isNull())) {
                throw new ConfigException(child(key.name()) + ": missing required key (" + key.type() + "): " + key.doc());
            }
        }
    }

    static String label(String path) {
        return path.isEmpty() ? "pipeline" : path;
    }

    private static String names(List<Key<?>> declared) {
        return declared.stream().map(Key::name).collect(Collectors.joining(", "));
    }

    public String child(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    public <T> T get(Key<T> key) {
        JsonNode v = node.get(key.name());
        if (v == null || v.isNull()) {
            return key.defaultValue();
        }
        return key.read(child(key.name()), v);
    }

    public boolean has(Key<?> key) {
        JsonNode v = node.get(key.name());
        return v != null && !v.isNull();
    }

    public JsonNode raw(Key<?> key) {
        return node.get(key.name());
    }
}
