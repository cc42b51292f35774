package io.dataflow.runtime;

import io.dataflow.retry.Backoff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.ChangeSource;
import io.dataflow.api.Checkpoint;
import io.dataflow.api.Column;
import io.dataflow.api.LogicalType;
import io.dataflow.api.Op;
import io.dataflow.api.Sink;
import io.dataflow.api.SourceBatch;
import io.dataflow.api.SourceException;
import io.dataflow.api.SourcePositions;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.state.CheckpointStore;
import io.dataflow.storage.InMemoryObjectStore;
import io.dataflow.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The runtime's ordering and recovery rules, with a scripted source and a recording sink. */
class PipelineTest {
    static final TableSchema SCHEMA = new TableSchema(new TableId("s", "t"),
            List.of(new Column("id", LogicalType.of(LogicalType.Kind.INT64), false)), List.of("id"));

    final List<String> journal = Collections.synchronizedList(new ArrayList<>());
    final RecordingSink sink = new RecordingSink(journal);
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final CheckpointStore checkpoints = new CheckpointStore(store, "p");

    static ChangeEvent event(long n) {
        return new ChangeEvent(SCHEMA, Op.INSERT, new Object[] {n}, SourcePositions.change(n, n, 0), n, "tx" + n, false);
    }

    static SourceBatch batch(long... ns) {
        List<ChangeEvent> events = new ArrayList<>();
        for (long n : ns) {
            events.add(event(n));
        }
        return new SourceBatch(events, Map.of("lsn", ns[ns.length - 1]), true, "ack" + ns[ns.length - 1]);
    }

    Pipeline pipeline(Supplier<ChangeSource> sources, long flushRows, int maxFailures) {
        return new Pipeline(sources, List.of(sink), checkpoints, new FlushPolicy(Duration.ofHours(1), flushRows, Long.MAX_VALUE),
                new ManualClock(0), new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO, () -> 0), true, maxFailures);
    }

    @Test
    void flushesThenCheckpointsThenAcknowledges() throws Exception {
        ScriptedSource source = new ScriptedSource(journal, List.of(batch(1, 2), batch(3, 4), batch(5)), null, true);
        pipeline(() -> source, 4, 0).run();

        assertThat(journal).containsExactly("recover:", "start:", "write:2", "write:2", "flush:4", "ack:ack4", "write:1", "flush:1", "ack:ack5");
        Checkpoint cp = checkpoints.load();
        assertThat(cp.position()).isEqualTo(SourcePositions.change(5, 5, 0));
        assertThat(cp.sourceOffset()).containsEntry("lsn", 5L);
        assertThat(cp.fullLoadDone()).isTrue();
        assertThat(sink.durable).hasSize(5);
    }

    @Test
    void aCheckpointIsSavedBeforeTheSourceIsAcknowledged() throws Exception {
        ScriptedSource source = new ScriptedSource(journal, List.of(batch(1, 2)), null, true) {
            @Override
            public void acknowledge(SourceBatch upTo) {
                try {
                    assertThat(checkpoints.load().position()).isEqualTo(SourcePositions.change(2, 2, 0));
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
                super.acknowledge(upTo);
            }
        };
        pipeline(() -> source, 2, 0).run();
        assertThat(journal).contains("ack:ack2");
    }

    @Test
    void afterASourceFailureStagedChangesAreDroppedAndTheSourceResumesFromTheCheckpoint() throws Exception {
        AtomicInteger starts = new AtomicInteger();
        List<Checkpoint> startedFrom = new ArrayList<>();
        Supplier<ChangeSource> sources = () -> starts.incrementAndGet() == 1
                ? new ScriptedSource(journal, List.of(batch(1, 2), batch(3)), new RuntimeException("connection reset"), false, startedFrom)
                : new ScriptedSource(journal, List.of(batch(3), batch(4)), null, true, startedFrom);
        Pipeline p = pipeline(sources, 2, 3);
        p.run();

        assertThat(startedFrom).extracting(Checkpoint::position).containsExactly("", SourcePositions.change(2, 2, 0));
        assertThat(journal).containsSubsequence("flush:2", "ack:ack2", "write:1", "discard", "recover:" + SourcePositions.change(2, 2, 0));
        assertThat(sink.durable).extracting(e -> e.row()[0]).containsExactly(1L, 2L, 3L, 4L);
        assertThat(p.stats().restarts()).isEqualTo(1);
    }

    @Test
    void aStorageOutageDuringFlushRestartsFromTheCheckpointWithoutDuplicates() throws Exception {
        sink.failNextFlush = new java.io.IOException("connection refused");
        AtomicInteger starts = new AtomicInteger();
        Supplier<ChangeSource> sources = () -> starts.incrementAndGet() == 1
                ? new ScriptedSource(journal, List.of(batch(1, 2), batch(3, 4)), null, false)
                : new ScriptedSource(journal, List.of(batch(1, 2), batch(3, 4)), null, true);
        Pipeline p = pipeline(sources, 2, 3);
        p.run();
        assertThat(starts).hasValue(2);
        assertThat(sink.durable).extracting(e -> e.row()[0]).containsExactly(1L, 2L, 3L, 4L);
        assertThat(p.stats().restarts()).isEqualTo(1);
    }

    @Test
    void permanentStorageFailuresStopThePipeline() {
        sink.failNextFlush = new io.dataflow.api.StorageException("access denied (AccessDenied)", true, null);
        assertThatThrownBy(() -> pipeline(() -> new ScriptedSource(journal, List.of(batch(1, 2)), null, true), 2, 3).run())
                .isInstanceOf(PipelineException.class).hasMessageContaining("access denied");
    }

    @Test
    void permanentSourceFailuresAreNotRetried() {
        AtomicInteger starts = new AtomicInteger();
        Supplier<ChangeSource> sources = () -> {
            starts.incrementAndGet();
            return new ScriptedSource(journal, List.of(), new SourceException("permission denied for replication", true, null), false);
        };
        assertThatThrownBy(() -> pipeline(sources, 2, 5).run())
                .isInstanceOf(PipelineException.class).hasMessageContaining("permission denied");
        assertThat(starts).hasValue(1);
    }

    @Test
    void changesReplayedAfterARestartAreCountedOnce() throws Exception {
        AtomicInteger starts = new AtomicInteger();
        Supplier<ChangeSource> sources = () -> starts.incrementAndGet() == 1
                ? new ScriptedSource(journal, List.of(batch(1, 2), batch(3)), new RuntimeException("connection reset"), false)
                : new ScriptedSource(journal, List.of(batch(3), batch(4)), null, true);
        Pipeline p = pipeline(sources, 2, 3);
        p.run();
        assertThat(p.stats().totalChanges()).as("4 distinct changes, change 3 delivered twice").isEqualTo(4);
        assertThat(p.stats().replayed()).isEqualTo(1);
    }

    @Test
    void runningOutOfMemoryIsNotRetried() {
        AtomicInteger starts = new AtomicInteger();
        Supplier<ChangeSource> sources = () -> {
            starts.incrementAndGet();
            return new ScriptedSource(journal, List.of(), new RuntimeException("decoder failed", new OutOfMemoryError("Java heap space")), false);
        };
        assertThatThrownBy(() -> pipeline(sources, 2, 5).run())
                .isInstanceOf(PipelineException.class).hasMessageContaining("out of memory").hasMessageContaining("-Xmx");
        assertThat(starts).hasValue(1);
    }

    @Test
    void givesUpAfterTooManyFailuresInARow() {
        Supplier<ChangeSource> sources = () -> new ScriptedSource(journal, List.of(), new RuntimeException("down"), false);
        assertThatThrownBy(() -> pipeline(sources, 2, 2).run())
                .isInstanceOf(PipelineException.class).hasMessageContaining("failed 3 times in a row").hasMessageContaining("down");
    }

    @Test
    void recoversSinksBeforeTheFirstStart() throws Exception {
        checkpoints.save(new Checkpoint(SourcePositions.change(9, 9, 0), Map.of("lsn", 9L), true, 4));
        List<Checkpoint> startedFrom = new ArrayList<>();
        pipeline(() -> new ScriptedSource(journal, List.of(batch(10)), null, true, startedFrom), 1, 0).run();
        assertThat(journal.get(0)).isEqualTo("recover:" + SourcePositions.change(9, 9, 0));
        assertThat(startedFrom.get(0).sequence()).isEqualTo(4);
        assertThat(checkpoints.load().sequence()).isEqualTo(5);
    }

    /** Delivers its batches synchronously on start, then fails or ends the full load. */
    static class ScriptedSource implements ChangeSource {
        private final List<String> journal;
        private final List<SourceBatch> batches;
        private final Throwable failure;
        private final boolean endFullLoad;
        private final List<Checkpoint> startedFrom;

        ScriptedSource(List<String> journal, List<SourceBatch> batches, Throwable failure, boolean endFullLoad) {
            this(journal, batches, failure, endFullLoad, new ArrayList<>());
        }

        ScriptedSource(List<String> journal, List<SourceBatch> batches, Throwable failure, boolean endFullLoad, List<Checkpoint> startedFrom) {
            this.journal = journal;
            this.batches = batches;
            this.failure = failure;
            this.endFullLoad = endFullLoad;
            this.startedFrom = startedFrom;
        }

        @Override
        public void start(Checkpoint from, Listener listener) throws Exception {
            startedFrom.add(from);
            journal.add(from.isNone() ? "start:" : "start:" + from.sequence());
            for (SourceBatch b : batches) {
                listener.onBatch(b);
            }
            if (failure != null) {
                listener.onFailure(failure);
            } else if (endFullLoad) {
                listener.onFullLoadComplete();
            }
        }

        @Override
        public void acknowledge(SourceBatch upTo) {
            journal.add("ack:" + upTo.ackToken());
        }

        @Override
        public void close() {}
    }

    /** Stages in memory; "durable" on flush; recover drops durable events after the checkpoint. */
    static final class RecordingSink implements Sink {
        final List<String> journal;
        final List<ChangeEvent> staged = new ArrayList<>();
        final List<ChangeEvent> durable = new ArrayList<>();
        java.io.IOException failNextFlush;

        RecordingSink(List<String> journal) {
            this.journal = journal;
        }

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void recover(Checkpoint checkpoint) {
            journal.add("recover:" + checkpoint.position());
            durable.removeIf(e -> !checkpoint.covers(e.position()));
        }

        @Override
        public void write(List<ChangeEvent> events) {
            journal.add("write:" + events.size());
            staged.addAll(events);
        }

        @Override
        public FlushResult flush() throws java.io.IOException {
            if (failNextFlush != null) {
                java.io.IOException e = failNextFlush;
                failNextFlush = null;
                throw e;
            }
            journal.add("flush:" + staged.size());
            FlushResult r = new FlushResult(1, staged.size(), 0);
            durable.addAll(staged);
            staged.clear();
            return r;
        }

        @Override
        public void discard() {
            journal.add("discard");
            staged.clear();
        }

        @Override
        public long stagedBytes() {
            return 0;
        }

        @Override
        public void close() {}
    }
}
