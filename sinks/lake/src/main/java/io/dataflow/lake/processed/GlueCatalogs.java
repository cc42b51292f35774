package io.dataflow.lake.processed;

import io.dataflow.config.ProcessedConfig;

/** AWS Glue as the processed zone's catalog. */
final class GlueCatalogs {
    private GlueCatalogs() {}

    static ProcessedCatalog open(ProcessedConfig.Catalog config, StoreFileIO io, String pipeline) {
        throw new IllegalArgumentException("processed.catalog.type glue is not available yet");
    }
}
