package io.dataflow.runtime;

/** Why staged changes were flushed; each is counted. */
public enum FlushTrigger {
    /** The oldest staged change reached the flush interval. */
    INTERVAL,
    /** The staged row count reached the limit. */
    ROWS,
    /** The staged byte estimate reached the limit. */
    BYTES,
    /** The full load ended. */
    FULL_LOAD_END,
    /** The pipeline is stopping. */
    SHUTDOWN,
    /** The change source restarts to capture what changed in the source (new tables). */
    SOURCE_RESTART
}
