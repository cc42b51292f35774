package io.dataflow.lake;

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

    @Override
    public Sink sink(Context context) {
        return new LakeSink(context.store(), context.pipeline().name(), context.target().compression(),
                context.fullLoad() == FullLoadPlan.Kind.PARALLEL);
    }

    @Override
    public String toString() {
        return "lake";
    }
}
