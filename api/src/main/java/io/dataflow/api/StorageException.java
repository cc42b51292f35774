package io.dataflow.api;

import java.io.IOException;

/**
 * A storage operation that failed. {@link #permanent()} failures (access denied, no such bucket, bad
 * configuration) are not retried; the message names the operation, the object and what to do.
 */
public final class StorageException extends IOException implements Failure.Classified {
    private final Failure failure;

    public StorageException(String message, boolean permanent, Throwable cause) {
        this(message, Failure.of(permanent, message), cause);
    }

    public StorageException(String message, Failure failure, Throwable cause) {
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
