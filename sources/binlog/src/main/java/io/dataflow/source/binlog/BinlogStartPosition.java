package io.dataflow.source.binlog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflow.state.CheckpointStore;
import io.dataflow.api.ObjectStore;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Where changes must stream from after a full load read in a consistent snapshot: the binlog position of the
 * first attempt's snapshot. A full load resumed after a crash reads its remaining chunks in a later snapshot;
 * streaming from the earliest position replays every change any chunk may have missed, and applying whole-row
 * changes again over newer rows converges.
 */
public final class BinlogStartPosition {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BinlogStartPosition() {}

    static String key(String pipeline) {
        return CheckpointStore.stateDir(pipeline) + "full-load-binlog-position.json";
    }

    /** Stores {@code position} unless one is stored already; returns the stored one. */
    static Map<String, Object> keepFirst(ObjectStore store, String pipeline, Map<String, Object> position) throws IOException {
        store.putIfAbsent(key(pipeline), JSON.writeValueAsBytes(position));
        return read(store, pipeline).orElse(position);
    }

    public static Optional<Map<String, Object>> read(ObjectStore store, String pipeline) throws IOException {
        Optional<byte[]> bytes = store.get(key(pipeline));
        return bytes.isEmpty() ? Optional.empty() : Optional.of(JSON.readValue(bytes.get(), new TypeReference<Map<String, Object>>() {}));
    }
}
