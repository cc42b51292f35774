package io.dataflow.api;

/**
 * A source failure. {@link #permanent()} failures (bad credentials, missing rights, wrong server settings)
 * are not retried: retrying cannot fix them; the message says what to do.
 */
public final class SourceException extends RuntimeException {
    private final boolean permanent;

    public SourceException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
