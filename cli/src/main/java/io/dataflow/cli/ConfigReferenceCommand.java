package io.dataflow.cli;

import io.dataflow.config.PipelineConfigReader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints every key of the pipeline file, generated from the declarations. */
@Command(name = "config-reference", mixinStandardHelpOptions = true,
        description = "Prints every key of the pipeline file with its type, default and meaning (Markdown).")
final class ConfigReferenceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Option(names = "--type-mappings",
            description = "print the type mappings of database targets instead (every direction, every rule)")
    boolean typeMappings;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(typeMappings ? io.dataflow.convert.TypeMappings.reference() : PipelineConfigReader.reference());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
