package io.dataflow.connect;

import io.dataflow.api.ObjectStore;
import io.dataflow.config.ConfigException;
import io.dataflow.lake.processed.ProcessedTables;
import io.dataflow.lake.processed.SharedProcessedZone;
import io.dataflow.runtime.SinkCounters;
import io.dataflow.storage.ObjectStores;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the changes of its topic partitions to the raw zone (and the processed zone when {@code processed.enabled}),
 * one {@link PartitionWriter} per partition. The lake is
 * the record of what is durable: {@link #open} rewinds each partition to the offset its state gives (Connect's
 * committed offset may be behind it), and {@link #preCommit} reports only offsets whose files are published, so
 * Connect never commits past the lake. A failed write to the lake drops what the partition staged, rewinds it to
 * its durable offset and waits before reading again (1 s, doubling up to 30 s); what is durable stays.
 */
public final class LakeSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(LakeSinkTask.class);
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    private final LongSupplier clock;
    private LakeSinkSettings settings;
    private ObjectStore store;
    /** The processed zone's tables, when the connector writes them. */
    private SharedProcessedZone processed;
    private final Map<TopicPartition, PartitionWriter> writers = new HashMap<>();
    private long backoffMillis;

    public LakeSinkTask() {
        this(() -> System.nanoTime() / 1_000_000);
    }

    /** @param clock milliseconds of a monotonic clock (the flush interval's) */
    LakeSinkTask(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public String version() {
        return LakeSinkConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        try {
            settings = LakeSinkSettings.parse(props);
            store = ObjectStores.open(settings.target.uri(), settings.target.s3());
            if (settings.target.processed().enabled()) {
                processed = SharedProcessedZone.open(store, ProcessedTables.root(settings.target), settings.name, settings.target.processed(),
                        new SinkCounters());
            }
        } catch (ConfigException e) {
            throw new ConnectException(e.getMessage());
        } catch (IOException e) {
            throw new ConnectException("cannot open the lake " + settings.target.uri() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            try {
                PartitionWriter w = PartitionWriter.open(store, settings.name, settings.target, tp.topic(), tp.partition(), processed);
                writers.put(tp, w);
                if (w.durableOffset() >= 0) {
                    context.offset(tp, w.durableOffset());
                }
            } catch (IOException e) {
                throw new ConnectException(tp + ": cannot read the sink's state in the lake: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        Map<TopicPartition, List<SinkRecord>> byPartition = new LinkedHashMap<>();
        for (SinkRecord r : records) {
            byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.kafkaPartition()), k -> new ArrayList<>()).add(r);
        }
        long now = clock.getAsLong();
        for (Map.Entry<TopicPartition, PartitionWriter> e : writers.entrySet()) {
            List<SinkRecord> batch = byPartition.getOrDefault(e.getKey(), List.of());
            try {
                if (!batch.isEmpty()) {
                    e.getValue().put(batch, now);
                }
                e.getValue().flushIfDue(now);
            } catch (IOException failure) {
                rewind(e.getKey(), e.getValue(), failure);
                return;
            }
        }
        backoffMillis = 0;
        if (writers.values().stream().anyMatch(PartitionWriter::hasStaged)) {
            // the worker calls put after every poll, but an idle topic's poll waits until the next offset commit (60 s
            // by default): ask to be called again soon, so the staged files and commits are made when they are due
            context.timeout(STAGED_POLL_MILLIS);
        }
    }

    /** How long a poll waits for records while changes are staged. */
    static final long STAGED_POLL_MILLIS = 200;

    /** Drops what the partition staged and reads it again from its durable offset, after a pause. */
    private void rewind(TopicPartition tp, PartitionWriter w, IOException failure) {
        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis == 0 ? 1000 : backoffMillis * 2);
        LOG.warn("{}: writing to the lake failed ({}); reading again from offset {} in {} ms", tp, failure.getMessage(), w.durableOffset(),
                backoffMillis);
        for (Map.Entry<TopicPartition, PartitionWriter> e : writers.entrySet()) {
            e.getValue().discard();
            if (e.getValue().durableOffset() >= 0) {
                context.offset(e.getKey(), e.getValue().durableOffset());
            }
        }
        try {
            Thread.sleep(backoffMillis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        long now = clock.getAsLong();
        Map<TopicPartition, OffsetAndMetadata> durable = new HashMap<>();
        for (Map.Entry<TopicPartition, PartitionWriter> e : writers.entrySet()) {
            try {
                e.getValue().flushIfDue(now, false);
            } catch (IOException failure) {
                rewind(e.getKey(), e.getValue(), failure);
                break;
            }
        }
        for (Map.Entry<TopicPartition, PartitionWriter> e : writers.entrySet()) {
            if (e.getValue().durableOffset() >= 0) {
                durable.put(e.getKey(), new OffsetAndMetadata(e.getValue().durableOffset()));
            }
        }
        return durable;
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            PartitionWriter w = writers.remove(tp);
            if (w != null) {
                try {
                    w.close(); // what was staged is read again by the partition's next owner
                } catch (IOException e) {
                    LOG.warn("{}: closing its files failed: {}", tp, e.getMessage());
                }
            }
        }
    }

    @Override
    public void stop() {
        close(new ArrayList<>(writers.keySet()));
        if (processed != null) {
            processed.close();
        }
    }
}
