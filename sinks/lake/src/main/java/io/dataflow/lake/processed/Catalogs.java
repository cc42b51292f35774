package io.dataflow.lake.processed;

import io.dataflow.config.ProcessedConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.SessionCatalog;
import org.apache.iceberg.rest.HTTPClient;
import org.apache.iceberg.rest.RESTSessionCatalog;
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.auth.OAuth2Properties;

/** Opens the catalog a pipeline file names. */
final class Catalogs {
    private Catalogs() {}

    static ProcessedCatalog open(ProcessedConfig.Catalog config, StoreFileIO io, String pipeline) {
        return switch (config.type()) {
            case "lake" -> new LakeCatalog(io, pipeline);
            case "rest" -> rest(config, io, pipeline);
            case "glue" -> GlueCatalogs.open(config, io, pipeline);
            default -> throw new IllegalArgumentException("processed.catalog.type '" + config.type() + "' is not supported");
        };
    }

    /** An Iceberg REST catalog; the tables' files go through the lake's store, not a FileIO the catalog would pick. */
    static ProcessedCatalog rest(ProcessedConfig.Catalog config, StoreFileIO io, String pipeline) {
        Map<String, String> props = new HashMap<>(config.properties());
        props.put(CatalogProperties.URI, config.uri());
        if (!config.warehouse().isEmpty()) {
            props.put(CatalogProperties.WAREHOUSE_LOCATION, config.warehouse());
        }
        if (!config.credential().isEmpty()) {
            props.put(OAuth2Properties.CREDENTIAL, config.credential());
        }
        if (!config.token().isEmpty()) {
            props.put(OAuth2Properties.TOKEN, config.token());
        }
        RESTSessionCatalog session = new RESTSessionCatalog(
                p -> HTTPClient.builder(p).uri(p.get(CatalogProperties.URI)).withHeaders(RESTUtil.extractPrefixMap(p, "header.")).build(),
                (context, p) -> io);
        session.initialize("dataflow", props);
        return new CatalogAdapter(session.asCatalog(SessionCatalog.SessionContext.createEmpty()), session, io, pipeline,
                id -> CatalogAdapter.namespaced(pipeline, id), "Iceberg REST catalog " + config.uri());
    }
}
