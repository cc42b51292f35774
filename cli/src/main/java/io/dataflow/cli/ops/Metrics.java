package io.dataflow.cli.ops;

import io.dataflow.runtime.FlushTrigger;
import io.dataflow.runtime.PipelineStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The pipeline's counters as Micrometer meters (Prometheus text on {@code /metrics}), named once here:
 * {@code dataflow_replication_lag_ms}, {@code dataflow_full_load_rows_total}, {@code dataflow_changes_total},
 * {@code dataflow_files_total}, {@code dataflow_bytes_total}, {@code dataflow_checkpoints_total},
 * {@code dataflow_restarts_total}, {@code dataflow_flushes_total{trigger=...}}, and the processed zone's
 * {@code dataflow_processed_commits_total}, {@code dataflow_processed_compactions_total},
 * {@code dataflow_processed_files_compacted_total}, {@code dataflow_processed_snapshots_expired_total},
 * {@code dataflow_processed_orphan_files_removed_total}, {@code dataflow_processed_unfilled_values_total}.
 */
public final class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public Metrics(String pipeline, PipelineStats stats) {
        this(pipeline, stats, new io.dataflow.runtime.SinkCounters());
    }

    public Metrics(String pipeline, PipelineStats stats, io.dataflow.runtime.SinkCounters sinks) {
        registry.config().commonTags("pipeline", pipeline);
        for (String name : io.dataflow.runtime.SinkCounters.NAMES) {
            FunctionCounter.builder("dataflow." + name, sinks, c -> c.get(name)).register(registry);
        }
        Gauge.builder("dataflow.replication.lag.ms", stats, s -> Math.max(0, s.lastLagMillis()))
                .description("commit-to-durable lag of the newest change at the last flush").register(registry);
        Gauge.builder("dataflow.full.load.done", stats, s -> s.isFullLoadDone() ? 1 : 0).register(registry);
        counter(registry, "dataflow.full.load.rows", stats, PipelineStats::totalFullLoadRows);
        counter(registry, "dataflow.changes", stats, PipelineStats::totalChanges);
        counter(registry, "dataflow.files", stats, PipelineStats::files);
        counter(registry, "dataflow.bytes", stats, PipelineStats::bytes);
        counter(registry, "dataflow.checkpoints", stats, PipelineStats::checkpoints);
        counter(registry, "dataflow.restarts", stats, PipelineStats::restarts);
        for (FlushTrigger t : FlushTrigger.values()) {
            FunctionCounter.builder("dataflow.flushes", stats, s -> s.flushes().getOrDefault(t, 0L))
                    .tag("trigger", t.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
        }
    }

    private static void counter(MeterRegistry r, String name, PipelineStats stats, java.util.function.ToLongFunction<PipelineStats> f) {
        FunctionCounter.builder(name, stats, s -> f.applyAsLong(s)).register(r);
    }

    public String prometheus() {
        return registry.scrape();
    }

    public MeterRegistry registry() {
        return registry;
    }
}
