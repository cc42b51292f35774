package io.dataflow.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflow.api.ObjectStore;
import io.dataflow.lake.RawZoneLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the lake holds of one topic partition, kept in the lake itself ({@code _state/<name>/connect/<topic>/<partition>.json})
 * so that it is durable with the files: {@code next}, the Kafka offset of the first record whose change is not yet in
 * a published file; and, while a flush publishes files, {@code publishing}, the keys of those files, written before
 * the first of them. After a crash or rebalance the partition's new owner deletes those keys (whether or not they
 * were published) and reads again from {@code next}: nothing is lost, nothing is written twice.
 *
 * <p>{@code last} is the position of the last change durable from the partition. A source connector that restarts
 * sends again what it sent since its own last committed offset (Debezium on Connect delivers at least once): those
 * changes come at new Kafka offsets but with positions at or before {@code last}, and are skipped.
 *
 * <p>With the processed zone, {@code processed} is the first offset whose change may not yet be committed to the
 * processed tables (each table records exactly how far it has the partition; this is the lowest, written after the
 * commits): reading resumes at the lower of the two offsets, and what the raw zone has already is not written again.
 *
 * @param next       the first offset not durable in the lake (-1: nothing written yet; Connect's committed offset applies)
 * @param last       the position of the last durable change ("" when none)
 * @param publishing files being published by an unfinished flush (empty when none)
 * @param processed  the first offset not certainly in the processed zone (-1: none recorded)
 */
record PartitionState(long next, String last, List<String> publishing, long processed) {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final PartitionState NONE = new PartitionState(-1, "", List.of(), -1);

    PartitionState {
        publishing = List.copyOf(publishing);
    }

    static String key(String pipeline, String topic, int partition) {
        return "_state/" + pipeline + "/connect/" + RawZoneLayout.segment(topic) + "/" + partition + ".json";
    }

    static PartitionState read(ObjectStore store, String key) throws IOException {
        java.util.Optional<byte[]> bytes = store.get(key);
        if (bytes.isEmpty()) {
            return NONE;
        }
        Map<?, ?> m = JSON.readValue(bytes.get(), Map.class);
        List<String> keys = new ArrayList<>();
        if (m.get("publishing") instanceof List<?> l) {
            l.forEach(k -> keys.add(k.toString()));
        }
        Object last = m.get("last");
        Object processed = m.get("processed");
        return new PartitionState(((Number) m.get("next")).longValue(), last == null ? "" : last.toString(), keys,
                processed == null ? -1 : ((Number) processed).longValue());
    }

    /** The same state with other files being published. */
    PartitionState publishing(List<String> files) {
        return new PartitionState(next, last, files, processed);
    }

    void write(ObjectStore store, String key) throws IOException {
        store.put(key, JSON.writeValueAsBytes(Map.of("next", next, "last", last, "publishing", publishing, "processed", processed)));
    }
}
