package io.dataflow.lake.processed;

import io.dataflow.api.ObjectStore;
import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.TargetConfig;
import io.dataflow.storage.ObjectStores;
import java.util.Optional;
import org.apache.iceberg.Table;

/** Opens the processed zone's tables of a lake target for reading (the demo, rebuild, tests, validation). */
public final class ProcessedTables {
    private ProcessedTables() {}

    /** The lake's location as table metadata spells it: the absolute folder, or the {@code s3://} URI. */
    public static String root(TargetConfig target) {
        return target.isS3() ? target.uri() : ObjectStores.localPath(target.uri()).toAbsolutePath().normalize().toString();
    }

    /** The Iceberg table of a source table in the lake {@code store} (rooted at {@code root}); empty when there is none. */
    public static Optional<Table> open(ObjectStore store, String root, String pipeline, TableId id) {
        return new LakeCatalog(new StoreFileIO(store, root), pipeline).load(id);
    }

    /** The Iceberg table of a source table in a pipeline's lake target, through the catalog the target names. */
    public static Optional<Table> open(ObjectStore store, PipelineConfig pipeline, TargetConfig target, TableId id) {
        try (ProcessedCatalog catalog = Catalogs.open(target.processed().catalog(), new StoreFileIO(store, root(target)), pipeline.name())) {
            return catalog.load(id);
        }
    }
}
