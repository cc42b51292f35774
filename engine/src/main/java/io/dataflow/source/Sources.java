package io.dataflow.source;

import io.dataflow.config.SourceConfig;
import java.util.List;
import java.util.ServiceLoader;

/** The {@link SourceFamily}s on the class path, found once with {@link ServiceLoader}. */
public final class Sources {
    private static final List<SourceFamily> FAMILIES = io.dataflow.engine.Providers.load(SourceFamily.class);

    private Sources() {}

    /** The family that reads {@code type}. */
    public static SourceFamily family(SourceConfig.Type type) {
        return FAMILIES.stream().filter(f -> f.types().contains(type)).findFirst().orElseThrow(() -> new IllegalStateException(
                "no source module for type " + type + " on the class path (families found: " + FAMILIES + ")"));
    }

    public static SourceInspector inspector(SourceConfig source) {
        return family(source.type()).inspector(source);
    }
}
