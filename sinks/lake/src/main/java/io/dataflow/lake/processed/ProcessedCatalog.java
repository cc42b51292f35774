package io.dataflow.lake.processed;

import io.dataflow.api.TableId;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;

/** Where the processed zone's Iceberg tables are registered: the lake itself, AWS Glue, or an Iceberg REST catalog. */
interface ProcessedCatalog extends AutoCloseable {

    /** The table of a source table, empty when it was never created. */
    Optional<Table> load(TableId id);

    /** Creates the table of a source table at its place in the lake. */
    Table create(TableId id, Schema schema, PartitionSpec spec, Map<String, String> properties);

    /** Where the table of a source table lives: {@code <lake>/processed/<pipeline>/<schema>/<table>}. */
    String location(TableId id);

    /** For messages, e.g. {@code lake catalog at /data/lake}. */
    String describe();

    @Override
    default void close() {}
}
