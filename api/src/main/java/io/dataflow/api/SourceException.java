package io.dataflow.api;

/**
 * A source failure. {@link #permanent()} failures (bad credentials, missing rights, wrong server settings)
 * are not retried: retrying cannot fix them; the message says what to do.
 */
public final class SourceException extends RuntimeException implements Failure.Classified {
    private final Failure failure;

    public SourceException(String message, boolean permanent, Throwable cause) {
        this(message, Failure.of(permanent, message), cause);
    }

    public SourceException(String message, Failure failure, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public boolean permanent() {
        return failure.isPermanent();
    }

    @Override
    public Failure failure() {
        return failure;
    }
}
