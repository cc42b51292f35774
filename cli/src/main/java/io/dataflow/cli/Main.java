package io.dataflow.cli;

import io.dataflow.config.ConfigException;
import io.dataflow.runtime.PipelineException;
import io.dataflow.api.SourceException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dataflow} command. */
@Command(name = "dataflow", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Replicates databases into a Parquet data lake or another database: full load, then change data capture.",
        subcommands = {RunCommand.class, ConvertCommand.class, CheckCommand.class, DemoCommand.class, ConfigReferenceCommand.class, IacCommand.class, CleanupCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code: the pipeline file or the command line is wrong. */
    public static final int EXIT_CONFIG = 2;
    /** Exit code: the pipeline failed (source, sink or checkpoint). */
    public static final int EXIT_FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given writers; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException || e instanceof io.dataflow.convert.SchemaConverter.ConversionException) {
                cmd.getErr().println("error: " + e.getMessage());
                return EXIT_CONFIG;
            }
            if (e instanceof PipelineException || e instanceof SourceException
                    || e instanceof io.dataflow.api.StorageException se && se.permanent()) {
                cmd.getErr().println("error: " + e.getMessage());
                return EXIT_FAILED;
            }
            cmd.getErr().println("error: " + io.dataflow.runtime.Pipeline.describe(e));
            e.printStackTrace(cmd.getErr());
            return EXIT_FAILED;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("error: " + e.getMessage());
            e.getCommandLine().getErr().println("run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage");
            return EXIT_CONFIG;
        });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"dataflow " + (v == null ? "development build" : v)};
        }
    }
}
