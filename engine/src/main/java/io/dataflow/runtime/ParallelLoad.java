package io.dataflow.runtime;

import io.dataflow.api.Failure;
import io.dataflow.api.FullLoader;
import io.dataflow.api.Sink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs a pipeline's {@link FullLoader} into the sinks' bulk outputs, before the change stream or beside it, and
 * reports its end; the {@link Pipeline} records that end in the checkpoint.
 */
final class ParallelLoad {
    private final FullLoader loader;
    private final List<Sink> sinks;
    private final PipelineStats stats;
    private final Consumer<String> notices;
    /** Set by the loader thread of a load beside the stream, read by the pipeline thread. */
    private volatile boolean done;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    ParallelLoad(FullLoader loader, List<Sink> sinks, PipelineStats stats, Consumer<String> notices) {
        this.loader = loader;
        this.sinks = sinks;
        this.stats = stats;
        this.notices = notices;
    }

    /** Loads before any change streams; returns the offset the stream starts from. */
    Map<String, Object> runBeforeStream() throws PipelineException, InterruptedException {
        long started = System.nanoTime();
        try {
            Map<String, Object> offset = loader.load(outputs(), stats::addFullLoadChunk);
            announce(started);
            return offset;
        } catch (InterruptedException | PipelineException e) {
            throw e;
        } catch (Exception | OutOfMemoryError e) {
            throw new PipelineException(Failure.isOutOfMemory(e) ? "the full load ran " + Failure.outOfMemory(e) : Failure.describe(e), e);
        }
    }

    /**
     * Starts the load on its own thread once {@code streaming} says the change stream reads from a fixed position (so
     * every change made after a chunk was read also arrives). On failure it calls {@code stop}; see {@link #failure()}.
     */
    Thread startBesideStream(BooleanSupplier streaming, Runnable stop) {
        List<Sink.BulkLoad> outputs;
        try {
            outputs = outputs();
        } catch (PipelineException e) {
            failure.set(e);
            stop.run();
            return null;
        }
        Thread t = new Thread(() -> {
            try {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                while (!streaming.getAsBoolean()) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("the change stream did not start within 10 minutes; the full load cannot start");
                    }
                    Thread.sleep(100);
                }
                long started = System.nanoTime();
                loader.load(outputs, stats::addFullLoadChunk);
                announce(started);
                done = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception | OutOfMemoryError e) {
                failure.set(e);
                stop.run();
            }
        }, "dataflow-full-load");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** True once a load beside the stream has written every chunk. */
    boolean done() {
        return done;
    }

    /** Why a load beside the stream failed, or null. */
    Throwable failure() {
        return failure.get();
    }

    /** The load failed: the loader releases what only it needed; returns what the user should know, or "". */
    String afterFailure(boolean streaming) {
        try {
            return loader.afterFailure(streaming);
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** The load is checkpointed as done; {@code streaming}: the pipeline goes on streaming. */
    void afterLoad(boolean streaming) throws PipelineException {
        try {
            loader.afterLoad(streaming);
        } catch (Exception e) {
            throw new PipelineException("after the full load: " + Failure.describe(e), e);
        }
    }

    private void announce(long startedNanos) {
        notices.accept(String.format(Locale.ROOT, "full load done: %,d rows in %.1f s", stats.totalFullLoadRows(),
                (System.nanoTime() - startedNanos) / 1e9));
    }

    private List<Sink.BulkLoad> outputs() throws PipelineException {
        List<Sink.BulkLoad> outputs = new ArrayList<>();
        for (Sink sink : sinks) {
            outputs.add(sink.bulkLoad().orElseThrow(() ->
                    new PipelineException("sink '" + sink.name() + "' cannot take a parallel full load", null)));
        }
        return outputs;
    }
}
