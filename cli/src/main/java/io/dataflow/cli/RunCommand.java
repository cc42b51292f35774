package io.dataflow.cli;

import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.PipelineConfigReader;
import io.dataflow.runtime.Pipeline;
import io.dataflow.runtime.PipelineStats;
import io.dataflow.state.CheckpointStore;
import io.dataflow.storage.ObjectStores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dataflow run}: runs a pipeline until done (full-load) or until SIGTERM/SIGINT (CDC modes). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a pipeline: full load and/or change data capture into the lake.",
                "In mode full-load it exits 0 when the load is done; in the CDC modes it runs until SIGTERM or "
                        + "Ctrl-C, then flushes, checkpoints and exits 0. A restart resumes from the last checkpoint."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done, or stopped cleanly", "1:the pipeline failed (source, lake or checkpoint)",
                "2:the pipeline file or the command line is wrong"})
final class RunCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the pipeline file (YAML)")
    Path config;

    @Option(names = "--progress-seconds", defaultValue = "5", paramLabel = "N",
            description = "print a progress line every N seconds (0: never; default ${DEFAULT-VALUE})")
    long progressSeconds;

    @Option(names = "--max-retries", defaultValue = "10", paramLabel = "N",
            description = "restarts after source failures (lost connection, ...) before giving up (default ${DEFAULT-VALUE})")
    int maxRetries;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PipelineConfig pipeline = new PipelineConfigReader().read(config);
        PrintWriter out = spec.commandLine().getOut();
        if (pipeline.mode() == PipelineConfig.Mode.FULL_LOAD) {
            var state = new CheckpointStore(ObjectStores.open(pipeline.targets().get(0).uri()), pipeline.name()).load();
            if (state.fullLoadDone()) {
                out.println("full load of pipeline '" + pipeline.name() + "' already complete (checkpoint " + state.sequence()
                        + "); delete " + CheckpointStore.stateDir(pipeline.name()) + " and raw/" + pipeline.name()
                        + "/ in the lake to load again");
                return 0;
            }
        }
        return run(pipeline, Map.of(), out, progressSeconds, maxRetries, null, st -> { });
    }

    /**
     * Runs a pipeline with a shutdown hook that stops it cleanly; {@code stop}, when given, stops it too.
     */
    static int run(PipelineConfig pipeline, Map<String, String> tuning, PrintWriter out, long progressSeconds,
            int maxRetries, CountDownLatch stop, java.util.function.Consumer<PipelineStats> started) throws Exception {
        try (PipelineFactory factory = new PipelineFactory(pipeline, tuning)) {
            Pipeline p = buildWithRetries(factory, maxRetries, out);
            started.accept(p.stats());
            out.println("pipeline '" + pipeline.name() + "': " + pipeline.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                    + " of " + factory.tables().size() + " table(s) from " + pipeline.source() + " into "
                    + pipeline.targets().stream().map(t -> t.uri()).toList());
            out.flush();
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                p.stop();
                try {
                    finished.await();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }, "dataflow-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            Signals.onTermination(p::stop);
            Thread stopper = null;
            if (stop != null) {
                stopper = new Thread(() -> {
                    try {
                        stop.await();
                        p.stop();
                    } catch (InterruptedException ignored) {
                        // run ended first
                    }
                }, "dataflow-stop");
                stopper.setDaemon(true);
                stopper.start();
            }
            Progress progress = progressSeconds > 0 ? new Progress(p.stats(), out, progressSeconds) : null;
            try {
                p.run();
            } finally {
                if (progress != null) {
                    progress.close();
                }
                if (stopper != null) {
                    stopper.interrupt();
                }
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running
                }
            }
            summary(p.stats(), out);
            return 0;
        }
    }

    /** The source may be down when we start: retry connection failures (not permanent ones) with backoff. */
    private static Pipeline buildWithRetries(PipelineFactory factory, int maxRetries, PrintWriter out) throws Exception {
        io.dataflow.runtime.Backoff backoff = io.dataflow.runtime.Backoff.standard();
        for (int attempt = 0; ; attempt++) {
            try {
                return factory.build(maxRetries);
            } catch (io.dataflow.api.SourceException e) {
                if (e.permanent() || attempt >= maxRetries) {
                    throw e;
                }
                long wait = backoff.delay(attempt).toMillis();
                org.slf4j.LoggerFactory.getLogger(RunCommand.class).warn("{}; retrying in {} ms (attempt {} of {})",
                        e.getMessage(), wait, attempt + 1, maxRetries);
                Thread.sleep(wait);
            }
        }
    }

    static void summary(PipelineStats s, PrintWriter out) {
        out.println("done: " + Progress.line(s, 0, 0).replaceFirst("^\\[\\s*0s] ", "").replaceFirst(" \\| 0 rows/s", ""));
        for (Map.Entry<TableId, Long> e : s.fullLoadRows().entrySet()) {
            out.println("  full load  " + e.getKey() + ": " + e.getValue() + " rows");
        }
        for (Map.Entry<TableId, Long> e : s.changes().entrySet()) {
            out.println("  changes    " + e.getKey() + ": " + e.getValue());
        }
        out.println("  flushes by trigger: " + s.flushes() + ", max lag: " + (s.maxLagMillis() < 0 ? "-" : s.maxLagMillis() + " ms")
                + ", restarts: " + s.restarts());
        out.flush();
    }
}
