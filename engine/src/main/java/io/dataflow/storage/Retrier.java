package io.dataflow.storage;

import io.dataflow.api.StorageException;
import io.dataflow.runtime.Backoff;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries an operation on transient failures with exponential backoff and jitter; written once, used by every
 * storage call. A classifier turns each failure into a {@link StorageException} that says whether it is
 * permanent; permanent ones are thrown at once, transient ones after {@code maxAttempts}.
 */
public final class Retrier {
    private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

    /** Waits between attempts; injected so tests need not sleep. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** One attempt of the operation. */
    public interface Attempt<T> {
        T run() throws Exception;
    }

    private final Backoff backoff;
    private final int maxAttempts;
    private final Sleeper sleeper;
    private final Function<Exception, StorageException> classifier;

    public Retrier(Backoff backoff, int maxAttempts, Sleeper sleeper, Function<Exception, StorageException> classifier) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.sleeper = sleeper;
        this.classifier = classifier;
    }

    /** Runs {@code attempt}; {@code what} names the operation and object for messages. */
    public <T> T call(String what, Attempt<T> attempt) throws StorageException {
        for (int n = 1; ; n++) {
            try {
                return attempt.run();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    throw new StorageException(what + ": interrupted", false, e);
                }
                StorageException failure = classifier.apply(e);
                if (failure.permanent() || n >= maxAttempts) {
                    throw new StorageException(what + ": " + failure.getMessage()
                            + (failure.permanent() ? "" : " (gave up after " + n + " attempts)"), failure.permanent(), e);
                }
                Duration wait = backoff.delay(n - 1);
                LOG.warn("{} failed ({}); retry {} of {} in {} ms", what, failure.getMessage(), n, maxAttempts - 1, wait.toMillis());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new StorageException(what + ": interrupted while waiting to retry", false, ie);
                }
            }
        }
    }
}
