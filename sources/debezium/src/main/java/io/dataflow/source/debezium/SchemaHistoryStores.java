package io.dataflow.source.debezium;

import io.dataflow.api.ObjectStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state store each running pipeline's schema history writes to. Debezium instantiates
 * {@link ObjectStoreSchemaHistory} by class name from properties, so a store that cannot be named by a URI (a
 * database target's {@code _dataflow} schema) is handed over here, by pipeline name, for the pipeline's lifetime.
 */
public final class SchemaHistoryStores {
    private static final Map<String, ObjectStore> STORES = new ConcurrentHashMap<>();

    private SchemaHistoryStores() {}

    /** Lends {@code store} to the pipeline's schema history until {@link #release(String)}; the lender closes it. */
    public static void lend(String pipeline, ObjectStore store) {
        STORES.put(pipeline, store);
    }

    public static void release(String pipeline) {
        STORES.remove(pipeline);
    }

    static Optional<ObjectStore> lent(String pipeline) {
        return Optional.ofNullable(STORES.get(pipeline));
    }
}
