package io.dataflow.api;

import java.util.List;
import java.util.Map;

/**
 * A parallel reader of the selected tables for the full load, outside the change stream: it writes numbered chunks
 * through the sinks' {@link Sink.BulkLoad}s and keeps its own chunk-level resume state, so a restart redoes only
 * unfinished chunks. The pipeline runs it once per pipeline, at the moment its {@link #timing()} asks for, and records
 * its end in the checkpoint; a loader never writes checkpoints itself.
 */
public interface FullLoader {

    /** When the load runs relative to the change stream. */
    enum Timing {
        /**
         * Before the change stream starts, in one consistent snapshot; the stream then starts where {@link #load}
         * says (or where the source itself knows, e.g. a replication slot's consistent point).
         */
        BEFORE_STREAM,
        /**
         * While the change stream runs: starts once the source {@linkplain ChangeSource#streaming() streams}, so every
         * change made after a chunk was read also arrives from the stream (rows may arrive twice; replaying by
         * position converges to the source).
         */
        WHILE_STREAMING
    }

    /** Told about every finished chunk. */
    interface Progress {
        void chunkDone(TableId table, long rows, long bytes);
    }

    Timing timing();

    /**
     * Loads every table, or what a crash left of it.
     *
     * @return the source offset the change stream starts from (in the source's offset layout), or an empty map when
     *     the source knows its own start (a replication slot)
     */
    Map<String, Object> load(List<Sink.BulkLoad> outputs, Progress progress) throws Exception;

    /** Called once the load is checkpointed as done, with whether the pipeline goes on streaming. */
    default void afterLoad(boolean streaming) throws Exception {}

    /**
     * Called when the load failed, with whether the pipeline streams once it is done: releases what only this load
     * needed (a replication slot in mode full-load) and returns what the user should know about what remains, or an
     * empty string.
     */
    default String afterFailure(boolean streaming) {
        return "";
    }
}
