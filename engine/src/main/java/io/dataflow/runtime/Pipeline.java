package io.dataflow.runtime;

import io.dataflow.retry.Backoff;
import io.dataflow.api.ChangeEvent;
import io.dataflow.api.ChangeSource;
import io.dataflow.api.Checkpoint;
import io.dataflow.api.Failure;
import io.dataflow.api.FullLoader;
import io.dataflow.api.Sink;
import io.dataflow.api.SourceBatch;
import io.dataflow.state.CheckpointStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pipeline: source batches are written to every sink; when a {@link FlushPolicy} trigger fires,
 * every sink flushes, then the checkpoint is saved, then the source is acknowledged. On start (and after a
 * source failure) sinks remove what was written after the last checkpoint and the source resumes from it,
 * so nothing is lost and nothing is duplicated.
 *
 * <p>One thread runs {@link #run()}; {@link #stop()} may be called from any thread (a signal handler) and
 * makes {@code run()} flush, checkpoint and return.
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final int QUEUE_BATCHES = 16;

    private final Supplier<ChangeSource> sources;
    private final FullLoadPlan plan;
    private final List<Sink> sinks;
    private final CheckpointStore checkpoints;
    private final FlushPolicy policy;
    private final Clock clock;
    private final Backoff backoff;
    private final boolean stopAfterFullLoad;
    private final int maxConsecutiveFailures;
    private final PipelineStats stats = new PipelineStats();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile ChangeSource current;
    /** The last checkpoint saved (or loaded): where a restart resumes. Read by other threads ({@link #lastCheckpoint}). */
    private volatile Checkpoint latest = Checkpoint.NONE;
    private Consumer<String> notices = LOG::info;
    /** The parallel full load of this run, when the plan has one and it is not done yet. */
    private ParallelLoad parallel;

    /** Messages from the source thread to the pipeline thread. */
    private sealed interface Signal permits BatchSignal, FullLoadEnd, SourceFailed {}

    private record BatchSignal(SourceBatch batch) implements Signal {}

    private record FullLoadEnd() implements Signal {}

    private record SourceFailed(Throwable error) implements Signal {}

    /** Why the change source restarts at the next flush, on request (not a failure); null when it does not. */
    private volatile String sourceRestart;

    /** Ends a change source on purpose: flushed and checkpointed first, then started again from the checkpoint. */
    private static final class SourceRestart extends Exception {
        SourceRestart(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Restarts the change source once everything staged is durable, without counting a failure: a new source then
     * starts from the checkpoint (and may capture more tables). Ignored before the full load is done.
     */
    public void restartSource(String reason) {
        sourceRestart = reason;
    }

    public Pipeline(Supplier<ChangeSource> sources, List<Sink> sinks, CheckpointStore checkpoints, FlushPolicy policy,
            Clock clock, Backoff backoff, boolean stopAfterFullLoad, int maxConsecutiveFailures) {
        this(sources, FullLoadPlan.SOURCE_SNAPSHOT, sinks, checkpoints, policy, clock, backoff, stopAfterFullLoad, maxConsecutiveFailures);
    }

    /**
     * @param plan                   how the full load runs: a parallel loader is run here, before or beside the stream
     * @param stopAfterFullLoad      mode full-load: return once the full load is checkpointed
     * @param maxConsecutiveFailures source restarts without progress before {@link #run()} gives up
     */
    public Pipeline(Supplier<ChangeSource> sources, FullLoadPlan plan, List<Sink> sinks, CheckpointStore checkpoints,
            FlushPolicy policy, Clock clock, Backoff backoff, boolean stopAfterFullLoad, int maxConsecutiveFailures) {
        this.sources = sources;
        this.plan = plan;
        this.sinks = List.copyOf(sinks);
        this.checkpoints = checkpoints;
        this.policy = policy;
        this.clock = clock;
        this.backoff = backoff;
        this.stopAfterFullLoad = stopAfterFullLoad;
        this.maxConsecutiveFailures = maxConsecutiveFailures;
    }

    public PipelineStats stats() {
        return stats;
    }

    /** The last checkpoint this run saved or started from ({@link Checkpoint#NONE} before it loaded one); any thread. */
    public Checkpoint lastCheckpoint() {
        return latest;
    }

    /** Where one-line notices for the operator go ("full load done: ..."); the log by default. */
    public Pipeline notices(Consumer<String> notices) {
        this.notices = notices;
        return this;
    }

    /** Asks {@link #run()} to flush, checkpoint and return. */
    public void stop() {
        stopRequested.countDown();
    }

    /**
     * Runs until the full load ends (when asked to stop there), until {@link #stop()}, or until the source
     * fails more than the allowed number of times in a row.
     *
     * @throws PipelineException when the source cannot be (re)started or keeps failing, or a sink or the
     *     checkpoint store fails
     */
    public void run() throws PipelineException, InterruptedException {
        try {
            runPhases();
        } catch (PipelineException | RuntimeException e) {
            stats.event(clock.millis(), "ERROR", e.getMessage() == null ? e.toString() : e.getMessage());
            throw e;
        } finally {
            stats.phase(PipelineStats.Phase.STOPPED, clock.millis());
        }
    }

    private void runPhases() throws PipelineException, InterruptedException {
        Checkpoint checkpoint = load();
        latest = checkpoint;
        if (checkpoint.fullLoadDone()) {
            stats.fullLoadDone(clock.millis());
        }
        stats.phase(checkpoint.fullLoadDone() || plan.kind() == FullLoadPlan.Kind.NONE ? PipelineStats.Phase.STREAMING
                : PipelineStats.Phase.FULL_LOAD, clock.millis());
        parallel = plan.loader() == null ? null : new ParallelLoad(plan.loader(), sinks, stats, notices);
        if (plan.loaderAt(FullLoader.Timing.BEFORE_STREAM).isPresent()) {
            if (!checkpoint.fullLoadDone()) {
                try {
                    checkpoint = loadBeforeStream(checkpoint);
                } catch (PipelineException e) {
                    String note = parallel.afterFailure(!stopAfterFullLoad);
                    throw note.isEmpty() ? e : new PipelineException(e.getMessage() + "; " + note, e.getCause());
                }
            }
            stats.fullLoadDone(clock.millis());
            stats.phase(PipelineStats.Phase.STREAMING, clock.millis());
            parallel.afterLoad(!stopAfterFullLoad);
            if (stopAfterFullLoad) {
                return;
            }
        }
        Thread beside = !checkpoint.fullLoadDone() && plan.loaderAt(FullLoader.Timing.WHILE_STREAMING).isPresent()
                ? parallel.startBesideStream(this::streaming, this::stop) : null;
        try {
            stream(checkpoint);
        } finally {
            if (beside != null) {
                beside.interrupt();
            }
        }
        Throwable failed = parallel == null ? null : parallel.failure();
        if (failed != null) {
            throw new PipelineException("the full load failed: " + (Failure.isOutOfMemory(failed) ? Failure.outOfMemory(failed)
                    : Failure.describe(failed)), failed);
        }
    }

    /**
     * A full load before any change streams: the loader reads its snapshot, then the checkpoint records the load as
     * done together with the offset the stream starts from; then the sinks finish the load (indexes, ...).
     */
    private Checkpoint loadBeforeStream(Checkpoint from) throws PipelineException, InterruptedException {
        Map<String, Object> offset = parallel.runBeforeStream();
        Checkpoint done = new Checkpoint("", offset, true, from.sequence() + 1);
        save(done);
        latest = done;
        finishSinks();
        return done;
    }

    private boolean streaming() {
        ChangeSource s = current;
        return s != null && s.streaming();
    }

    /** The change stream, restarted from the last checkpoint after failures. */
    private void stream(Checkpoint from) throws PipelineException, InterruptedException {
        Checkpoint checkpoint = from;
        int failures = 0;
        while (stopRequested.getCount() > 0) {
            BlockingQueue<Signal> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
            ChangeSource source = sources.get();
            current = source;
            latest = checkpoint;
            stats.phase(checkpoint.fullLoadDone() || plan.kind() == FullLoadPlan.Kind.NONE || (parallel != null && parallel.done())
                    ? PipelineStats.Phase.STREAMING : PipelineStats.Phase.FULL_LOAD, clock.millis());
            Outcome outcome;
            if (plan.inSource() && !checkpoint.fullLoadDone()) {
                stats.restartFullLoad(); // the source's snapshot starts over, and the sinks dropped what it wrote
            }
            try {
                recover(checkpoint);
                source.start(checkpoint, listener(queue));
                outcome = consume(source, queue, checkpoint);
            } catch (PipelineException e) {
                if (!e.retryable()) {
                    source.close();
                    throw e;
                }
                outcome = new Outcome(e, latest);
            } catch (Exception e) {
                outcome = new Outcome(e, latest);
            }
            source.close();
            current = null;
            if (outcome.checkpoint().sequence() > checkpoint.sequence()) {
                failures = 0;
            }
            checkpoint = outcome.checkpoint();
            if (outcome.error() == null) {
                return;
            }
            if (outcome.error() instanceof SourceRestart r) {
                LOG.info("restarting the change source from checkpoint {}: {}", checkpoint.sequence(), r.getMessage());
                stats.event(clock.millis(), "INFO", "change source restarted: " + r.getMessage());
                continue;
            }
            discard();
            Failure failure = Failure.classify(outcome.error());
            if (failure.isPermanent()) {
                throw new PipelineException(outcome.error() instanceof Failure.Classified ? outcome.error().getMessage()
                        : failure.reason(), outcome.error());
            }
            failures++;
            if (failures > maxConsecutiveFailures) {
                throw new PipelineException("the pipeline failed " + failures + " times in a row; last error: "
                        + Failure.describe(outcome.error()), outcome.error());
            }
            Duration wait = backoff.delay(failures - 1);
            stats.countRestart(cause(outcome.error()));
            stats.phase(PipelineStats.Phase.RETRYING, clock.millis());
            stats.event(clock.millis(), "WARN", "pipeline failed (" + Failure.describe(outcome.error()) + "); resuming from checkpoint "
                    + checkpoint.sequence() + " in " + wait.toMillis() + " ms (attempt " + failures + " of " + maxConsecutiveFailures + ")");
            LOG.warn("pipeline failed ({}); resuming from checkpoint {} in {} ms (attempt {} of {})",
                    Failure.describe(outcome.error()), checkpoint.sequence(), wait.toMillis(), failures, maxConsecutiveFailures);
            if (stopRequested.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    /** What failed, in one word for the restart counters: the source, or a target (a sink or the checkpoint store). */
    static String cause(Throwable error) {
        if (Failure.isOutOfMemory(error)) {
            return "out-of-memory";
        }
        return error instanceof PipelineException && error.getCause() instanceof IOException ? "target" : "source";
    }

    private record Outcome(Throwable error, Checkpoint checkpoint) {}

    private ChangeSource.Listener listener(BlockingQueue<Signal> queue) {
        return new ChangeSource.Listener() {
            @Override
            public void onBatch(SourceBatch batch) throws InterruptedException {
                queue.put(new BatchSignal(batch));
            }

            @Override
            public void onFullLoadComplete() {
                putQuietly(queue, new FullLoadEnd());
            }

            @Override
            public void onFailure(Throwable error) {
                putQuietly(queue, new SourceFailed(error));
            }
        };
    }

    private static void putQuietly(BlockingQueue<Signal> queue, Signal s) {
        try {
            queue.put(s);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Outcome consume(ChangeSource source, BlockingQueue<Signal> queue, Checkpoint from)
            throws PipelineException, InterruptedException {
        Checkpoint checkpoint = from;
        SourceBatch last = null;
        boolean fullLoadDone = from.fullLoadDone();
        String position = from.position();
        while (true) {
            long now = clock.millis();
            long wait = Math.min(100, policy.millisUntilDue(now));
            Signal s = queue.poll(wait, TimeUnit.MILLISECONDS);
            if (s instanceof BatchSignal b) {
                SourceBatch batch = b.batch();
                write(batch.events());
                for (ChangeEvent e : batch.events()) {
                    stats.countEvent(e.table(), e.fullLoad(), e.commitTimeMicros());
                    position = e.position();
                }
                fullLoadDone |= batch.fullLoadDone();
                last = batch;
                policy.staged(batch.events().size(), clock.millis());
            } else if (s instanceof SourceFailed f) {
                return new Outcome(f.error(), checkpoint);
            } else if (s == null && last == null && fullLoadDone && source.streaming()) {
                stats.caughtUp(); // nothing arrived, nothing waits to be durable: no lag
            }
            if (s instanceof FullLoadEnd || (parallel != null && parallel.done() && !fullLoadDone)) {
                fullLoadDone = true;
                stats.fullLoadDone(clock.millis());
                stats.phase(PipelineStats.Phase.STREAMING, clock.millis());
                checkpoint = flush(FlushTrigger.FULL_LOAD_END, source, last, position, true, checkpoint);
                last = null;
                finishSinks();
                if (stopAfterFullLoad) {
                    return new Outcome(null, checkpoint);
                }
            }
            if (stopRequested.getCount() == 0) {
                checkpoint = flush(FlushTrigger.SHUTDOWN, source, last, position, fullLoadDone, checkpoint);
                return new Outcome(null, checkpoint);
            }
            String restart = sourceRestart;
            if (restart != null && fullLoadDone) {
                sourceRestart = null;
                checkpoint = flush(FlushTrigger.SOURCE_RESTART, source, last, position, true, checkpoint);
                return new Outcome(new SourceRestart(restart), checkpoint);
            }
            Optional<FlushTrigger> trigger = policy.due(clock.millis(), stagedBytes());
            if (trigger.isPresent()) {
                checkpoint = flush(trigger.get(), source, last, position, fullLoadDone, checkpoint);
                last = null;
            }
            tick(clock.millis());
        }
    }

    private Checkpoint flush(FlushTrigger trigger, ChangeSource source, SourceBatch last, String position,
            boolean fullLoadDone, Checkpoint previous) throws PipelineException, InterruptedException {
        if (last == null && fullLoadDone == previous.fullLoadDone()) {
            policy.flushed();
            return previous;
        }
        Sink.FlushResult total = Sink.FlushResult.EMPTY;
        for (Sink sink : sinks) {
            try {
                total = total.plus(sink.flush());
            } catch (IOException e) {
                throw PipelineException.ofStorage("sink '" + sink.name() + "' could not write: " + Failure.describe(e), e);
            }
        }
        Checkpoint next = new Checkpoint(position, last == null ? previous.sourceOffset() : last.offset(), fullLoadDone,
                previous.sequence() + 1);
        save(next);
        latest = next;
        stats.countCheckpoint(clock.millis()); // what was staged is durable now: a restart will not replay it
        stats.countFlush(trigger, total.files(), total.bytes());
        if (last != null) {
            for (int i = last.events().size() - 1; i >= 0; i--) {
                ChangeEvent e = last.events().get(i);
                if (!e.fullLoad()) {
                    stats.lag(clock.millis() - e.commitTimeMicros() / 1000);
                    break;
                }
            }
            source.acknowledge(last);
        }
        policy.flushed();
        LOG.debug("flushed ({}): {} files, {} rows, checkpoint {} at {}", trigger, total.files(), total.rows(),
                next.sequence(), position);
        return next;
    }

    /** The only place a checkpoint is written. */
    private void save(Checkpoint next) throws PipelineException {
        try {
            checkpoints.save(next);
        } catch (IOException e) {
            throw PipelineException.ofStorage("could not save the checkpoint at " + checkpoints.key() + ": " + Failure.describe(e), e);
        }
    }

    /** The full load is checkpointed: every sink finishes it (a database target creates indexes and foreign keys). */
    private void finishSinks() throws PipelineException {
        for (Sink sink : sinks) {
            try {
                sink.fullLoadComplete();
            } catch (IOException e) {
                throw PipelineException.ofStorage("sink '" + sink.name() + "' could not finish the full load: " + Failure.describe(e), e);
            }
        }
    }

    private void tick(long now) throws PipelineException {
        for (Sink sink : sinks) {
            try {
                sink.tick(now);
            } catch (IOException e) {
                throw PipelineException.ofStorage("sink '" + sink.name() + "' could not write: " + Failure.describe(e), e);
            }
        }
    }

    private long stagedBytes() {
        long n = 0;
        for (Sink s : sinks) {
            n += s.stagedBytes();
        }
        return n;
    }

    private void write(List<ChangeEvent> events) throws PipelineException {
        if (events.isEmpty()) {
            return;
        }
        for (Sink sink : sinks) {
            try {
                sink.write(events);
            } catch (IOException e) {
                throw PipelineException.ofStorage("sink '" + sink.name() + "' could not stage changes: " + Failure.describe(e), e);
            }
        }
    }

    private Checkpoint load() throws PipelineException {
        try {
            return checkpoints.load();
        } catch (IOException e) {
            throw new PipelineException(e.getMessage(), e);
        }
    }

    private void recover(Checkpoint checkpoint) throws PipelineException {
        for (Sink sink : sinks) {
            try {
                sink.recover(checkpoint);
            } catch (IOException e) {
                throw PipelineException.ofStorage("sink '" + sink.name() + "' could not remove output written after the last "
                        + "checkpoint: " + Failure.describe(e), e);
            }
        }
    }

    private void discard() throws PipelineException {
        policy.flushed();
        stats.dropStaged(); // the source replays these from the checkpoint
        List<String> failed = new ArrayList<>();
        for (Sink sink : sinks) {
            try {
                sink.discard();
            } catch (IOException e) {
                failed.add(sink.name() + ": " + Failure.describe(e));
            }
        }
        if (!failed.isEmpty()) {
            throw new PipelineException("could not discard staged changes: " + String.join("; ", failed), null);
        }
    }
}
