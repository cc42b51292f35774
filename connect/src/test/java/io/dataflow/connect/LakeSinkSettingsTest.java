package io.dataflow.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflow.config.ConfigException;
import io.dataflow.config.TargetConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/** The connector's settings are a lake target's keys under the pipeline file's names, checked by the same reader. */
class LakeSinkSettingsTest {
    private static Map<String, String> base() {
        Map<String, String> p = new HashMap<>();
        p.put("connector.class", LakeSinkConnector.class.getName());
        p.put("topics.regex", "pg\\..*");
        p.put("value.converter.schemas.enable", "true");
        p.put("dataflow.name", "orders");
        p.put("lake.uri", "s3://my-lake/dataflow");
        return p;
    }

    @Test
    void readsTheLakeKeysUnderTheirPipelineFileNames() {
        Map<String, String> p = base();
        p.put("flush.interval", "250ms");
        p.put("flush.rows", "5000");
        p.put("compression", "snappy");
        p.put("s3.region", "eu-west-1");
        p.put("s3.endpoint", "http://127.0.0.1:9000");
        p.put("s3.path-style", "true");
        LakeSinkSettings s = LakeSinkSettings.parse(p);
        assertThat(s.name).isEqualTo("orders");
        assertThat(s.target.uri()).isEqualTo("s3://my-lake/dataflow");
        assertThat(s.target.flush().interval()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.target.flush().rows()).isEqualTo(5000);
        assertThat(s.target.compression()).isEqualTo(TargetConfig.Compression.SNAPPY);
        assertThat(s.target.s3().region()).isEqualTo("eu-west-1");
        assertThat(s.target.s3().pathStyle()).isTrue();
    }

    @Test
    void aWrongValueNamesItsKeyAndNeverASecret() {
        Map<String, String> p = base();
        p.put("flush.interval", "soon");
        assertThatThrownBy(() -> LakeSinkSettings.parse(p)).isInstanceOf(ConfigException.class).hasMessageStartingWith("flush.interval:")
                .hasMessageContaining("soon");
        Map<String, String> q = base();
        q.put("s3.secret-access-key", "very-secret-value");
        q.put("s3.sse", "rot13");
        assertThatThrownBy(() -> LakeSinkSettings.parse(q)).hasMessageStartingWith("s3.sse:").hasMessageNotContaining("very-secret-value");
        Map<String, String> r = base();
        r.put("lake.uri", "ftp://somewhere");
        assertThatThrownBy(() -> LakeSinkSettings.parse(r)).hasMessageStartingWith("lake.uri:");
        Map<String, String> t = base();
        t.put("s3.colour", "blue");
        assertThatThrownBy(() -> LakeSinkSettings.parse(t)).hasMessageStartingWith("s3.colour: unknown key");
        Map<String, String> u = base();
        u.put("lake.url", "x");
        assertThatThrownBy(() -> LakeSinkSettings.parse(u)).hasMessageStartingWith("lake.url: unknown setting");
        Map<String, String> v = base();
        v.remove("dataflow.name");
        assertThatThrownBy(() -> LakeSinkSettings.parse(v)).hasMessageStartingWith("dataflow.name: missing");
    }

    @Test
    void processedZoneSettingsAreThePipelineFilesKeys() {
        Map<String, String> p = base();
        p.put("processed.enabled", "true");
        p.put("processed.commit-interval", "10s");
        p.put("processed.partition-by.public.orders", "day(created_at), bucket(16, customer_id)");
        p.put("processed.catalog.type", "rest");
        p.put("processed.catalog.uri", "https://catalog.example.com/iceberg");
        p.put("processed.catalog.token", "t0ken-value");
        p.put("processed.catalog.properties.header.X-Tenant", "blue");
        p.put("processed.maintenance.max-delete-files", "8");
        io.dataflow.config.ProcessedConfig c = LakeSinkSettings.parse(p).target.processed();
        assertThat(c.enabled()).isTrue();
        assertThat(c.commitInterval()).hasSeconds(10);
        assertThat(c.partitionBy()).containsEntry("public.orders", List.of("day(created_at)", "bucket(16, customer_id)"));
        assertThat(c.catalog().type()).isEqualTo("rest");
        assertThat(c.catalog().token()).isEqualTo("t0ken-value");
        assertThat(c.catalog().properties()).containsEntry("header.X-Tenant", "blue");
        assertThat(c.maintenance().maxDeleteFiles()).isEqualTo(8);

        Map<String, String> bad = base();
        bad.put("processed.commit-interval", "soon");
        assertThatThrownBy(() -> LakeSinkSettings.parse(bad)).hasMessageStartingWith("processed.commit-interval:");
        Map<String, String> transform = base();
        transform.put("processed.partition-by.public.orders", "weekday(created_at)");
        assertThatThrownBy(() -> LakeSinkSettings.parse(transform)).hasMessageStartingWith("processed.partition-by.public.orders:");
        Map<String, String> secret = base();
        secret.put("processed.catalog.token", "t0ken-value");
        assertThatThrownBy(() -> LakeSinkSettings.parse(secret)).as("a token without a REST catalog")
                .hasMessageStartingWith("processed.catalog").message().doesNotContain("t0ken-value");
    }

    @Test
    void connectValidationReportsTheErrorOnItsKey() {
        Map<String, String> p = base();
        p.put("flush.rows", "-3");
        ConfigValue rows = new LakeSinkConnector().validate(p).configValues().stream().filter(v -> v.name().equals("flush.rows"))
                .findFirst().orElseThrow();
        assertThat(rows.errorMessages()).singleElement().asString().startsWith("flush.rows:");
    }
}
