package io.dataflow.api;

/**
 * A database's change stream: the full load (if any), then changes, from a checkpoint.
 *
 * <p>Lifecycle: {@link #start(Checkpoint, Listener)} once; the source calls the listener from its own
 * thread(s), one call at a time, in position order; the listener may block to apply back-pressure.
 * {@link #acknowledge(SourceBatch)} tells the source that everything up to and including that batch is
 * durable in every sink and checkpointed, so the source may release it (for PostgreSQL: confirm the LSN to
 * the replication slot). {@link #close()} stops reading; it may be called from any thread.
 */
public interface ChangeSource extends AutoCloseable {

    /** Receives what the source reads. */
    interface Listener {
        /** A batch of events; may block. */
        void onBatch(SourceBatch batch) throws InterruptedException;

        /** The full load delivered its last row (called once, after that row's batch). */
        void onFullLoadComplete();

        /** The source stopped because of an error; the runtime decides whether to restart it. */
        void onFailure(Throwable error);
    }

    void start(Checkpoint from, Listener listener) throws Exception;

    void acknowledge(SourceBatch upTo) throws InterruptedException;

    /**
     * True once the source reads its change log from a fixed position, so that a {@link FullLoader} running beside
     * it ({@link FullLoader.Timing#WHILE_STREAMING}) cannot miss a change. A source that reads from its start
     * position as soon as it is started may keep the default.
     */
    default boolean streaming() {
        return true;
    }

    @Override
    void close();
}
