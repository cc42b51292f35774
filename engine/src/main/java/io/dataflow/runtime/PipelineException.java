package io.dataflow.runtime;

/** The pipeline cannot go on; the message says what failed and, where known, what to do. */
public final class PipelineException extends Exception {
    private final boolean retryable;

    public PipelineException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public PipelineException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** A failure that a restart from the last checkpoint may overcome (storage unreachable, ...). */
    public boolean retryable() {
        return retryable;
    }

    /** Storage failures are retryable unless the storage said they are permanent (access denied, no bucket). */
    static PipelineException ofStorage(String message, java.io.IOException cause) {
        boolean permanent = cause instanceof io.dataflow.api.StorageException se && se.permanent();
        return new PipelineException(message, cause, !permanent);
    }
}
