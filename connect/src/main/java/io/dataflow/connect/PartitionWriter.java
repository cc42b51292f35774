package io.dataflow.connect;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.ObjectStore;
import io.dataflow.config.TargetConfig;
import io.dataflow.lake.LakeSink;
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
    private PartitionState durable;
    /** False after a failure until the files of the failed flush are removed (the store may be failing still). */
    private boolean clean = true;
    /** The offset after the last record staged (or durable). */
    private long next;
    /** The position of the last change staged (or durable). */
    private String last;

    private PartitionWriter(ObjectStore store, String stateKey, String name, TargetConfig target, PartitionState durable) {
        this.store = store;
        this.stateKey = stateKey;
        this.name = name;
        this.target = target;
        this.durable = durable;
        this.next = durable.next();
        this.last = durable.last();
        this.policy = new FlushPolicy(target.flush().interval(), target.flush().rows(), target.flush().bytes());
        this.lake = new LakeSink(store, name, target.compression());
    }

    /** Takes over a partition: removes the files of a flush its previous owner did not finish. */
    static PartitionWriter open(ObjectStore store, String name, TargetConfig target, String topic, int partition) throws IOException {
        String key = PartitionState.key(name, topic, partition);
        return new PartitionWriter(store, key, name, target, recover(store, key));
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
            state = new PartitionState(state.next(), state.last(), List.of());
            state.write(store, key);
        }
        return state;
    }

    /** The offset to read from: the first one not durable in the lake; -1 when the lake holds nothing of the partition. */
    long durableOffset() {
        return durable.next();
    }

    /**
     * Stages the changes of records in offset order. Skipped: records already durable (Connect delivering again from
     * its committed offset) and changes at or before the last position (a source connector sending again).
     */
    void put(List<SinkRecord> records, long nowMillis) throws IOException {
        if (!clean) {
            durable = recover(store, stateKey);
            next = durable.next();
            last = durable.last();
            clean = true;
        }
        List<ChangeEvent> events = new ArrayList<>(records.size());
        int seen = 0;
        for (SinkRecord r : records) {
            if (r.kafkaOffset() < next) {
                continue;
            }
            ChangeEvent e = reader.read(r);
            if (e != null && e.position().compareTo(last) > 0) {
                events.add(e);
                last = e.position();
            }
            next = r.kafkaOffset() + 1;
            seen++;
        }
        if (seen > 0) {
            lake.write(events);
            policy.staged(events.size(), nowMillis);
        }
    }

    /** Flushes when the flush settings say so; true when files were published. */
    boolean flushIfDue(long nowMillis) throws IOException {
        if (policy.due(nowMillis, lake.stagedBytes()).isPresent()) {
            flush();
            return true;
        }
        return false;
    }

    /** Publishes every staged file and moves the durable offset past them. */
    void flush() throws IOException {
        if (next <= durable.next()) {
            return;
        }
        List<String> files = lake.stagedFiles();
        if (!files.isEmpty()) {
            new PartitionState(durable.next(), durable.last(), files).write(store, stateKey);
        }
        lake.flush();
        PartitionState done = new PartitionState(next, last, List.of());
        done.write(store, stateKey);
        durable = done;
        policy.flushed();
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
        next = durable.next();
        last = durable.last();
        policy.flushed();
        clean = false;
    }

    @Override
    public void close() throws IOException {
        lake.close();
    }
}
