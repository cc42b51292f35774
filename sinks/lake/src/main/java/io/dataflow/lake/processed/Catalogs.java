package io.dataflow.lake.processed;

import io.dataflow.config.ProcessedConfig;

/** Opens the catalog a pipeline file names. */
final class Catalogs {
    private Catalogs() {}

    static ProcessedCatalog open(ProcessedConfig.Catalog config, StoreFileIO io, String pipeline) {
        return switch (config.type()) {
            case "lake" -> new LakeCatalog(io, pipeline);
            default -> throw new IllegalArgumentException("processed.catalog.type '" + config.type() + "' is not supported");
        };
    }
}
