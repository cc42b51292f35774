package io.dataflow.target;

import io.dataflow.api.ObjectStore;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.TargetConfig;
import java.io.IOException;
import java.util.List;
import java.util.ServiceLoader;

/** The {@link TargetKind}s on the class path, found once with {@link ServiceLoader}. */
public final class Targets {
    private static final List<TargetKind> KINDS = ServiceLoader.load(TargetKind.class, Targets.class.getClassLoader())
            .stream().map(ServiceLoader.Provider::get).toList();

    private Targets() {}

    public static TargetKind kind(TargetConfig.Type type) {
        return KINDS.stream().filter(k -> k.type() == type).findFirst().orElseThrow(() -> new IllegalStateException(
                "no target module for type " + type + " on the class path (kinds found: " + KINDS + ")"));
    }

    /**
     * Where a pipeline keeps its state: with its first target, so state and data share one failure domain (a lake
     * under {@code _state/}, a database target in its {@code _dataflow} schema).
     */
    public static ObjectStore stateStore(PipelineConfig pipeline) throws IOException {
        return stateStore(pipeline.targets().get(0));
    }

    public static ObjectStore stateStore(TargetConfig target) throws IOException {
        return kind(target.type()).stateStore(target);
    }

    /** True when some target needs a full load read in one consistent snapshot before the stream. */
    public static boolean needConsistentFullLoad(PipelineConfig pipeline) {
        return pipeline.targets().stream().anyMatch(t -> kind(t.type()).needsConsistentFullLoad(t));
    }
}
