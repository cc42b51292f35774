package io.dataflow.api;

import java.io.IOException;

/**
 * A storage operation that failed. {@link #permanent()} failures (access denied, no such bucket, bad
 * configuration) are not retried; the message names the operation, the object and what to do.
 */
public final class StorageException extends IOException {
    private final boolean permanent;

    public StorageException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
