package io.dataflow.cli;

import io.dataflow.config.PipelineConfig;
import io.dataflow.validate.ValidationReport;
import io.dataflow.validate.Validator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dataflow validate}: proves every target of a pipeline equals its source, row for row, and names what differs. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Compares every replicated table with each target of the pipeline (database targets, the lake's processed zone),"
                + " row for row, in parallel over key ranges, and lists the rows that differ with their key and both values."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every target equals its source", "1:differences found", "2:could not compare (connection, unknown table, pipeline file)"})
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    PipelineFileOption pipelineFile;

    @Option(names = "--tables", split = ",", paramLabel = "SCHEMA.TABLE", description = "only these tables (default: every table the pipeline replicates)")
    List<String> tables = List.of();

    @Option(names = "--threads", defaultValue = "4", paramLabel = "N", description = "key ranges compared at once (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--max-diffs", defaultValue = "100", paramLabel = "N", description = "differences listed per table (default ${DEFAULT-VALUE})")
    int maxDiffs;

    @Option(names = "--report", paramLabel = "FILE", description = "also write the result as JSON to FILE (with --continuous: rewritten after every pass)")
    Path report;

    @Option(names = "--continuous", description = "validate again and again while changes flow; report a difference only when it lasts"
            + " longer than --lag-allowance")
    boolean continuous;

    @Option(names = "--lag-allowance", defaultValue = "30s", paramLabel = "DURATION",
            description = "with --continuous: how long a difference may last before it counts (changes in flight; default ${DEFAULT-VALUE})")
    String lagAllowance;

    @Option(names = "--interval", defaultValue = "10s", paramLabel = "DURATION",
            description = "with --continuous: pause between passes (default ${DEFAULT-VALUE})")
    String interval;

    @Option(names = "--passes", defaultValue = "0", paramLabel = "N", description = "with --continuous: stop after N passes (default: until stopped)")
    int passes;

    @Option(names = "--checksums", defaultValue = "auto", paramLabel = "WHEN", converter = ChecksumsConverter.class,
            description = {"checksum key ranges inside both databases instead of reading their rows: auto (default: between PostgreSQL"
                    + " databases, and across engines when a database is on another host), always, never"})
    io.dataflow.validate.Validator.Checksums checksums;

    /** {@code auto|always|never}, with the allowed values in the error. */
    static final class ChecksumsConverter implements picocli.CommandLine.ITypeConverter<io.dataflow.validate.Validator.Checksums> {
        @Override
        public io.dataflow.validate.Validator.Checksums convert(String value) {
            try {
                return io.dataflow.validate.Validator.Checksums.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not one of auto, always, never");
            }
        }
    }

    @Option(names = "--http-port", defaultValue = "-1", paramLabel = "PORT",
            description = "with --continuous: serve the last pass's results on http://ADDRESS:PORT/metrics (Prometheus) and /health")
    int httpPort;

    @Option(names = "--http-bind", defaultValue = "0.0.0.0", paramLabel = "ADDRESS",
            description = "the address /metrics listens on (default ${DEFAULT-VALUE}, every interface; it carries no secrets)")
    String httpBind;

    static java.time.Duration duration(String option, String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h)").matcher(text.strip());
        if (!m.matches()) {
            throw new io.dataflow.config.ConfigException(option + ": '" + text + "' is not a duration; expected e.g. 500ms, 30s, 5m, 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> java.time.Duration.ofMillis(n);
            case "s" -> java.time.Duration.ofSeconds(n);
            case "m" -> java.time.Duration.ofMinutes(n);
            default -> java.time.Duration.ofHours(n);
        };
    }

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || threads > 256) {
            throw new io.dataflow.config.ConfigException("--threads: " + threads + " is out of range; expected 1 to 256");
        }
        if (maxDiffs < 0) {
            throw new io.dataflow.config.ConfigException("--max-diffs: " + maxDiffs + " is negative");
        }
        java.time.Duration allowance = duration("--lag-allowance", lagAllowance);
        java.time.Duration pause = duration("--interval", interval);
        if (passes < 0) {
            throw new io.dataflow.config.ConfigException("--passes: " + passes + " is negative");
        }
        if (httpPort < -1 || httpPort > 65535) {
            throw new io.dataflow.config.ConfigException("--http-port: '" + httpPort + "' is not a TCP port; expected 1..65535, or 0 for any free one");
        }
        if (httpPort >= 0 && !continuous) {
            throw new io.dataflow.config.ConfigException("--http-port: serves the results of --continuous; add --continuous, or use --report FILE");
        }
        PipelineConfig pipeline = pipelineFile.read();
        PrintWriter out = pipelineFile.out();
        java.util.function.Consumer<String> print = line -> {
            out.println(line);
            out.flush();
        };
        ValidationReport result;
        try {
            Validator validator = new Validator(pipeline, new Validator.Options(tables, threads, maxDiffs, checksums), continuous ? line -> { } : print);
            if (continuous) {
                io.dataflow.validate.ContinuousValidation loop = new io.dataflow.validate.ContinuousValidation(validator::run, allowance, pause,
                        java.time.Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), print);
                if (report != null) {
                    loop.afterEachPass(results -> {
                        try {
                            new ValidationReport(results).writeJson(report);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException("--report: could not write " + report + ": " + e.getMessage(), e);
                        }
                    });
                }
                io.dataflow.cli.ops.StatusServer server = null;
                if (httpPort >= 0) {
                    io.dataflow.cli.ops.ValidationMetrics metrics = new io.dataflow.cli.ops.ValidationMetrics(pipeline.name(), loop::snapshot);
                    server = io.dataflow.cli.ops.StatusServer.metricsOnly(httpBind, httpPort, metrics::prometheus, () -> true);
                    print.accept("metrics of each pass on http://" + httpBind + ":" + server.port() + "/metrics");
                }
                List<io.dataflow.validate.TableResult> last;
                try {
                    last = loop.run(passes);
                } finally {
                    if (server != null) {
                        server.close();
                    }
                }
                boolean failed = last.stream().anyMatch(t -> !t.error().isEmpty());
                return failed ? Main.EXIT_CONFIG : loop.confirmed().isEmpty() ? 0 : Main.EXIT_FAILED;
            }
            result = new ValidationReport(validator.run());
        } catch (io.dataflow.config.ConfigException e) {
            throw e;
        } catch (Exception e) {
            if (io.dataflow.api.Failure.isOutOfMemory(e)) {
                throw e;
            }
            // a comparison that could not run is not a difference: exit 2, as for a wrong pipeline file
            PrintWriter err = pipelineFile.command.commandLine().getErr();
            err.println("error: " + (e instanceof io.dataflow.api.Failure.Classified ? e.getMessage() : io.dataflow.api.Failure.describe(e)));
            err.flush();
            return Main.EXIT_CONFIG;
        }
        out.print(result.text());
        out.flush();
        if (report != null) {
            result.writeJson(report);
        }
        return result.failed() ? Main.EXIT_CONFIG : result.equal() ? 0 : Main.EXIT_FAILED;
    }
}
