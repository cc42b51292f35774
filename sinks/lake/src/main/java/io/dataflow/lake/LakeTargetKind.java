package io.dataflow.lake;

import io.dataflow.lake.processed.ProcessedTables;
import io.dataflow.lake.processed.ProcessedZone;

import io.dataflow.api.Sink;
import io.dataflow.config.TargetConfig;
import io.dataflow.runtime.FullLoadPlan;
import io.dataflow.api.ObjectStore;
import io.dataflow.storage.ObjectStores;
import io.dataflow.target.TargetKind;
import java.io.IOException;

/** The data lake: a local folder or S3; state under {@code _state/<name>/}. */
public final class LakeTargetKind implements TargetKind {

    @Override
    public TargetConfig.Type type() {
        return TargetConfig.Type.LAKE;
    }

    @Override
    public ObjectStore stateStore(TargetConfig target) throws IOException {
        return ObjectStores.open(target.uri(), target.s3());
    }

    /** The processed zone applies full-load rows as current state, so changes must follow one consistent snapshot. */
    @Override
    public boolean needsConsistentFullLoad(TargetConfig target) {
        return target.processed().enabled();
    }

    @Override
    public Sink sink(Context context) {
        boolean chunked = context.fullLoad() == FullLoadPlan.Kind.PARALLEL;
        LakeSink raw = new LakeSink(context.store(), context.pipeline().name(), context.target().compression(), chunked);
        if (!context.target().processed().enabled()) {
            return raw;
        }
        return new LakeZones(raw, ProcessedZone.open(context.store(), ProcessedTables.root(context.target()), context.pipeline().name(), context.target().processed(), chunked,
                context.counters()));
    }

    @Override
    public String toString() {
        return "lake";
    }
}
