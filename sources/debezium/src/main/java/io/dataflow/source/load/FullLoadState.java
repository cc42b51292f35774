package io.dataflow.source.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dataflow.state.CheckpointStore;
import io.dataflow.api.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The COPY full load's progress, {@code _state/<pipeline>/full-load.json}: the replication slot's consistent point
 * (where streaming starts), the chunk plan (fixed on the first attempt, so chunk files keep their names), and
 * the chunks already published. A restart redoes only the chunks not yet done.
 */
public final class FullLoadState {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One chunk: a table, its 1-based number, and either a block range (PostgreSQL; -1 for open ends, both -1 for
     * the whole table) or a primary-key range (MySQL family; {@code fromKey} inclusive, {@code toKey} exclusive,
     * null for an open end; both null and blocks -1 for the whole table).
     */
    public record Chunk(String schema, String table, int number, long fromBlock, long toBlock, List<String> fromKey, List<String> toKey) {
        public Chunk(String schema, String table, int number, long fromBlock, long toBlock) {
            this(schema, table, number, fromBlock, toBlock, null, null);
        }

        public String id() {
            return schema + "." + table + "#" + number;
        }
    }

    /** The persisted document. */
    public record Doc(String slot, long consistentLsn, long snapshotMicros, List<Chunk> plan, TreeSet<String> done) {}

    private final ObjectStore store;
    private final String key;
    private Doc doc;

    private FullLoadState(ObjectStore store, String pipeline, Doc doc) {
        this.store = store;
        this.key = key(pipeline);
        this.doc = doc;
    }

    static String key(String pipeline) {
        return CheckpointStore.stateDir(pipeline) + "full-load.json";
    }

    public static Optional<FullLoadState> load(ObjectStore store, String pipeline) throws IOException {
        Optional<byte[]> bytes = store.get(key(pipeline));
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new FullLoadState(store, pipeline, JSON.readValue(bytes.get(), Doc.class)));
    }

    public static FullLoadState create(ObjectStore store, String pipeline, String slot, long lsn, long micros, List<Chunk> plan)
            throws IOException {
        FullLoadState s = new FullLoadState(store, pipeline, new Doc(slot, lsn, micros, new ArrayList<>(plan), new TreeSet<>()));
        s.save();
        return s;
    }

    public static void delete(ObjectStore store, String pipeline) throws IOException {
        store.delete(key(pipeline));
    }

    public Doc doc() {
        return doc;
    }

    public synchronized boolean isDone(Chunk c) {
        return doc.done().contains(c.id());
    }

    public synchronized void markDone(Chunk c) throws IOException {
        doc.done().add(c.id());
        save();
    }

    private void save() throws IOException {
        store.put(key, JSON.writeValueAsBytes(doc));
    }
}
