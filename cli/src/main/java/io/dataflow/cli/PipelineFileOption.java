package io.dataflow.cli;

import io.dataflow.config.PipelineConfig;
import io.dataflow.config.PipelineConfigReader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The option every command that works on a pipeline shares: {@code -c/--config FILE}, read and validated once. */
final class PipelineFileOption {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the pipeline file (YAML)")
    Path file;

    /** The pipeline file, read and validated (a mistake is a {@link io.dataflow.config.ConfigException}). */
    PipelineConfig read() {
        return new PipelineConfigReader().read(file);
    }
}
