package io.dataflow.connect;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.ObjectStore;
import io.dataflow.config.TargetConfig;
import io.dataflow.lake.LakeSink;
import io.dataflow.lake.processed.SharedProcessedZone;
import io.dataflow.runtime.FlushPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw-zone files of one topic partition: its records' changes staged in their own {@link LakeSink} (so files of two
 * partitions, or two tasks, never mix) and published together by {@link #flush}, which moves the partition's {@link
 * PartitionState} past them: first the state names the files about to be published, then they are published, then
 * the state records the next offset. {@link #open} finishes what a crashed owner left: the files of an unfinished
 * flush are deleted and reading resumes at the last durable offset.
 *
 * <p>With the processed zone, the partition's changes are also staged for its Iceberg tables and committed every
 * {@code processed.commit-interval} at a flush, each table recording how far it has the partition; the state then
 * records the offset they all have. Reading resumes at the lower of the raw and processed offsets: records the raw zone
 * has are not written to it again, changes a table has are skipped by it.
 */
final class PartitionWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionWriter.class);
    private final ObjectStore store;
    private final String stateKey;
    private final String name;
    private final TargetConfig target;
    private final FlushPolicy policy;
    private LakeSink lake;
    private EnvelopeReader reader = new EnvelopeReader();
    /** The partition's writer of the processed zone; null without one. */
    private final SharedProcessedZone.Writer processed;
    private final long commitIntervalMillis;
    private long lastCommitMillis = Long.MIN_VALUE;
    /** The offset after the last record staged for the processed zone (or committed). */
    private long processedNext;
    private PartitionState durable;
    /** False after a failure until the files of the failed flush are removed (the store may be failing still). */
    private boolean clean = true;
    /** The offset after the last record staged (or durable). */
    private long next;
    /** The position of the last change staged (or durable). */
    private String last;

    private PartitionWriter(ObjectStore store, String stateKey, String name, TargetConfig target, PartitionState durable,
            SharedProcessedZone.Writer processed) {
        this.store = store;
        this.stateKey = stateKey;
        this.name = name;
        this.target = target;
        this.processed = processed;
        this.commitIntervalMillis = target.processed().commitInterval().toMillis();
        this.policy = new FlushPolicy(target.flush().interval(), target.flush().rows(), target.flush().bytes());
        this.lake = new LakeSink(store, name, target.compression());
        resumeFrom(durable);
    }

    /** Takes over a partition: removes the files of a flush its previous owner did not finish. */
    static PartitionWriter open(ObjectStore store, String name, TargetConfig target, String topic, int partition) throws IOException {
        return open(store, name, target, topic, partition, null);
    }

    /** As {@link #open(ObjectStore, String, TargetConfig, String, int)}, writing the processed zone too when {@code zone} is set. */
    static PartitionWriter open(ObjectStore store, String name, TargetConfig target, String topic, int partition, SharedProcessedZone zone)
            throws IOException {
        String key = PartitionState.key(name, topic, partition);
        SharedProcessedZone.Writer processed = zone == null ? null : zone.writer(topic + "/" + partition, partition == 0);
        return new PartitionWriter(store, key, name, target, recover(store, key), processed);
    }

    /** Staged nothing; goes on from what {@code state} says is durable. */
    private void resumeFrom(PartitionState state) {
        // a processed zone turned on after the raw zone was written starts from the partition's first offset
        durable = processed != null && state.processed() < 0 ? new PartitionState(state.next(), state.last(), state.publishing(), 0) : state;
        next = durable.next();
        last = durable.last();
        processedNext = durable.processed();
    }

    /** The partition's durable state, after deleting the files of an unfinished flush (published or not). */
    private static PartitionState recover(ObjectStore store, String key) throws IOException {
        PartitionState state = PartitionState.read(store, key);
        if (!state.publishing().isEmpty()) {
            for (String file : state.publishing()) {
                store.delete(file);
            }
            LOG.info("{}: removed {} files of an unfinished flush; reading again from offset {}", key, state.publishing().size(),
                    state.next());
            state = state.publishing(List.of());
            state.write(store, key);
        }
        return state;
    }

    /**
     * The offset to read from: the first one not durable in the lake (raw zone, and processed zone when there is one);
     * -1 when the lake holds nothing of the partition.
     */
    long durableOffset() {
        return processed == null || durable.next() < 0 ? durable.next() : Math.min(durable.next(), durable.processed());
    }

    /**
     * Stages the changes of records in offset order. Skipped: records already durable (Connect delivering again from
     * its committed offset) and changes at or before the last position (a source connector sending again).
     */
    void put(List<SinkRecord> records, long nowMillis) throws IOException {
        if (!clean) {
            resumeFrom(recover(store, stateKey));
            clean = true;
        }
        List<ChangeEvent> events = new ArrayList<>(records.size());
        int seen = 0;
        for (SinkRecord r : records) {
            long offset = r.kafkaOffset();
            boolean toRaw = offset >= next;
            boolean toProcessed = processed != null && offset >= processedNext;
            if (!toRaw && !toProcessed) {
                continue;
            }
            ChangeEvent e = reader.read(r);
            if (toRaw) {
                if (e != null && e.position().compareTo(last) > 0) {
                    events.add(e);
                    last = e.position();
                }
                next = offset + 1;
                seen++;
            }
            if (toProcessed) {
                if (e != null) {
                    processed.stage(e, offset);
                }
                processedNext = offset + 1;
            }
        }
        if (seen > 0) {
            lake.write(events);
            policy.staged(events.size(), nowMillis);
        }
    }

    /** Flushes when the flush settings (or the processed zone's commit interval) say so; true when it did. */
    boolean flushIfDue(long nowMillis) throws IOException {
        return flushIfDue(nowMillis, true);
    }

    /**
     * As {@link #flushIfDue(long)}; without {@code mayCommit}, the raw zone only (Connect's offset commit, which times
     * out after a few seconds, does not wait for Iceberg commits; they are made in {@code put}).
     */
    boolean flushIfDue(long nowMillis, boolean mayCommit) throws IOException {
        if (lastCommitMillis == Long.MIN_VALUE) {
            lastCommitMillis = nowMillis;
        }
        boolean commit = mayCommit && processed != null && processedNext > durable.processed()
                && (nowMillis - lastCommitMillis >= commitIntervalMillis || processed.stagedBytes() > MAX_PROCESSED_STAGED);
        if (commit || policy.due(nowMillis, lake.stagedBytes() + (processed == null ? 0 : processed.stagedBytes())).isPresent()) {
            flush(commit, nowMillis);
            return true;
        }
        return false;
    }

    /** Whether records were taken that are not yet durable in the raw zone or committed to the processed zone. */
    boolean hasStaged() {
        return next > durable.next() || (processed != null && processedNext > durable.processed());
    }

    /** Staged processed-zone changes beyond this many bytes are committed at once, whatever the interval. */
    static final long MAX_PROCESSED_STAGED = 128L << 20;

    /** Publishes every staged file and commits the processed zone's staged changes; moves the durable offsets past them. */
    void flush() throws IOException {
        flush(true, lastCommitMillis == Long.MIN_VALUE ? 0 : lastCommitMillis);
    }

    private void flush(boolean commit, long nowMillis) throws IOException {
        boolean raw = next > durable.next();
        commit = commit && processed != null && processedNext > durable.processed();
        if (!raw && !commit) {
            return;
        }
        List<String> files = raw ? lake.stagedFiles() : List.of();
        if (!files.isEmpty()) {
            durable.publishing(files).write(store, stateKey);
        }
        if (raw) {
            lake.flush();
        }
        if (commit) {
            processed.commit(processedNext);
            lastCommitMillis = nowMillis;
        }
        PartitionState done = new PartitionState(next, last, List.of(), commit ? processedNext : durable.processed());
        done.write(store, stateKey);
        durable = done;
        if (raw) {
            policy.flushed();
        }
        if (commit) {
            processed.maintainIfDue(nowMillis);
        }
    }

    /**
     * Forgets what is staged (after a failure): it will be read again from the durable offset, once the files of a
     * flush the failure cut short are removed (before the next put).
     */
    void discard() {
        try {
            lake.close();
        } catch (IOException ignored) {
            // the files being written are abandoned either way
        }
        lake = new LakeSink(store, name, target.compression());
        reader = new EnvelopeReader();
        if (processed != null) {
            processed.discard();
        }
        resumeFrom(durable);
        policy.flushed();
        clean = false;
    }

    @Override
    public void close() throws IOException {
        lake.close();
    }
}
