package io.dataflow.runtime;

import io.dataflow.api.Failure;
import java.io.IOException;

/** The pipeline cannot go on, or not without a restart; the message says what failed and, where known, what to do. */
public final class PipelineException extends Exception implements Failure.Classified {
    private final Failure failure;

    /** A failure a restart cannot fix. */
    public PipelineException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public PipelineException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.failure = Failure.of(!retryable, message);
    }

    /** A failure that a restart from the last checkpoint may overcome (storage unreachable, ...). */
    public boolean retryable() {
        return !failure.isPermanent();
    }

    @Override
    public Failure failure() {
        return failure;
    }

    /** Storage failures are retryable unless the storage classified them as permanent (access denied, no bucket). */
    static PipelineException ofStorage(String message, IOException cause) {
        boolean permanent = cause instanceof Failure.Classified c && c.failure().isPermanent();
        return new PipelineException(message, cause, !permanent);
    }
}
