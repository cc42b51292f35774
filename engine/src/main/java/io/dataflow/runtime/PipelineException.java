package io.dataflow.runtime;

/** The pipeline cannot go on; the message says what failed and, where known, what to do. */
public final class PipelineException extends Exception {
    public PipelineException(String message, Throwable cause) {
        super(message, cause);
    }
}
