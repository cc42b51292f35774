package io.dataflow.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.runtime.PipelineStats;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

class CloudWatchPublisherTest {
    @Test
    void publishesPerMinuteDeltasWithThePipelineDimension() {
        List<List<MetricDatum>> sent = new ArrayList<>();
        PipelineStats stats = new PipelineStats();
        CloudWatchPublisher p = new CloudWatchPublisher(sent::add, "shop", stats, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        p.publish();
        assertThat(sent.get(0)).extracting(MetricDatum::metricName).containsExactly("ChangesReplicated", "FullLoadRows", "Restarts", "Errors");
        assertThat(sent.get(0)).allSatisfy(d -> {
            assertThat(d.dimensions()).singleElement().satisfies(dim -> assertThat(dim.value()).isEqualTo("shop"));
            assertThat(d.value()).isZero();
        });
        p.close();
    }
}
