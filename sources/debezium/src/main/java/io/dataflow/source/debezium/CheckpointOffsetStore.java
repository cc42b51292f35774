package io.dataflow.source.debezium;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * Debezium's offset store, seeded from DataFlow's checkpoint and otherwise in memory. DataFlow's own
 * checkpoint (written after the sinks are durable) is the only durable copy of the offsets: what Debezium
 * stores here is only used to confirm positions to the source (e.g. the PostgreSQL slot's flushed LSN).
 *
 * <p>Configured through the engine properties {@link #OFFSET_JSON} (the checkpointed offset map as JSON),
 * {@link #PARTITION_JSON} (the source partition as JSON) and the engine's {@code name}.
 */
public class CheckpointOffsetStore extends MemoryOffsetBackingStore {
    public static final String OFFSET_JSON = "dataflow.offset.json";
    public static final String PARTITION_JSON = "dataflow.partition.json";

    @Override
    public java.util.Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return java.util.Set.of();
    }

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Map<String, Object> originals = config.originals();
        Object offset = originals.get(OFFSET_JSON);
        Object partition = originals.get(PARTITION_JSON);
        Object engine = originals.get("name");
        if (offset == null || partition == null || offset.toString().isEmpty()) {
            return;
        }
        try (JsonConverter keys = new JsonConverter(); JsonConverter values = new JsonConverter()) {
            keys.configure(Map.of("schemas.enable", "false"), true);
            values.configure(Map.of("schemas.enable", "false"), false);
            Object partitionMap = values.toConnectData("", partition.toString().getBytes(StandardCharsets.UTF_8)).value();
            Object offsetMap = values.toConnectData("", offset.toString().getBytes(StandardCharsets.UTF_8)).value();
            byte[] key = keys.fromConnectData(engine.toString(), null, List.of(engine.toString(), partitionMap));
            byte[] value = values.fromConnectData(engine.toString(), null, offsetMap);
            data.put(ByteBuffer.wrap(key), ByteBuffer.wrap(value));
        }
    }
}
