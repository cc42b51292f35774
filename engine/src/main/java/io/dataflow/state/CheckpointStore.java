package io.dataflow.state;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dataflow.api.Checkpoint;
import io.dataflow.api.ObjectStore;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps a pipeline's {@link Checkpoint} at {@code _state/<pipeline>/checkpoint.json} in the lake's
 * {@link ObjectStore}. A save replaces the object atomically, so a crash leaves the old or the new
 * checkpoint, never a torn one.
 */
public final class CheckpointStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final ObjectStore store;
    private final String key;
    private final java.time.Clock clock;

    public CheckpointStore(ObjectStore store, String pipeline) {
        this(store, pipeline, java.time.Clock.systemUTC());
    }

    /** @param clock stamps each save ({@code savedAt}, read by {@code dataflow status}) */
    public CheckpointStore(ObjectStore store, String pipeline, java.time.Clock clock) {
        this.store = store;
        this.key = stateDir(pipeline) + "checkpoint.json";
        this.clock = clock;
    }

    public static String stateDir(String pipeline) {
        return "_state/" + pipeline + "/";
    }

    public String key() {
        return key;
    }

    /** When the checkpoint was last saved (epoch ms); -1 when there is none, or it was saved by a version that did not record it. */
    public long savedAtMillis() throws IOException {
        Optional<byte[]> bytes = store.get(key);
        if (bytes.isEmpty()) {
            return -1;
        }
        Object at = JSON.readValue(bytes.get(), new TypeReference<Map<String, Object>>() {}).get("savedAt");
        return at instanceof Number n ? n.longValue() : -1;
    }

    public Checkpoint load() throws IOException {
        Optional<byte[]> bytes = store.get(key);
        if (bytes.isEmpty()) {
            return Checkpoint.NONE;
        }
        try {
            Map<String, Object> m = JSON.readValue(bytes.get(), new TypeReference<Map<String, Object>>() {});
            @SuppressWarnings("unchecked")
            Map<String, Object> offset = (Map<String, Object>) m.getOrDefault("sourceOffset", Map.of());
            return new Checkpoint((String) m.get("position"), longs(offset), Boolean.TRUE.equals(m.get("fullLoadDone")),
                    ((Number) m.get("sequence")).longValue());
        } catch (IOException | RuntimeException e) {
            throw new IOException("checkpoint " + store.describe() + "/" + key + " is unreadable (" + e.getMessage()
                    + "); restore it from a backup, or delete the pipeline's lake folder to start over", e);
        }
    }

    /** JSON reads small integers as Integer; source offsets expect Long. */
    private static Map<String, Object> longs(Map<String, Object> offset) {
        Map<String, Object> out = new LinkedHashMap<>();
        offset.forEach((k, v) -> out.put(k, v instanceof Integer i ? Long.valueOf(i) : v));
        return out;
    }

    public void save(Checkpoint c) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("position", c.position());
        m.put("sourceOffset", c.sourceOffset());
        m.put("fullLoadDone", c.fullLoadDone());
        m.put("sequence", c.sequence());
        m.put("savedAt", clock.millis());
        store.put(key, JSON.writeValueAsBytes(m));
    }
}
