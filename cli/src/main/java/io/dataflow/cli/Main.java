package io.dataflow.cli;

import io.dataflow.api.Failure;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dataflow} command. */
@Command(name = "dataflow", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Replicates databases into a Parquet data lake or another database: full load, then change data capture.",
        subcommands = {RunCommand.class, ReloadCommand.class, ConvertCommand.class, CheckCommand.class, AssessCommand.class, StatusCommand.class, CutoverCommand.class, DemoCommand.class, ConfigReferenceCommand.class, IacCommand.class, CleanupCommand.class, RebuildCommand.class, ValidateCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code: the pipeline file or the command line is wrong. */
    public static final int EXIT_CONFIG = ErrorExits.CONFIG;
    /** Exit code: the pipeline failed (source, sink or checkpoint). */
    public static final int EXIT_FAILED = ErrorExits.FAILED;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--log-format", defaultValue = "${env:DATAFLOW_LOG_FORMAT:-text}", paramLabel = "text|json",
            scope = CommandLine.ScopeType.INHERIT,
            description = "log lines (standard error) as text or as one JSON object per line (default ${DEFAULT-VALUE})")
    void logFormat(Logging.Format format) {
        Logging.format(format);
    }

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
        ErrorExits errors = new ErrorExits();
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("error: " + Failure.outOfMemory());
            return EXIT_FAILED;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"dataflow " + (v == null ? "development build" : v)};
        }
    }
}
