package io.dataflow.engine;

import io.dataflow.retry.Backoff;
import io.dataflow.api.Sink;
import io.dataflow.api.TableId;
import io.dataflow.config.ConfigException;
import io.dataflow.config.PipelineConfig;
import io.dataflow.runtime.FlushPolicy;
import io.dataflow.runtime.FullLoadPlan;
import io.dataflow.runtime.Pipeline;
import io.dataflow.runtime.ValueIssues;
import io.dataflow.config.TargetConfig;
import io.dataflow.source.SourceFamily;
import io.dataflow.source.SourceInspector;
import io.dataflow.source.Sources;
import io.dataflow.state.CheckpointStore;
import io.dataflow.api.ObjectStore;
import io.dataflow.target.TargetKind;
import io.dataflow.target.Targets;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a runnable {@link Pipeline} from a {@link PipelineConfig}: resolves the table selection, prepares the source,
 * chooses how the full load runs ({@link #plan}), opens the targets' stores and sinks. Sources and targets come from
 * their registries ({@link Sources}, {@link Targets}). Closing it closes what it opened.
 */
public final class PipelineBuilder implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PipelineBuilder.class);
    private final PipelineConfig config;
    private final Map<String, String> sourceTuning;
    private final ValueIssues valueIssues = new ValueIssues();
    private final ValueIssues sourceConversions = new ValueIssues();
    private final io.dataflow.runtime.SinkCounters sinkCounters = new io.dataflow.runtime.SinkCounters();
    private final List<ObjectStore> stores = new ArrayList<>();
    private final List<Sink> sinks = new ArrayList<>();
    private TableWatch tableWatch;
    private volatile List<TableId> tables = List.of();

    /** @param sourceTuning source properties that override DataFlow's defaults (tests, benchmarks) */
    public PipelineBuilder(PipelineConfig config, Map<String, String> sourceTuning) {
        this.config = config;
        this.sourceTuning = Map.copyOf(sourceTuning);
    }

    public List<TableId> tables() {
        return tables;
    }

    /** Values the targets could not hold as they were (written as NULL or changed), counted per column and reason. */
    /** What sinks did on their own schedule (processed-zone commits and maintenance). */
    public io.dataflow.runtime.SinkCounters sinkCounters() {
        return sinkCounters;
    }

    public Map<String, Long> valueIssues() {
        return valueIssues.snapshot();
    }

    /** Values the source converted on the way (zero dates written as null): reason to column to count. */
    public Map<String, Map<String, Long>> sourceConversions() {
        return sourceConversions.byReason();
    }

    /**
     * Resolves the table selection against the source and builds the pipeline. May be called again after a failure (an
     * unreachable source): what an earlier attempt opened is closed first.
     */
    public Pipeline build(int maxConsecutiveFailures) throws Exception {
        closeParts();
        SourceFamily family = Sources.family(config.source().type());
        SourceInspector inspector = family.inspector(config.source());
        List<SourceInspector.TableInfo> infos = family.resolveTables(inspector, config);
        tables = infos.stream().map(SourceInspector.TableInfo::id).toList();
        if (tables.isEmpty()) {
            throw new ConfigException("tables: no table of database '" + config.source().database() + "' matches include "
                    + config.tables().include() + (config.tables().exclude().isEmpty() ? "" : " minus exclude " + config.tables().exclude())
                    + "; run 'dataflow check --config ...' to list the tables");
        }
        io.dataflow.transform.TableRules rules = config.tableRules();
        checkRules(rules, family, inspector);
        for (TargetConfig target : config.targets()) {
            stores.add(Targets.stateStore(target));
        }
        ObjectStore stateStore = stores.get(0);
        SourceFamily.Context context = new SourceFamily.Context(config, tables, stateStore, sourceConversions, sourceTuning);
        FullLoadPlan plan = plan(config, family, context);
        TableWatch watch = null;
        if (config.mode().streams()) {
            watch = new TableWatch(family, inspector, config, stateStore, tables);
            watch.reconcile(new CheckpointStore(stateStore, config.name()).load().fullLoadDone());
            tableWatch = watch;
        }
        TableWatch watching = watch;
        for (int i = 0; i < config.targets().size(); i++) {
            TargetConfig target = config.targets().get(i);
            sinks.add(io.dataflow.transform.RuleApplyingSink.wrap(rules, Targets.kind(target.type()).sink(
                    new TargetKind.Context(config, target, tables, stores.get(i), plan.kind(), valueIssues, sinkCounters))));
        }
        TargetConfig.Flush flush = strictest(config.targets());
        Pipeline pipeline = new Pipeline(
                () -> family.changeSource(watching == null ? context : sourceContext(watching, context), plan),
                plan,
                sinks,
                new CheckpointStore(stateStore, config.name()),
                new FlushPolicy(flush.interval(), flush.rows(), flush.bytes()),
                Clock.systemUTC(),
                Backoff.standard(),
                !config.mode().streams(),
                maxConsecutiveFailures);
        Map<TableId, Long> estimates = new java.util.TreeMap<>();
        infos.forEach(t -> estimates.put(t.id(), t.estimatedRows()));
        pipeline.stats().expect(estimates);
        if (watch != null && family.watchesTables()) {
            watch.watch(pipeline, NEW_TABLE_CHECK, family.restartsForNewTables());
        }
        return pipeline;
    }

    /** Proves, against the source catalog, that every table rule names what exists and no two names collide (exit 2 if not). */
    private void checkRules(io.dataflow.transform.TableRules rules, SourceFamily family, SourceInspector inspector) throws Exception {
        if (rules.isEmpty() || !family.hasSqlCatalog()) {
            return; // documents have no catalog: rules apply to the fields each change carries
        }
        try (java.sql.Connection c = inspector.connect()) {
            io.dataflow.transform.CatalogRules.check(rules, family.catalogReader(config.source()).read(c, tables));
        } catch (java.sql.SQLException e) {
            throw inspector.explain(e);
        }
    }

    /** How often the source's catalog is checked for tables that joined (or left) the rules. */
    static final java.time.Duration NEW_TABLE_CHECK = java.time.Duration.ofSeconds(5);

    /**
     * The context a new change source starts with: when new tables appeared, the tables as the rules select them now
     * (prepared for changes, and their rows asked to be read by the stream); otherwise the tables so far.
     */
    private SourceFamily.Context sourceContext(TableWatch watch, SourceFamily.Context context) {
        if (watch.stale()) {
            try {
                watch.refresh();
                watch.reconcile(true);
                tables = watch.tables();
            } catch (Exception e) {
                LOG.warn("could not take in the new tables ({}); the stream goes on with the tables so far", e.toString());
            }
        }
        return new SourceFamily.Context(config, watch.tables(), context.stateStore(), context.conversions(), context.tuning());
    }

    /**
     * How the full load runs: none in mode cdc; Debezium's snapshot when asked for ({@code full-load.engine: debezium})
     * or when the source has no parallel loader; otherwise the source's parallel loader, which must read one consistent
     * snapshot before the stream when the pipeline does not stream afterwards or a target cannot take rows twice.
     */
    static FullLoadPlan plan(PipelineConfig config, SourceFamily family, SourceFamily.Context context) {
        if (!config.mode().loads()) {
            return FullLoadPlan.NONE;
        }
        if (config.fullLoad().engine() == PipelineConfig.Engine.DEBEZIUM) {
            return FullLoadPlan.SOURCE_SNAPSHOT;
        }
        boolean consistent = !config.mode().streams() || Targets.needConsistentFullLoad(config);
        return family.parallelLoader(context, consistent).map(FullLoadPlan::parallel).orElse(FullLoadPlan.SOURCE_SNAPSHOT);
    }

    /** With several targets, the checkpoint waits for all of them: flush on the earliest trigger of any. */
    static TargetConfig.Flush strictest(List<TargetConfig> targets) {
        Duration interval = null;
        long rows = Long.MAX_VALUE;
        long bytes = Long.MAX_VALUE;
        for (TargetConfig t : targets) {
            interval = interval == null || t.flush().interval().compareTo(interval) < 0 ? t.flush().interval() : interval;
            rows = Math.min(rows, t.flush().rows());
            bytes = Math.min(bytes, t.flush().bytes());
        }
        return new TargetConfig.Flush(interval, rows, bytes);
    }

    private void closeParts() throws IOException {
        if (tableWatch != null) {
            tableWatch.close();
            tableWatch = null;
        }
        IOException first = null;
        List<AutoCloseable> parts = new ArrayList<>(sinks);
        parts.addAll(stores);
        for (AutoCloseable c : parts) {
            try {
                c.close();
            } catch (Exception e) {
                first = first == null ? new IOException("closing " + c + ": " + e.getMessage(), e) : first;
            }
        }
        sinks.clear();
        stores.clear();
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() throws IOException {
        closeParts();
    }
}
