package io.dataflow.cli.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.PipelineConfigReader;
import io.dataflow.config.TargetConfig;
import io.dataflow.convert.ConversionReport;
import io.dataflow.convert.SchemaConverter;
import io.dataflow.convert.TargetTable;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reverse pipeline a cutover writes: sources and targets swapped, no password, the new database's TLS kept. */
class FallbackPipelineTest {
    private static TargetTable table(String schema, String sourceName, String targetName) {
        return new TargetTable(new TableId(schema, sourceName), new TableId(schema, targetName), List.of(), List.of("id"), List.of("id"),
                List.of(), List.of());
    }

    private static SchemaConverter.Conversion conversion(TargetTable... tables) {
        return new SchemaConverter.Conversion(List.of(tables), new ConversionReport("mariadb", "postgres", List.of(), List.of(), List.of()), null);
    }

    @Test
    void swapsSourceAndTargetAndKeepsTls() {
        PipelineConfig p = new PipelineConfigReader(k -> "secret-" + k).parse("""
                name: shop
                source: {type: mariadb, host: old.db, database: shop, user: app, password: "${env:OLD}"}
                targets:
                  - {type: jdbc, url: "jdbc:postgresql://new.db:5433/shopdb?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem", user: dataflow,
                     password: "${env:NEW}"}
                """, Path.of("."));
        TargetConfig target = p.targets().get(0);
        FallbackPipeline.Result r = FallbackPipeline.of(p, target.jdbc(), conversion(table("shop", "orders", "orders")));

        assertThat(r.problems()).isEmpty();
        assertThat(r.yaml()).contains("name: shop-fallback", "  type: postgres\n", "  host: 'new.db'\n", "  port: 5433\n",
                "  database: 'shopdb'\n", "  user: 'dataflow'\n", "  password: ${env:DATAFLOW_FALLBACK_SOURCE_PASSWORD}\n",
                "  ssl-mode: verify-full\n", "  ssl-root-cert: '/etc/ca.pem'\n", "  slot: shop_fallback\n",
                "  include: ['shop.orders']\n", "mode: cdc\n", "    url: 'jdbc:mariadb://old.db:3306/shop'\n",
                "    password: ${env:DATAFLOW_FALLBACK_TARGET_PASSWORD}\n", "    schema: 'shop'\n", "    table-prep: keep");
        assertThat(r.yaml()).doesNotContain("secret-");
    }

    @Test
    void saysWhatItCannotReverse() {
        PipelineConfig p = new PipelineConfigReader(k -> null).parse("""
                name: shop
                source: {type: postgres, database: shop}
                targets: [{type: jdbc, url: "jdbc:postgresql://new.db/shop", user: dataflow, identifier-case: lower}]
                """, Path.of("."));
        FallbackPipeline.Result r = FallbackPipeline.of(p, p.targets().get(0).jdbc(),
                conversion(table("public", "Orders", "orders"), table("sales", "items", "items")));
        assertThat(r.problems()).hasSize(2);
        assertThat(r.problems().get(0)).contains("table public.Orders is public.orders on the new database");
        assertThat(r.problems().get(1)).contains("several schemas (public, sales)");
    }
}
