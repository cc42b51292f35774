package io.dataflow.runtime;

import io.dataflow.api.FullLoader;
import java.util.Optional;

/**
 * How a pipeline's full load runs, decided once (see {@code PipelineBuilder}) from the mode, the {@code full-load}
 * settings, the source's loaders and what the targets accept.
 *
 * @param kind   who reads the tables
 * @param loader the parallel loader, for {@link Kind#PARALLEL}
 */
public record FullLoadPlan(Kind kind, FullLoader loader) {

    /** Who reads the tables. */
    public enum Kind {
        /** No full load (mode cdc). */
        NONE,
        /**
         * The change source's own snapshot delivers the rows as events (Debezium's snapshot, one thread); it starts
         * over after a failure.
         */
        SOURCE_SNAPSHOT,
        /** A {@link FullLoader} reads numbered chunks in parallel, beside the change source; a restart redoes unfinished chunks. */
        PARALLEL
    }

    public static final FullLoadPlan NONE = new FullLoadPlan(Kind.NONE, null);
    public static final FullLoadPlan SOURCE_SNAPSHOT = new FullLoadPlan(Kind.SOURCE_SNAPSHOT, null);

    public FullLoadPlan {
        if ((kind == Kind.PARALLEL) != (loader != null)) {
            throw new IllegalArgumentException("a loader goes with kind PARALLEL only");
        }
    }

    public static FullLoadPlan parallel(FullLoader loader) {
        return new FullLoadPlan(Kind.PARALLEL, loader);
    }

    /** The loader when it runs at {@code timing}. */
    public Optional<FullLoader> loaderAt(FullLoader.Timing timing) {
        return loader != null && loader.timing() == timing ? Optional.of(loader) : Optional.empty();
    }

    /** True when the change source delivers the full load as events. */
    public boolean inSource() {
        return kind == Kind.SOURCE_SNAPSHOT;
    }
}
