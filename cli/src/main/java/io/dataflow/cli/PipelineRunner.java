package io.dataflow.cli;

import io.dataflow.api.Failure;
import io.dataflow.api.SourceException;
import io.dataflow.retry.Retrier;
import io.dataflow.config.PipelineConfig;
import io.dataflow.cli.ops.CloudWatchPublisher;
import io.dataflow.cli.ops.Metrics;
import io.dataflow.cli.ops.Operations;
import io.dataflow.cli.ops.SourceBacklog;
import io.dataflow.cli.ops.StatusHistory;
import io.dataflow.cli.ops.StatusReport;
import io.dataflow.cli.ops.StatusServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import io.dataflow.retry.Backoff;
import io.dataflow.runtime.Pipeline;
import io.dataflow.runtime.PipelineException;
import io.dataflow.engine.PipelineBuilder;
import io.dataflow.runtime.PipelineStats;
import io.dataflow.target.Targets;
import io.dataflow.state.PipelineLease;
import io.dataflow.api.ObjectStore;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pipeline in this process: takes the pipeline's lease (one writer per lake), builds the pipeline
 * (retrying an unreachable source), renews the lease, stops cleanly on SIGTERM/SIGINT, prints progress and
 * a summary.
 */
final class PipelineRunner {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

    private PipelineRunner() {}

    /**
     * Runs a pipeline with a shutdown hook that stops it cleanly; {@code stop}, when given, stops it too.
     */
    static int run(PipelineConfig pipeline, Map<String, String> tuning, PrintWriter out, long progressSeconds,
            int maxRetries, CountDownLatch stop, Consumer<PipelineStats> started) throws Exception {
        return run(pipeline, tuning, out, progressSeconds, maxRetries, stop, started, Operations.NONE);
    }

    static int run(PipelineConfig pipeline, Map<String, String> tuning, PrintWriter out, long progressSeconds,
            int maxRetries, CountDownLatch stop, Consumer<PipelineStats> started, Operations ops) throws Exception {
        // what is logged while the pipeline starts (tables prepared for CDC, ...) reaches the status page too (a null
        // resource is skipped by try-with-resources)
        try (io.dataflow.cli.ops.RecentLogEvents events = ops.httpPort() > 0 ? io.dataflow.cli.ops.RecentLogEvents.attach() : null;
                ObjectStore stateStore = Targets.stateStore(pipeline);
                PipelineLease lease = acquireLease(stateStore, pipeline.name());
                PipelineBuilder factory = new PipelineBuilder(pipeline, tuning)) {
            Pipeline p = buildWithRetries(factory, maxRetries);
            if (events != null) {
                events.into(p.stats());
            }
            AtomicBoolean fenced = new AtomicBoolean();
            ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "dataflow-lease");
                t.setDaemon(true);
                return t;
            });
            long beat = PipelineLease.HEARTBEAT.toMillis();
            heartbeat.scheduleAtFixedRate(() -> {
                try {
                    if (!lease.renew()) {
                        fenced.set(true);
                        LOG.error(
                                "another process took over pipeline '{}' ({}); stopping", pipeline.name(), lease.key());
                        p.stop();
                    }
                } catch (Exception e) {
                    LOG.warn("could not renew the pipeline lease: {}", e.toString());
                }
            }, beat, beat, TimeUnit.MILLISECONDS);
            try {
                int code = observed(p, factory, pipeline, lease, ops, () -> runPipeline(p, factory, pipeline, out, progressSeconds, stop, started));
                if (fenced.get()) {
                    throw new PipelineException("stopped: another process took over pipeline '" + pipeline.name()
                            + "' (see " + lease.key() + ")", null);
                }
                return code;
            } finally {
                heartbeat.shutdownNow();
            }
        }
    }

    private interface Body {
        int run() throws Exception;
    }

    /** Runs the body with the status page and endpoints, and CloudWatch publishing, that the options ask for. */
    private static int observed(Pipeline p, PipelineBuilder factory, PipelineConfig pipeline, PipelineLease lease,
            Operations ops, Body body) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        List<AutoCloseable> open = new ArrayList<>();
        try {
            // the meters, history and backlog probe exist for the endpoints only: without them, nothing to build at start
            if (ops.httpPort() > 0) {
                SourceBacklog backlog = null;
                if (pipeline.mode().streams()) {
                    // the checkpoint as the pipeline holds it: no read of the state store (an S3 GET) every few seconds
                    backlog = new SourceBacklog(pipeline, () -> p.lastCheckpoint().sourceOffset(), 5);
                    open.add(backlog);
                }
                Supplier<OptionalLong> backlogBytes = backlog == null ? OptionalLong::empty : backlog::bytes;
                Supplier<StatusReport.Conversions> conversions = () -> new StatusReport.Conversions(factory.sourceConversions(),
                        factory.valueIssues(), factory.sinkCounters().snapshot());
                StatusHistory history = new StatusHistory(p.stats(), backlogBytes);
                ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "dataflow-status-history");
                    t.setDaemon(true);
                    return t;
                });
                sampler.scheduleAtFixedRate(() -> history.sample(System.currentTimeMillis()), 0, 1, TimeUnit.SECONDS);
                open.add(sampler::shutdownNow);
                StatusServer http = new StatusServer(ops.httpBind(), ops.httpPort(),
                        new StatusReport(pipeline.name(), p.stats(), history, running::get, conversions),
                        new Metrics(pipeline.name(), p.stats(), factory.sinkCounters(), conversions, backlogBytes, Clock.systemUTC()), running::get,
                        Clock.systemUTC());
                open.add(http);
                String url = "http://" + advertisedHost(ops.httpBind()) + ":" + http.port() + "/";
                lease.advertise(url); // dataflow status and cutover find this process through its owner record
                LOG.info("status page on {} (and /health, /metrics, /status)", url);
            }
            if (!ops.cloudWatchNamespace().isEmpty()) {
                CloudWatchPublisher cloudWatch = CloudWatchPublisher.start(ops.cloudWatchNamespace(), pipeline.name(), p.stats());
                open.add(() -> {
                    cloudWatch.publish();
                    cloudWatch.close();
                });
            }
            return body.run();
        } finally {
            running.set(false);
            for (int i = open.size() - 1; i >= 0; i--) {
                try {
                    open.get(i).close();
                } catch (Exception e) {
                    LOG.warn("while stopping: {}", e.toString());
                }
            }
        }
    }

    /** The host name others reach the endpoints by: the bind address, or this host's name when bound to every interface. */
    private static String advertisedHost(String bind) {
        if (!bind.equals("0.0.0.0") && !bind.equals("::")) {
            return bind.contains(":") ? "[" + bind + "]" : bind;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    private static PipelineLease acquireLease(ObjectStore store, String name) throws Exception {
        try {
            return PipelineLease.acquire(store, name);
        } catch (PipelineLease.HeldException e) {
            throw new PipelineException(e.getMessage(), null);
        }
    }

    private static int runPipeline(Pipeline p, PipelineBuilder factory, PipelineConfig pipeline, PrintWriter out, long progressSeconds,
            CountDownLatch stop, Consumer<PipelineStats> started) throws Exception {
        started.accept(p.stats());
        out.println("pipeline '" + pipeline.name() + "': " + pipeline.mode().name().toLowerCase(Locale.ROOT).replace('_', '-')
                + " of " + factory.tables().size() + " table(s) from " + pipeline.source() + " into "
                + pipeline.targets().stream().map(t -> t.uri()).toList());
        out.flush();
        p.notices(line -> {
            out.println(line);
            out.flush();
        });
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
        Progress progress = progressSeconds > 0 ? new Progress(p.stats(), out, progressSeconds, System.console() != null) : null;
        HeapWatch heap = new HeapWatch();
        try {
            p.run();
        } finally {
            heap.close();
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
        RunCommand.summary(p.stats(), factory.sourceConversions(), factory.valueIssues(), heap.peakBytes(), out);
        factory.sinkCounters().snapshot().forEach((name, n) -> out.println("  " + name + ": " + n));
        out.flush();
        if (pipeline.validateAfterLoad() && p.stats().isFullLoadDone()) {
            out.println("validate: after-load: comparing every target with the source ...");
            out.flush();
            io.dataflow.validate.ValidationReport report = new io.dataflow.validate.ValidationReport(
                    new io.dataflow.validate.Validator(pipeline, new io.dataflow.validate.Validator.Options(java.util.List.of(), 4, 20), line -> { }).run());
            out.print(report.text());
            out.flush();
            return report.equal() ? 0 : ErrorExits.FAILED;
        }
        return 0;
    }

    /** The source may be down when we start: retry connection failures (not permanent ones) with backoff. */
    private static Pipeline buildWithRetries(PipelineBuilder factory, int maxRetries) throws Exception {
        Retrier retrier = new Retrier(Backoff.standard(), maxRetries + 1, Retrier.realSleeper(),
                e -> e instanceof SourceException se ? se.failure() : Failure.permanent(Failure.messages(e)));
        return retrier.call("connecting to the source", () -> factory.build(maxRetries), (message, failure, cause) -> cause);
    }
}
