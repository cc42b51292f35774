package io.dataflow.lake.processed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.Checkpoint;
import io.dataflow.api.ObjectStore;
import io.dataflow.config.ProcessedConfig;
import io.dataflow.runtime.SinkCounters;
import io.dataflow.storage.InMemoryObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The processed zone registered in an Iceberg REST catalog served over HTTP by {@link RestCatalogServer}: tables are
 * created in the catalog at their place in the lake, every commit goes through the catalog, and the table read back
 * through the catalog equals the source model.
 */
class RestCatalogTest {
    final ObjectStore store = new InMemoryObjectStore();

    ProcessedConfig config(String uri, String token) {
        return new ProcessedConfig(true, Duration.ofSeconds(30), Map.of(),
                new ProcessedConfig.Catalog("rest", "", uri, "", "", token, Map.of()), ProcessedConfig.Maintenance.DEFAULT);
    }

    @Test
    void commitsGoThroughTheCatalogAndTheTableEqualsTheSource() throws Exception {
        ProcessedZoneTest model = new ProcessedZoneTest();
        try (RestCatalogServer server = new RestCatalogServer()) {
            ProcessedConfig config = config(server.uri(), RestCatalogServer.TOKEN);
            try (ProcessedZone zone = ProcessedZone.open(store, "mem://lake", "p", config, false, new SinkCounters())) {
                zone.recover(Checkpoint.NONE);
                for (int batch = 0; batch < 8; batch++) {
                    List<ChangeEvent> events = new ArrayList<>();
                    for (int i = 0; i < 80; i++) {
                        events.add(model.next());
                    }
                    zone.write(events);
                    zone.commitAll();
                }
            }
            TableIdentifier name = TableIdentifier.of(Namespace.of("p_shop"), "Orders");
            assertThat(server.catalog.tableExists(name)).as("registered in the REST catalog").isTrue();
            assertThat(server.commits.get()).as("commits through the catalog").isGreaterThanOrEqualTo(8);
            assertThat(server.catalog.loadTable(name).location()).isEqualTo("mem://lake/processed/p/shop/Orders");
            StoreFileIO io = new StoreFileIO(store, "mem://lake");
            try (ProcessedCatalog catalog = Catalogs.open(config.catalog(), io, "p")) {
                Table table = catalog.load(ProcessedZoneTest.T).orElseThrow();
                assertThat(ProcessedZoneTest.read(table)).isEqualTo(model.expected());
            }
        }
    }

    @Test
    void aWrongTokenIsRefusedWithTheCatalogsAnswer() throws Exception {
        try (RestCatalogServer server = new RestCatalogServer()) {
            assertThatThrownBy(() -> Catalogs.open(config(server.uri(), "wrong").catalog(), new StoreFileIO(store, "mem://lake"), "p"))
                    .hasMessageContaining("a bearer token is required");
        }
    }
}
