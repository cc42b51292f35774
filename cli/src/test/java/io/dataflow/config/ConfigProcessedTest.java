package io.dataflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lake target's processed section: read once, every mistake named with its key, secrets never printed. */
class ConfigProcessedTest {
    static PipelineConfig read(String processed, Map<String, String> env) {
        return new PipelineConfigReader(env::get).parse("""
                name: p
                source: {type: postgres, database: shop}
                targets: [{type: lake, uri: /tmp/lake, processed: %s}]
                """.formatted(processed), Path.of("/tmp"));
    }

    static String errorOf(String processed) {
        return catchThrowableOfType(ConfigException.class, () -> read(processed, Map.of())).getMessage();
    }

    @Test
    void aProcessedSectionTurnsTheZoneOnWithItsDefaults() {
        ProcessedConfig p = read("{}", Map.of()).targets().get(0).processed();
        assertThat(p.enabled()).isTrue();
        assertThat(p.commitInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.catalog().type()).isEqualTo("lake");
        assertThat(p.maintenance()).isEqualTo(ProcessedConfig.Maintenance.DEFAULT);
        assertThat(new PipelineConfigReader(k -> null).parse("""
                name: p
                source: {type: postgres, database: shop}
                targets: [{type: lake, uri: /tmp/lake}]
                """, Path.of("/tmp")).targets().get(0).processed().enabled()).isFalse();
    }

    @Test
    void everyKeyIsRead() {
        ProcessedConfig p = read("""
                {commit-interval: 5s, partition-by: {shop.orders: ['day(created_at)', 'bucket(16, customer_id)']},
                 catalog: {type: rest, uri: 'https://catalog.example.com/api', warehouse: lake, token: '${env:TOKEN}'},
                 maintenance: {interval: 1m, max-delete-files: 4, max-small-files: 8, target-file-size: 64MB, keep-snapshots: 2h}}""",
                Map.of("TOKEN", "s3cr3t-token")).targets().get(0).processed();
        assertThat(p.commitInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.partitionBy()).containsEntry("shop.orders", List.of("day(created_at)", "bucket(16, customer_id)"));
        assertThat(p.catalog().uri()).isEqualTo("https://catalog.example.com/api");
        assertThat(p.catalog().token()).isEqualTo("s3cr3t-token");
        assertThat(p.maintenance()).isEqualTo(new ProcessedConfig.Maintenance(Duration.ofMinutes(1), 4, 8, 64L << 20, Duration.ofHours(2)));
        assertThat(read("{catalog: {type: glue, database: analytics}}", Map.of()).targets().get(0).processed().catalog().database())
                .isEqualTo("analytics");
    }

    @Test
    void mistakesAreNamed() {
        assertThat(errorOf("{partition-by: {shop.orders: ['week(created_at)']}}"))
                .contains("targets[0].processed.partition-by.shop.orders: 'week(created_at)' is not a partition transform");
        assertThat(errorOf("{partition-by: {orders: ['day(x)']}}")).contains("'orders' is not a table name; expected schema.table");
        assertThat(errorOf("{partition-by: {shop.orders: ['bucket(0, id)']}}")).contains("the width of bucket must be positive");
        assertThat(errorOf("{catalog: {type: rest}}")).contains("targets[0].processed.catalog.uri: required for type rest");
        assertThat(errorOf("{catalog: {type: glue, uri: 'http://x'}}")).contains("are for type rest, but type is 'glue'");
        assertThat(errorOf("{catalog: {type: hive}}")).contains("targets[0].processed.catalog.type");
        assertThat(errorOf("{commit-intervall: 5s}")).contains("commit-intervall");
        assertThat(errorOf("{maintenance: {max-delete-files: 0}}")).contains("targets[0].processed.maintenance.max-delete-files");
    }

    @Test
    void aCatalogSecretIsNeverPrinted() {
        String error = catchThrowableOfType(ConfigException.class, () -> read("{catalog: {type: rest, uri: 'https://c', credential: "
                + "{id: '${env:ID}'}}}", Map.of("ID", "client-id:client-secret"))).getMessage();
        assertThat(error).contains("targets[0].processed.catalog.credential").doesNotContain("client-secret");
    }

    @Test
    void validateAfterLoadNeedsModeFullLoad() {
        String base = """
                name: p
                source: {type: postgres, database: shop}
                mode: %s
                validate: %s
                targets: [{type: lake, uri: /tmp/lake}]
                """;
        assertThat(new PipelineConfigReader(k -> null).parse(base.formatted("full-load", "after-load"), Path.of("/tmp")).validateAfterLoad()).isTrue();
        assertThat(catchThrowableOfType(ConfigException.class, () -> new PipelineConfigReader(k -> null)
                .parse(base.formatted("cdc", "after-load"), Path.of("/tmp"))).getMessage()).contains("validate: after-load needs mode: full-load");
        assertThat(catchThrowableOfType(ConfigException.class, () -> new PipelineConfigReader(k -> null)
                .parse(base.formatted("full-load", "always"), Path.of("/tmp"))).getMessage()).contains("validate");
    }
}
