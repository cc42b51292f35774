package io.dataflow.config;

import java.util.List;

/**
 * One replication task, as read from a pipeline file by {@link PipelineConfigReader}.
 *
 * @param name    the pipeline's name; also its folder in the lake and the default slot name
 * @param source  where changes come from
 * @param tables  which tables move
 * @param mode    full load, CDC, or both
 * @param targets where changes go
 * @param fullLoad how the full load reads
 * @param transforms per-column type overrides for database targets
 * @param validateAfterLoad mode full-load: compare every target with the source once the load is done
 * @param http    where run serves its status page and endpoints
 * @param ddl     what database targets do with schema changes of the source
 * @param rules   table rules (rename, remove and add columns, keys, filters, masks), in order
 */
public record PipelineConfig(String name, SourceConfig source, TableSelection tables, Mode mode, List<TargetConfig> targets,
        FullLoad fullLoad, List<ChangeType> transforms, boolean validateAfterLoad, Http http, Ddl ddl,
        List<io.dataflow.transform.Rule> rules) {

    public PipelineConfig {
        targets = List.copyOf(targets);
        transforms = List.copyOf(transforms);
        http = http == null ? Http.NONE : http;
        ddl = ddl == null ? Ddl.APPLY : ddl;
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    public PipelineConfig(String name, SourceConfig source, TableSelection tables, Mode mode, List<TargetConfig> targets,
            FullLoad fullLoad, List<ChangeType> transforms, boolean validateAfterLoad, Http http, Ddl ddl) {
        this(name, source, tables, mode, targets, fullLoad, transforms, validateAfterLoad, http, ddl, List.of());
    }

    /** The table rules, compiled (a new instance: it keeps the plans it builds, so hold on to it). */
    public io.dataflow.transform.TableRules tableRules() {
        return new io.dataflow.transform.TableRules(rules, name, source.database());
    }

    /**
     * A change-type transform's table and column as the targets name them (rules rename them): for the schema converter,
     * which works on the catalog as the targets see it.
     */
    public List<ChangeType> targetTransforms(io.dataflow.transform.TableRules tableRules) {
        return transforms.stream().map(t -> {
            String column = tableRules.targetColumn(t.table(), t.column());
            return new ChangeType(tableRules.target(t.table()), column == null ? t.column() : column, t.to());
        }).toList();
    }

    public PipelineConfig(String name, SourceConfig source, TableSelection tables, Mode mode, List<TargetConfig> targets,
            FullLoad fullLoad, List<ChangeType> transforms, boolean validateAfterLoad, Http http) {
        this(name, source, tables, mode, targets, fullLoad, transforms, validateAfterLoad, http, Ddl.APPLY);
    }

    /** The same pipeline with other transforms. */
    public PipelineConfig withTransforms(List<ChangeType> only) {
        return new PipelineConfig(name, source, tables, mode, targets, fullLoad, only, validateAfterLoad, http, ddl, rules);
    }

    /**
     * What a database target does when a table's columns change in the source: {@code apply} (default: added, dropped
     * and renamed columns, widening type changes and dropped NOT NULLs are applied; narrowing or incompatible type
     * changes are reported and left), {@code apply-unsafe} (those too), {@code ignore} (nothing; values of new columns
     * are not written), {@code stop} (the pipeline stops, naming the change).
     */
    public enum Ddl {
        APPLY,
        APPLY_UNSAFE,
        IGNORE,
        STOP
    }

    public PipelineConfig(String name, SourceConfig source, TableSelection tables, Mode mode, List<TargetConfig> targets,
            FullLoad fullLoad, List<ChangeType> transforms, boolean validateAfterLoad) {
        this(name, source, tables, mode, targets, fullLoad, transforms, validateAfterLoad, Http.NONE);
    }

    /** The status page and endpoints of run: a port (0: none) and the address to listen on. */
    public record Http(int port, String bind) {
        public static final Http NONE = new Http(0, "0.0.0.0");
    }

    public PipelineConfig(String name, SourceConfig source, TableSelection tables, Mode mode, List<TargetConfig> targets,
            FullLoad fullLoad, List<ChangeType> transforms) {
        this(name, source, tables, mode, targets, fullLoad, transforms, false);
    }

    public PipelineConfig(String name, SourceConfig source, TableSelection tables, Mode mode, List<TargetConfig> targets,
            FullLoad fullLoad) {
        this(name, source, tables, mode, targets, fullLoad, List.of());
    }

    /** True when some target is a database (which changes how the full load may run). */
    public boolean hasJdbcTarget() {
        return targets.stream().anyMatch(t -> t.type() == TargetConfig.Type.JDBC);
    }

    public PipelineConfig(String name, SourceConfig source, TableSelection tables, Mode mode, List<TargetConfig> targets) {
        this(name, source, tables, mode, targets, FullLoad.DEFAULT);
    }

    /**
     * How the full load reads: {@code parallel} (chunks read by several threads: PostgreSQL with COPY under one
     * exported snapshot, MariaDB/MySQL by primary-key ranges while the binlog streams) or {@code debezium}
     * (Debezium's own snapshot, one thread).
     */
    public record FullLoad(Engine engine, int threads, long chunkRows) {
        /** Parallel, one reader per CPU core (2-8), 250,000 rows per chunk. */
        public static final FullLoad DEFAULT = new FullLoad(Engine.PARALLEL, 0, 250_000);

        /** The reader threads to use: the configured number, or (0) one per CPU core, at least 2, at most 8. */
        public int effectiveThreads() {
            return threads > 0 ? threads : Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
        }
    }

    /** Full-load readers. */
    public enum Engine {
        PARALLEL,
        DEBEZIUM
    }

    /** What the pipeline does. */
    public enum Mode {
        /** Copy the selected tables once, then exit. */
        FULL_LOAD,
        /** Stream changes from now on, no initial copy. */
        CDC,
        /** Copy the selected tables, then stream changes from the copy's consistent point. */
        FULL_LOAD_AND_CDC;

        public boolean streams() {
            return this != FULL_LOAD;
        }

        public boolean loads() {
            return this != CDC;
        }
    }
}
