package io.dataflow.target;

import io.dataflow.api.ObjectStore;
import io.dataflow.api.Sink;
import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.TargetConfig;
import io.dataflow.runtime.FullLoadPlan;
import io.dataflow.runtime.ValueIssues;
import java.io.IOException;
import java.util.List;

/**
 * One kind of target (the lake; a database): its sink and where a pipeline writing to it keeps its state. Kinds are
 * found with {@link java.util.ServiceLoader} ({@code META-INF/services/io.dataflow.target.TargetKind}) by
 * {@link Targets}.
 */
public interface TargetKind {

    /**
     * What a sink is built from.
     *
     * @param store    the target's own object store (its state store when it is the first target)
     * @param fullLoad who reads the full load: chunks of a parallel loader, the source's snapshot as events, or none
     * @param issues   counts values the target could not hold as they were
     * @param counters counts what the sink does on its own schedule (commits, maintenance)
     */
    record Context(PipelineConfig pipeline, TargetConfig target, List<TableId> tables, ObjectStore store,
            FullLoadPlan.Kind fullLoad, ValueIssues issues, io.dataflow.runtime.SinkCounters counters) {
        public Context {
            tables = List.copyOf(tables);
        }

        public Context(PipelineConfig pipeline, TargetConfig target, List<TableId> tables, ObjectStore store,
                FullLoadPlan.Kind fullLoad, ValueIssues issues) {
            this(pipeline, target, tables, store, fullLoad, issues, new io.dataflow.runtime.SinkCounters());
        }
    }

    TargetConfig.Type type();

    /**
     * True when the target applies full-load rows as they come and so cannot take rows that the change stream
     * delivers again: the full load must then read one consistent snapshot before the stream starts.
     */
    default boolean needsConsistentFullLoad(TargetConfig target) {
        return false;
    }

    /** Where pipelines keep their state (checkpoint, lease, schema history, full-load chunks) in this target. */
    ObjectStore stateStore(TargetConfig target) throws IOException;

    /** The sink, prepared to receive the full load and changes. */
    Sink sink(Context context) throws Exception;
}
