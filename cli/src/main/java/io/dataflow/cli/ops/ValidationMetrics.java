package io.dataflow.cli.ops;

import io.dataflow.validate.ContinuousValidation;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * {@code dataflow validate --continuous}'s results as Micrometer meters (Prometheus text on {@code /metrics}), read from
 * the last pass; documented in config/metrics.md.
 */
public final class ValidationMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Held here: Micrometer keeps a meter's state object only weakly, and a collected one reads as NaN. */
    private final Supplier<ContinuousValidation.Snapshot> last;

    public ValidationMetrics(String pipeline, Supplier<ContinuousValidation.Snapshot> last) {
        this.last = last;
        registry.config().commonTags("pipeline", pipeline);
        FunctionCounter.builder("dataflow.validation.passes", this, m -> m.last.get().passes())
                .description("validation passes completed").register(registry);
        gauge("dataflow.validation.rows.compared", last, s -> s.compared(), "rows the last pass compared");
        gauge("dataflow.validation.rows.checksummed", last, s -> s.checksummed(),
                "rows of the last pass proven equal by checksums inside both databases");
        Gauge.builder("dataflow.validation.differences", last, s -> s.get().lasting()).tag("state", "lasting").strongReference(true)
                .description("differences that outlasted the lag allowance and are not resolved").register(registry);
        Gauge.builder("dataflow.validation.differences", last, s -> s.get().pending()).tag("state", "pending").strongReference(true)
                .description("differences seen but still within the lag allowance (changes in flight)").register(registry);
        gauge("dataflow.validation.tables.not.compared", last, s -> s.notCompared(), "tables the last pass could not compare");
        gauge("dataflow.validation.pass.seconds", last, s -> s.passMillis() / 1000.0, "how long the last pass took");
        gauge("dataflow.validation.last.pass.timestamp.seconds", last, s -> s.endedAt() == 0 ? Double.NaN : s.endedAt() / 1000.0,
                "when the last pass ended (Unix time; NaN before the first)");
    }

    private void gauge(String name, Supplier<ContinuousValidation.Snapshot> last, ToDoubleFunction<ContinuousValidation.Snapshot> value,
            String description) {
        Gauge.builder(name, last, s -> value.applyAsDouble(s.get())).description(description).strongReference(true).register(registry);
    }

    public String prometheus() {
        return registry.scrape();
    }
}
