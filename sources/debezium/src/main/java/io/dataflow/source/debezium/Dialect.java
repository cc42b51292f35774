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

    /** The JMX domain of the connector's metrics, e.g. {@code debezium.postgres}. */
    String metricsDomain();

    /** The table a record's {@code source} block names. */
    TableId table(Struct source);

    /** The position of a full-load row: {@code ordinal} counts rows of this load from 1. */
    String fullLoadPosition(Map<String, ?> offset, Struct source, long ordinal);

    /** The position of a streamed change. */
    String changePosition(Map<String, ?> offset, Struct source);

    /** Whether temporal {@code time} columns may hold negative values or values past 24 h (MySQL's TIME). */
    default boolean timeIsDuration() {
        return false;
    }

    /** A failure that retrying cannot fix (bad credentials, missing rights, wrong server settings). */
    default boolean isPermanent(String message) {
        return Failure.mentionsPermanentCause(message);
    }
}
