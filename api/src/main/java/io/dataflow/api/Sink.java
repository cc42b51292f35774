package io.dataflow.api;

import java.io.IOException;
import java.util.List;

/**
 * A destination of change events.
 *
 * <p>Lifecycle, in this order: {@link #recover(Checkpoint)} once before anything is written (remove what
 * was written after the last checkpoint), then any number of {@link #write(List)} calls, each group of
 * them ended by {@link #flush()} (make durable everything written so far) or {@link #discard()} (drop
 * everything written since the last flush), then {@link #close()}. The runtime writes a checkpoint only
 * after every sink's {@code flush()} returned, so a sink must not report success before its data would
 * survive a crash. All calls come from one thread.
 */
public interface Sink extends AutoCloseable {

    /** A short name for logs and metrics, e.g. {@code lake}. */
    String name();

    /**
     * Removes output written after {@code checkpoint} (output of a run that crashed before checkpointing),
     * so a replay from the checkpoint cannot duplicate it. {@code checkpoint} is {@link Checkpoint#NONE}
     * on a first start.
     */
    void recover(Checkpoint checkpoint) throws IOException;

    /** Stages events; they may be buffered until {@link #flush()}. Events arrive in position order. */
    void write(List<ChangeEvent> events) throws IOException;

    /** Makes every staged event durable and returns what was published. */
    FlushResult flush() throws IOException;

    /** Drops staged events that were not flushed (after a source failure, before a replay). */
    void discard() throws IOException;

    /** Bytes staged and not yet flushed, an estimate used by the {@code bytes} flush trigger. */
    long stagedBytes();

    @Override
    void close() throws IOException;

    /**
     * Called from the pipeline's thread between batches, about every 100 ms even when nothing arrives, so a sink that
     * publishes on its own schedule (the processed zone's commit interval) can do so in quiet periods too.
     */
    default void tick(long nowMillis) throws IOException {}

    /**
     * Called once the full load is complete and checkpointed (and again after a restart that finds it complete, so
     * it must be idempotent): a database target creates its secondary indexes and foreign keys here.
     */
    default void fullLoadComplete() throws IOException {}

    /**
     * Parallel full-load output, when the sink supports it: writers for numbered chunks of a table, usable from
     * several threads at once (one thread per writer). A chunk's output becomes visible on {@link ChunkWriter#commit()}
     * and replaces any earlier output of the same chunk, so a chunk can be redone after a crash.
     */
    default java.util.Optional<BulkLoad> bulkLoad() {
        return java.util.Optional.empty();
    }

    /** Opens chunk writers for a parallel full load. */
    interface BulkLoad {
        ChunkWriter open(TableSchema schema, int chunk) throws IOException;
    }

    /** One chunk of a table's full load. */
    interface ChunkWriter extends AutoCloseable {
        /** Writes the batch's rows; the batch is reused by the caller once this returns. */
        void write(LoadBatch rows) throws IOException;

        /** Publishes the chunk; returns the bytes written. */
        long commit() throws IOException;

        /** Aborts unless committed. */
        @Override
        void close() throws IOException;
    }

    /** What one {@link #flush()} published. */
    record FlushResult(int files, long rows, long bytes) {
        public static final FlushResult EMPTY = new FlushResult(0, 0, 0);

        public FlushResult plus(FlushResult o) {
            return new FlushResult(files + o.files, rows + o.rows, bytes + o.bytes);
        }
    }
}
