package io.dataflow.lake.processed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflow.api.TableId;
import io.dataflow.config.ProcessedConfig;
import io.dataflow.storage.InMemoryObjectStore;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * AWS Glue cannot be reached from here, so the Glue catalog is tested by its configuration: the names Athena will show,
 * the properties Iceberg's Glue catalog gets (warehouse in the lake, DataFlow's own FileIO), and an endpoint that does
 * not answer giving one error naming Glue and the endpoint.
 */
class GlueCatalogTest {
    final StoreFileIO io = new StoreFileIO(new InMemoryObjectStore(), "s3://bucket/lake");

    @Test
    void namesAreWhatGlueAndAthenaAccept() {
        ProcessedConfig.Catalog c = new ProcessedConfig.Catalog("glue", "", "", "", "", "", Map.of());
        assertThat(GlueCatalogs.database(c, "Sales-CDC")).isEqualTo("sales_cdc");
        assertThat(CatalogAdapter.glueName("sales_cdc", new TableId("Public", "Order Lines")).toString()).isEqualTo("sales_cdc.public_order_lines");
        assertThat(GlueCatalogs.database(new ProcessedConfig.Catalog("glue", "analytics", "", "", "", "", Map.of()), "p")).isEqualTo("analytics");
    }

    @Test
    void icebergsGlueCatalogGetsTheLakeAsWarehouseAndTheLakesStore() {
        ProcessedConfig.Catalog c = new ProcessedConfig.Catalog("glue", "", "", "", "", "", Map.of("glue.id", "123456789012"));
        Map<String, String> props = GlueCatalogs.properties(c, io, "p", "id-1");
        assertThat(props).containsEntry("warehouse", "s3://bucket/lake/processed/p").containsEntry("io-impl", LakeFileIO.class.getName())
                .containsEntry(LakeFileIO.ID, "id-1").containsEntry("glue.id", "123456789012").containsEntry("http-client.type", "urlconnection");
    }

    @Test
    void anEndpointThatDoesNotAnswerIsOneErrorNamingGlue() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + port;
        ProcessedConfig.Catalog c = new ProcessedConfig.Catalog("glue", "dl", "", "", "", "", Map.of("client.region", "us-east-1",
                "glue.endpoint", endpoint, "http-client.urlconnection.connection-timeout-ms", "500"));
        System.setProperty("aws.accessKeyId", "AKIAEXAMPLE");
        System.setProperty("aws.secretAccessKey", "example-secret");
        try (ProcessedCatalog catalog = Catalogs.open(c, io, "p")) {
            assertThat(catalog.describe()).isEqualTo("AWS Glue database dl at " + endpoint);
            assertThatThrownBy(() -> catalog.load(new TableId("shop", "orders")))
                    .isInstanceOf(java.io.UncheckedIOException.class)
                    .hasMessageContaining("AWS Glue database dl at " + endpoint)
                    .hasMessageContaining("cannot load dl.shop_orders");
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }
}
