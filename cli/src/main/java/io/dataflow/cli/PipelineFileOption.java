package io.dataflow.cli;

import io.dataflow.config.PipelineConfig;
import io.dataflow.config.PipelineConfigReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The option every command that works on a pipeline shares: {@code -c/--config FILE}, read and validated once. */
final class PipelineFileOption {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the pipeline file (YAML)")
    Path file;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Where the command writes its output. */
    PrintWriter out() {
        return command.commandLine().getOut();
    }

    /** The pipeline file, read and validated (a mistake is a {@link io.dataflow.config.ConfigException}). */
    PipelineConfig read() {
        return new PipelineConfigReader().read(file);
    }
}
