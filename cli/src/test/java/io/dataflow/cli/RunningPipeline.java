package io.dataflow.cli;

import io.dataflow.config.PipelineConfig;
import io.dataflow.config.PipelineConfigReader;
import io.dataflow.runtime.PipelineStats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/** A pipeline running in this JVM on its own thread, for integration tests. */
final class RunningPipeline implements AutoCloseable {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicReference<PipelineStats> stats = new AtomicReference<>();
    private final AtomicReference<Object> result = new AtomicReference<>();
    private final StringWriter output = new StringWriter();
    private final Thread thread;

    RunningPipeline(String yaml, Map<String, String> tuning) {
        this(yaml, tuning, io.dataflow.cli.ops.Operations.NONE);
    }

    RunningPipeline(String yaml, Map<String, String> tuning, io.dataflow.cli.ops.Operations ops) {
        PipelineConfig config = new PipelineConfigReader(k -> null).parse(yaml, Path.of("."));
        thread = new Thread(() -> {
            try {
                result.set(PipelineRunner.run(config, tuning, new PrintWriter(output, true), 0, 5, stop, stats::set, ops));
            } catch (Throwable e) {
                result.set(e);
            }
        }, "test-pipeline");
        thread.start();
    }

    PipelineStats stats() {
        await(Duration.ofSeconds(60), () -> stats.get() != null || result.get() != null, "pipeline start");
        if (stats.get() == null) {
            throw new AssertionError("pipeline ended before starting: " + result.get(), result.get() instanceof Throwable t ? t : null);
        }
        return stats.get();
    }

    void awaitFullLoad() {
        PipelineStats s = stats();
        await(Duration.ofSeconds(120), () -> s.isFullLoadDone() || result.get() != null, "full load");
        assertRunning();
    }

    void assertRunning() {
        if (result.get() != null) {
            throw new AssertionError("pipeline ended: " + result.get() + "\n" + output, result.get() instanceof Throwable t ? t : null);
        }
    }

    /** Stops the pipeline (as SIGTERM would) and returns its exit code. */
    int stop() throws InterruptedException {
        stop.countDown();
        thread.join(60_000);
        Object r = result.get();
        if (r instanceof Throwable t) {
            throw new AssertionError("pipeline failed: " + t + "\n" + output, t);
        }
        return (Integer) r;
    }

    /** Waits for the pipeline to end by itself (mode full-load). */
    int join(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        Object r = result.get();
        if (r instanceof Throwable t) {
            throw new AssertionError("pipeline failed: " + t + "\n" + output, t);
        }
        if (r == null) {
            throw new AssertionError("pipeline still running after " + timeout);
        }
        return (Integer) r;
    }

    String output() {
        return output.toString();
    }

    static void await(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive()) {
            stop.countDown();
            thread.join(60_000);
        }
    }
}
