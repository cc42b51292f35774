package io.dataflow.lake;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.Checkpoint;
import io.dataflow.api.LoadBatch;
import io.dataflow.api.Sink;
import io.dataflow.api.TableSchema;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A lake with both zones: every call goes to the raw zone first, then to the processed zone, which is derived from
 * the raw zone (its recovery replays raw-zone files, so the raw zone recovers first).
 */
public final class LakeZones implements Sink {
    private final Sink raw;
    private final Sink processed;

    public LakeZones(Sink raw, Sink processed) {
        this.raw = raw;
        this.processed = processed;
    }

    @Override
    public String name() {
        return raw.name() + " + " + processed.name();
    }

    @Override
    public void recover(Checkpoint checkpoint) throws IOException {
        raw.recover(checkpoint);
        processed.recover(checkpoint);
    }

    @Override
    public void write(List<ChangeEvent> events) throws IOException {
        raw.write(events);
        processed.write(events);
    }

    @Override
    public FlushResult flush() throws IOException {
        return raw.flush().plus(processed.flush());
    }

    @Override
    public void discard() throws IOException {
        raw.discard();
        processed.discard();
    }

    @Override
    public long stagedBytes() {
        return raw.stagedBytes();
    }

    @Override
    public void tick(long nowMillis) throws IOException {
        processed.tick(nowMillis);
    }

    @Override
    public void fullLoadComplete() throws IOException {
        raw.fullLoadComplete();
        processed.fullLoadComplete();
    }

    @Override
    public void close() throws IOException {
        try {
            raw.close();
        } finally {
            processed.close();
        }
    }

    @Override
    public Optional<BulkLoad> bulkLoad() {
        Optional<BulkLoad> r = raw.bulkLoad();
        Optional<BulkLoad> p = processed.bulkLoad();
        if (r.isEmpty() || p.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of((TableSchema schema, int chunk) -> {
            ChunkWriter a = r.get().open(schema, chunk);
            ChunkWriter b;
            try {
                b = p.get().open(schema, chunk);
            } catch (IOException | RuntimeException e) {
                a.close();
                throw e;
            }
            return new ChunkWriter() {
                @Override
                public void write(LoadBatch rows) throws IOException {
                    a.write(rows);
                    b.write(rows);
                }

                @Override
                public long commit() throws IOException {
                    return a.commit() + b.commit();
                }

                @Override
                public void close() throws IOException {
                    try {
                        a.close();
                    } finally {
                        b.close();
                    }
                }
            };
        });
    }
}
