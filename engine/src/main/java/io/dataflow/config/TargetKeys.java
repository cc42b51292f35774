package io.dataflow.config;

import java.util.List;
import java.util.Map;

/**
 * The keys of one kind of target, declared by the module that implements the target, and how a {@code targets[]} entry
 * of that type becomes a {@link TargetConfig}. Found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.dataflow.config.TargetKeys}) by {@link PipelineConfigReader}, which still reads and
 * validates the whole file once, at start-up.
 */
public interface TargetKeys {

    TargetConfig.Type type();

    /**
     * Every key a {@code targets[]} entry of this type allows, in the order messages and the reference list them;
     * includes {@link PipelineConfigReader#TARGET_TYPE} and {@link PipelineConfigReader#FLUSH}.
     */
    List<Key<?>> keys();

    /** Reads a validated entry ({@code path} is e.g. {@code targets[0]}); {@code flush} is already read. */
    TargetConfig read(String path, Section entry, TargetConfig.Flush flush);

    /** The reference sections of this target: title (e.g. {@code targets[].s3}) to keys, in order. */
    Map<String, List<Key<?>>> reference();
}
