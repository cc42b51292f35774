package io.dataflow.cli;

import io.dataflow.api.Failure;
import io.dataflow.config.ConfigException;
import io.dataflow.convert.SchemaConverter;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * What every command does with an error, in one place: one line on standard error and an exit code. A wrong pipeline
 * file or command line exits 2 with the line that names the key or option; a classified failure (source, storage,
 * target, pipeline) exits 1 with its message; anything else exits 1 with its description and stack trace, since it
 * is a DataFlow bug.
 */
final class ErrorExits implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    /** Exit code: the pipeline failed (source, sink or checkpoint). */
    static final int FAILED = 1;
    /** Exit code: the pipeline file or the command line is wrong. */
    static final int CONFIG = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof ConfigException || e instanceof SchemaConverter.ConversionException) {
            err.println("error: " + e.getMessage());
            return CONFIG;
        }
        if (Failure.isOutOfMemory(e)) {
            err.println("error: " + Failure.outOfMemory(e));
            return FAILED;
        }
        if (e instanceof Failure.Classified) {
            err.println("error: " + e.getMessage());
            return FAILED;
        }
        err.println("error: " + Failure.describe(e));
        e.printStackTrace(err);
        return FAILED;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("error: " + e.getMessage());
        err.println("run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage");
        return CONFIG;
    }
}
