package io.dataflow.api;

import java.util.Map;
import java.util.Objects;

/**
 * What the pipeline has made durable: every event with a position up to and including {@link #position()}
 * is in every sink. {@code sourceOffset} is the source's own resume token (opaque to the runtime), and
 * {@code fullLoadDone} says whether the full load finished (a restart before that redoes it).
 */
public record Checkpoint(String position, Map<String, Object> sourceOffset, boolean fullLoadDone, long sequence) {

    public static final Checkpoint NONE = new Checkpoint("", Map.of(), false, 0);

    public Checkpoint {
        Objects.requireNonNull(position, "position");
        sourceOffset = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sourceOffset));
    }

    public boolean isNone() {
        return sequence == 0 && position.isEmpty();
    }

    /** True when {@code eventPosition} is covered by this checkpoint. */
    public boolean covers(String eventPosition) {
        return !position.isEmpty() && eventPosition.compareTo(position) <= 0;
    }
}
