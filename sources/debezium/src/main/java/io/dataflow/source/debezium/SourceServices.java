package io.dataflow.source.debezium;

import io.dataflow.api.ObjectStore;
import io.dataflow.runtime.ValueIssues;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the parts Debezium creates by class name (the schema history, custom converters) share with the
 * {@link DebeziumSource} that started them: the pipeline's state store and its counters of converted values. Debezium
 * hands those parts nothing but properties, so each running source registers its services under a fresh id, puts
 * the id into the connector properties ({@link #ID_PROPERTY}) and removes the registration when it closes: two
 * pipelines in one JVM (or two tests) never see each other's store or counts.
 *
 * @param stateStore  where the pipeline keeps its state (the schema history goes under {@code _state/<name>/})
 * @param conversions values the source converted on the way (zero dates written as null), per column
 */
public record SourceServices(ObjectStore stateStore, ValueIssues conversions) {
    /** The connector property (and, prefixed, the converter and schema-history property) naming the registration. */
    public static final String ID_PROPERTY = "dataflow.source.id";
    private static final Map<String, SourceServices> RUNNING = new ConcurrentHashMap<>();

    /** Registers the services of a starting source; returns the id to pass in its properties. */
    public static String register(SourceServices services) {
        String id = UUID.randomUUID().toString();
        RUNNING.put(id, services);
        return id;
    }

    public static void release(String id) {
        if (id != null) {
            RUNNING.remove(id);
        }
    }

    /** The services of the running source with this id. */
    public static Optional<SourceServices> of(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(RUNNING.get(id));
    }
}
