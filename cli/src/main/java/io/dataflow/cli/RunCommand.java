package io.dataflow.cli;

import io.dataflow.api.TableId;
import io.dataflow.config.ConfigException;
import io.dataflow.config.PipelineConfig;
import io.dataflow.runtime.PipelineStats;
import io.dataflow.state.CheckpointStore;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dataflow run}: runs a pipeline until done (full-load) or until SIGTERM/SIGINT (CDC modes). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a pipeline: full load and/or change data capture into the lake or a database.",
                "In mode full-load it exits 0 when the load is done; in the CDC modes it runs until SIGTERM or "
                        + "Ctrl-C, then flushes, checkpoints and exits 0. A restart resumes from the last checkpoint."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done, or stopped cleanly", "1:the pipeline failed (source, lake or checkpoint)",
                "2:the pipeline file or the command line is wrong"})
final class RunCommand implements Callable<Integer> {
    @Mixin
    PipelineFileOption pipelineFile;

    @Option(names = "--progress-seconds", defaultValue = "5", paramLabel = "N",
            description = "print a progress line every N seconds (0: never; default ${DEFAULT-VALUE})")
    long progressSeconds;

    @Option(names = "--max-retries", defaultValue = "10", paramLabel = "N",
            description = "restarts after source failures (lost connection, ...) before giving up (default ${DEFAULT-VALUE})")
    int maxRetries;

    @Option(names = "--http-port", defaultValue = "${env:DATAFLOW_HTTP_PORT:--1}", paramLabel = "PORT",
            description = "serve the status page (/), /health, /metrics (Prometheus) and /status on this port (0: off; "
                    + "default: the pipeline file's http.port, else off)")
    int httpPort;

    @Option(names = "--http-bind", defaultValue = "${env:DATAFLOW_HTTP_BIND:-}", paramLabel = "ADDRESS",
            description = "the address they listen on (default: the pipeline file's http.bind, else 0.0.0.0, every interface; "
                    + "127.0.0.1 keeps them on this host); they carry counters, never a secret")
    String httpBind;

    @Option(names = "--cloudwatch-namespace", defaultValue = "${env:DATAFLOW_CLOUDWATCH_NAMESPACE:-}", paramLabel = "NS",
            description = "publish ReplicationLagMs, ChangesReplicated, FullLoadRows, Restarts, Errors to CloudWatch every minute")
    String cloudWatchNamespace;

    @Override
    public Integer call() throws Exception {
        if (progressSeconds < 0) {
            throw new ConfigException("--progress-seconds: '" + progressSeconds + "' is negative; expected 0 (never) or more");
        }
        if (httpPort < -1 || httpPort > 65535) {
            throw new ConfigException("--http-port: '" + httpPort + "' is not a TCP port; expected 1..65535, or 0 for none");
        }
        if (maxRetries < 0) {
            throw new ConfigException("--max-retries: '" + maxRetries + "' is negative; expected 0 (no restart) or more");
        }
        PipelineConfig pipeline = pipelineFile.read();
        PrintWriter out = pipelineFile.out();
        if (pipeline.mode() == PipelineConfig.Mode.FULL_LOAD) {
            io.dataflow.api.Checkpoint state;
            try (var store = io.dataflow.target.Targets.stateStore(pipeline)) {
                state = new CheckpointStore(store, pipeline.name()).load();
            }
            if (state.fullLoadDone()) {
                out.println("full load of pipeline '" + pipeline.name() + "' already complete (checkpoint " + state.sequence()
                        + "); delete " + CheckpointStore.stateDir(pipeline.name()) + " and raw/" + pipeline.name()
                        + "/ in the lake to load again");
                return 0;
            }
        }
        return PipelineRunner.run(pipeline, Map.of(), out, progressSeconds, maxRetries, null, st -> { },
                new io.dataflow.cli.ops.Operations(httpPort >= 0 ? httpPort : pipeline.http().port(),
                        cloudWatchNamespace == null ? "" : cloudWatchNamespace,
                        httpBind == null || httpBind.isBlank() ? pipeline.http().bind() : httpBind));
    }

    static void summary(PipelineStats s, Map<String, Map<String, Long>> sourceConversions, Map<String, Long> valueIssues,
            long peakHeapBytes, PrintWriter out) {
        out.println("done: " + Progress.line(s));
        for (Map.Entry<TableId, Long> e : s.fullLoadRows().entrySet()) {
            out.println("  full load  " + e.getKey() + ": " + e.getValue() + " rows");
        }
        for (Map.Entry<TableId, Long> e : s.changes().entrySet()) {
            out.println("  changes    " + e.getKey() + ": " + e.getValue());
        }
        out.println("  flushes by trigger: " + s.flushes() + ", max lag: " + (s.maxLagMillis() < 0 ? "-" : s.maxLagMillis() + " ms")
                + ", restarts: " + s.restarts() + (s.replayed() > 0 ? " (" + s.replayed() + " change(s) delivered again, counted once)" : ""));
        out.println("  peak heap: " + (peakHeapBytes >> 20) + " MiB (limit " + (HeapWatch.maxBytes() >> 20) + " MiB)");
        sourceConversions.forEach((reason, columns) -> out.println("  " + reason + ": " + columns));
        valueIssues.forEach((what, n) -> out.println("  database target, " + n + " value(s): " + what));
        out.flush();
    }
}
