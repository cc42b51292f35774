package io.dataflow.source.debezium;

import io.dataflow.api.Failure;
import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.data.Struct;

/**
 * What differs between Debezium connectors: their properties, how a record's source block names its table,
 * and how its position is built. One instance per source run (it may keep ordering state).
 */
public interface Dialect {

    /** Connector-specific properties (the common ones are set by {@link DebeziumSource}). */
    Properties properties(PipelineConfig pipeline, List<TableId> tables);

    /** A field of a record's struct that a connector (or its version) may not have: its value, or null. */
    static Object field(Struct s, String name) {
        return s.schema().field(name) == null ? null : s.get(name);
    }

    /** The JMX domain of the connector's metrics, e.g. {@code debezium.postgres}. */
    String metricsDomain();

    /** The table a record's {@code source} block names. */
    TableId table(Struct source);

    /** The position of a full-load row: {@code ordinal} counts rows of this load from 1. */
    String fullLoadPosition(Map<String, ?> offset, Struct source, long ordinal);

    /** The position of a streamed change. */
    String changePosition(Map<String, ?> offset, Struct source);

    /**
     * The row a change record carries: the after image, or the before image of a delete (null: nothing to write). A
     * connector whose records carry documents rather than rows (MongoDB) builds its row here.
     */
    default Struct row(Struct envelope, io.dataflow.api.Op op, Object key) {
        return op == io.dataflow.api.Op.DELETE ? envelope.getStruct("before") : envelope.getStruct("after");
    }

    /** The schema naming the key columns, from the record's key schema. */
    default org.apache.kafka.connect.data.Schema keySchema(org.apache.kafka.connect.data.Schema recordKeySchema) {
        return recordKeySchema;
    }

    /** Whether temporal {@code time} columns may hold negative values or values past 24 h (MySQL's TIME). */
    default boolean timeIsDuration() {
        return false;
    }

    /** A failure that retrying cannot fix (bad credentials, missing rights, wrong server settings). */
    default boolean isPermanent(String message) {
        return Failure.mentionsPermanentCause(message);
    }
}
