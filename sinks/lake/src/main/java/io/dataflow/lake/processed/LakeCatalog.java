package io.dataflow.lake.processed;

import io.dataflow.api.TableId;
import io.dataflow.lake.RawZoneLayout;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;

/**
 * The default catalog: none. Each table's metadata lives beside its data in the lake
 * ({@code processed/<pipeline>/<schema>/<table>/metadata/v<N>.metadata.json}), and commits are the store's atomic
 * create-if-absent of the next version ({@link StoreTableOperations}), so a local folder and S3 behave the same, no
 * server or database runs beside DataFlow, and two writers (two hosts by mistake) cannot both commit one version.
 * Readers open a table by its folder (Spark's {@code hadoop} catalog, DuckDB's {@code iceberg_scan}, Trino's
 * {@code register_table}) or through Glue/REST when the pipeline registers it there.
 */
final class LakeCatalog implements ProcessedCatalog {
    private final StoreFileIO io;
    private final String pipeline;

    LakeCatalog(StoreFileIO io, String pipeline) {
        this.io = io;
        this.pipeline = pipeline;
    }

    static String tableKey(String pipeline, TableId id) {
        return "processed/" + pipeline + "/" + RawZoneLayout.segment(id.schema()) + "/" + RawZoneLayout.segment(id.table());
    }

    @Override
    public Optional<Table> load(TableId id) {
        StoreTableOperations ops = new StoreTableOperations(io, tableKey(pipeline, id));
        return ops.current() == null ? Optional.empty() : Optional.of(table(ops, id));
    }

    @Override
    public Table create(TableId id, Schema schema, PartitionSpec spec, Map<String, String> properties) {
        StoreTableOperations ops = new StoreTableOperations(io, tableKey(pipeline, id));
        TableMetadata metadata = TableMetadata.newTableMetadata(schema, spec, SortOrder.unsorted(), ops.location(), properties);
        ops.commit(null, metadata);
        return table(ops, id);
    }

    /** The table; its scan and commit reports go nowhere (Iceberg logs each one at INFO, a line per commit of every table). */
    private BaseTable table(StoreTableOperations ops, TableId id) {
        return new BaseTable(ops, pipeline + "." + id, report -> {});
    }

    @Override
    public String location(TableId id) {
        return io.location(tableKey(pipeline, id));
    }

    @Override
    public String describe() {
        return "tables in the lake (" + io.location("processed/" + pipeline) + ")";
    }
}
