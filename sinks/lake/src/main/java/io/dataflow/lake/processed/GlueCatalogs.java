package io.dataflow.lake.processed;

import io.dataflow.config.ProcessedConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.aws.glue.GlueCatalog;

/**
 * AWS Glue as the processed zone's catalog, so Athena (and EMR, Redshift Spectrum) see the tables: one Glue database
 * per pipeline ({@code database}, default the pipeline name), tables {@code <schema>_<table>}. Credentials and region
 * come from the AWS default chain (environment, profile, instance or task role) unless the catalog's {@code properties}
 * set Iceberg's {@code client.*} / {@code glue.*} properties (e.g. {@code client.region}, {@code glue.endpoint},
 * {@code glue.id} for another account's catalog). Table files go through the lake's own store.
 */
final class GlueCatalogs {
    private GlueCatalogs() {}

    /** The catalog properties DataFlow gives Iceberg's Glue catalog. */
    static Map<String, String> properties(ProcessedConfig.Catalog config, StoreFileIO io, String pipeline, String ioId) {
        Map<String, String> props = new HashMap<>(config.properties());
        props.put(CatalogProperties.WAREHOUSE_LOCATION, io.location("processed/" + pipeline));
        props.put(CatalogProperties.FILE_IO_IMPL, LakeFileIO.class.getName());
        props.put(LakeFileIO.ID, ioId);
        props.putIfAbsent("http-client.type", "urlconnection");
        return props;
    }

    static String database(ProcessedConfig.Catalog config, String pipeline) {
        return CatalogAdapter.glueSafe(config.database().isEmpty() ? pipeline : config.database());
    }

    static ProcessedCatalog open(ProcessedConfig.Catalog config, StoreFileIO io, String pipeline) {
        String ioId = LakeFileIO.register(io);
        GlueCatalog glue = new GlueCatalog();
        Map<String, String> props = properties(config, io, pipeline, ioId);
        glue.initialize("dataflow", props);
        String database = database(config, pipeline);
        return new CatalogAdapter(glue, () -> {
            LakeFileIO.unregister(ioId);
            glue.close();
        }, io, pipeline, id -> CatalogAdapter.glueName(database, id), "AWS Glue database " + database
                + (props.containsKey("glue.endpoint") ? " at " + props.get("glue.endpoint") : ""));
    }
}
