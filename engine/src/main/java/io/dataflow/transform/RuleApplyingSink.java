package io.dataflow.transform;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.Checkpoint;
import io.dataflow.api.LoadBatch;
import io.dataflow.api.Sink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A sink that receives what the table rules make of the changes and full-load batches: the pipeline's one place where
 * rules apply, between the source's model and every target (lake zones, database targets), so the full load and
 * each change get the same treatment.
 */
public final class RuleApplyingSink implements Sink {
    private final TableRules rules;
    private final Sink sink;

    public RuleApplyingSink(TableRules rules, Sink sink) {
        this.rules = rules;
        this.sink = sink;
    }

    /** {@code sink} itself when there are no rules. */
    public static Sink wrap(TableRules rules, Sink sink) {
        return rules.isEmpty() ? sink : new RuleApplyingSink(rules, sink);
    }

    @Override
    public String name() {
        return sink.name();
    }

    @Override
    public void recover(Checkpoint checkpoint) throws IOException {
        sink.recover(checkpoint);
    }

    @Override
    public void write(List<ChangeEvent> events) throws IOException {
        List<ChangeEvent> out = new ArrayList<>(events.size());
        for (ChangeEvent e : events) {
            ChangeEvent t = rules.plan(e.schema()).apply(e);
            if (t != null) {
                out.add(t);
            }
        }
        if (!out.isEmpty()) {
            sink.write(out);
        }
    }

    @Override
    public FlushResult flush() throws IOException {
        return sink.flush();
    }

    @Override
    public void discard() throws IOException {
        sink.discard();
    }

    @Override
    public long stagedBytes() {
        return sink.stagedBytes();
    }

    @Override
    public void close() throws IOException {
        sink.close();
    }

    @Override
    public void tick(long nowMillis) throws IOException {
        sink.tick(nowMillis);
    }

    @Override
    public void fullLoadComplete() throws IOException {
        sink.fullLoadComplete();
    }

    @Override
    public Optional<BulkLoad> bulkLoad() {
        return sink.bulkLoad().map(inner -> (schema, chunk) -> {
            TablePlan plan = rules.plan(schema);
            return new Chunk(plan, inner.open(plan.target(), chunk));
        });
    }

    /** One chunk's writer: each batch through the table's plan (one reused output batch per chunk). */
    private static final class Chunk implements ChunkWriter {
        private final TablePlan plan;
        private final ChunkWriter writer;
        private LoadBatch reuse;

        Chunk(TablePlan plan, ChunkWriter writer) {
            this.plan = plan;
            this.writer = writer;
        }

        @Override
        public void write(LoadBatch rows) throws IOException {
            LoadBatch out = plan.apply(rows, reuse);
            if (out != rows) {
                reuse = out;
            }
            if (out.size() > 0) {
                writer.write(out);
            }
        }

        @Override
        public long commit() throws IOException {
            return writer.commit();
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }
}
