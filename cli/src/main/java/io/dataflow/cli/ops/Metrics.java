package io.dataflow.cli.ops;

import io.dataflow.api.TableId;
import io.dataflow.runtime.FlushTrigger;
import io.dataflow.runtime.PipelineStats;
import io.dataflow.runtime.SinkCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The pipeline's counters as Micrometer meters (Prometheus text on {@code /metrics}), named once here and documented in
 * config/metrics.md. Meters of tables and columns that appear while the pipeline runs are registered at the next scrape.
 */
public final class Metrics {
    /** The causes a restart is counted under (see {@code Pipeline.cause}). */
    public static final List<String> RESTART_CAUSES = List.of("source", "target", "out-of-memory");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PipelineStats stats;
    private final Supplier<StatusReport.Conversions> conversions;
    /** Tables and columns whose meters exist. */
    private final java.util.Set<String> registered = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public Metrics(String pipeline, PipelineStats stats) {
        this(pipeline, stats, new SinkCounters(), () -> new StatusReport.Conversions(Map.of(), Map.of(), Map.of()),
                OptionalLong::empty, Clock.systemUTC());
    }

    /**
     * @param conversions the value-conversion counters, read at each scrape
     * @param backlog     the source's log backlog in bytes (a replication slot's bytes behind), when known
     */
    public Metrics(String pipeline, PipelineStats stats, SinkCounters sinks, Supplier<StatusReport.Conversions> conversions,
            Supplier<OptionalLong> backlog, Clock clock) {
        this.stats = stats;
        this.conversions = conversions;
        registry.config().commonTags("pipeline", pipeline);
        for (String name : SinkCounters.NAMES) {
            FunctionCounter.builder("dataflow." + name, sinks, c -> c.get(name)).register(registry);
        }
        Gauge.builder("dataflow.replication.lag.ms", stats, s -> Math.max(0, s.currentLagMillis(clock.millis())))
                .description("commit-to-durable lag: the oldest change waiting to be durable, else the newest at the last flush")
                .register(registry);
        Gauge.builder("dataflow.pending.changes", stats, PipelineStats::stagedChanges)
                .description("changes received and not yet durable").register(registry);
        Timer durable = Timer.builder("dataflow.commit.to.durable")
                .description("per flush holding changes: time from the newest change's commit on the source until it was durable")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
        stats.onLag(ms -> durable.record(Math.max(0, ms), TimeUnit.MILLISECONDS));
        Gauge.builder("dataflow.full.load.done", stats, s -> s.isFullLoadDone() ? 1 : 0).register(registry);
        Gauge.builder("dataflow.full.load.estimated.rows", stats, s -> s.estimatedRows().values().stream().mapToLong(Long::longValue).sum())
                .description("the source's estimate of the selected tables' rows (table statistics)").register(registry);
        Gauge.builder("dataflow.source.backlog.bytes", backlog, b -> b.get().isPresent() ? b.get().getAsLong() : Double.NaN)
                .description("change log the source holds beyond the pipeline's confirmed position (PostgreSQL: the slot's "
                        + "pg_wal_lsn_diff; MariaDB/MySQL: binlog bytes after the checkpoint)").register(registry);
        Gauge.builder("dataflow.checkpoint.age.seconds", stats, s -> s.lastCheckpointMillis() < 0 ? Double.NaN
                : Math.max(0, clock.millis() - s.lastCheckpointMillis()) / 1000.0)
                .description("time since the last checkpoint was saved").register(registry);
        for (PipelineStats.Phase phase : PipelineStats.Phase.values()) {
            Gauge.builder("dataflow.phase", stats, s -> s.phase() == phase ? 1 : 0)
                    .tag("phase", phase.name().toLowerCase(Locale.ROOT).replace('_', '-')).register(registry);
        }
        counter("dataflow.full.load.rows", PipelineStats::totalFullLoadRows);
        counter("dataflow.changes", PipelineStats::totalChanges);
        counter("dataflow.files", PipelineStats::files);
        counter("dataflow.bytes", PipelineStats::bytes);
        counter("dataflow.checkpoints", PipelineStats::checkpoints);
        counter("dataflow.restarts", PipelineStats::restarts);
        for (String cause : RESTART_CAUSES) {
            FunctionCounter.builder("dataflow.restarts.by.cause", stats, s -> s.restartsByCause().getOrDefault(cause, 0L))
                    .tag("cause", cause).register(registry);
        }
        for (FlushTrigger t : FlushTrigger.values()) {
            FunctionCounter.builder("dataflow.flushes", stats, s -> s.flushes().getOrDefault(t, 0L))
                    .tag("trigger", t.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        registerNewMeters();
    }

    private void counter(String name, ToLongFunction<PipelineStats> f) {
        FunctionCounter.builder(name, stats, s -> f.applyAsLong(s)).register(registry);
    }

    /** Per-table and per-column meters for what appeared since the last scrape. */
    private void registerNewMeters() {
        for (TableId t : stats.tables()) {
            if (!registered.add("table " + t)) {
                continue;
            }
            FunctionCounter.builder("dataflow.table.full.load.rows", stats, s -> s.fullLoadRows().getOrDefault(t, 0L))
                    .tag("table", t.toString()).register(registry);
            FunctionCounter.builder("dataflow.table.changes", stats, s -> s.changes().getOrDefault(t, 0L))
                    .tag("table", t.toString()).register(registry);
        }
        StatusReport.Conversions c = conversions.get();
        c.source().forEach((reason, columns) -> columns.keySet().forEach(column -> converted("source", column)));
        c.targets().keySet().forEach(key -> converted("target", key.substring(0, Math.max(0, key.indexOf(": ")))));
    }

    private void converted(String side, String column) {
        if (!registered.add(side + " " + column)) {
            return;
        }
        FunctionCounter.builder("dataflow.converted.values", conversions, s -> total(s.get(), side, column))
                .description("values changed on the way (zero dates written as null, values a target could not hold), per column")
                .tag("side", side).tag("column", column).register(registry);
    }

    private static long total(StatusReport.Conversions c, String side, String column) {
        if (side.equals("source")) {
            return c.source().values().stream().mapToLong(m -> m.getOrDefault(column, 0L)).sum();
        }
        return c.targets().entrySet().stream().filter(e -> e.getKey().startsWith(column + ": ")).mapToLong(Map.Entry::getValue).sum();
    }

    public String prometheus() {
        registerNewMeters();
        return registry.scrape();
    }

    public MeterRegistry registry() {
        return registry;
    }
}
