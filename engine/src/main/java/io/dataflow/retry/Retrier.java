package io.dataflow.retry;

import io.dataflow.api.Failure;
import io.dataflow.api.StorageException;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries an operation on transient failures with exponential backoff and jitter; written once, used by the object
 * stores, the database state store and the start of a pipeline. A classifier turns each failure into a
 * {@link Failure}; permanent ones are thrown at once, transient ones after {@code maxAttempts}.
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

    /** Makes the exception thrown when retrying ends: its message, the failure's classification, the last error. */
    public interface GiveUp<E extends Exception> {
        E exception(String message, Failure failure, Exception cause);
    }

    private final Backoff backoff;
    private final int maxAttempts;
    private final Sleeper sleeper;
    private final Function<Exception, Failure> classifier;

    public Retrier(Backoff backoff, int maxAttempts, Sleeper sleeper, Function<Exception, Failure> classifier) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.sleeper = sleeper;
        this.classifier = classifier;
    }

    /** Sleeps with {@link Thread#sleep}. */
    public static Sleeper realSleeper() {
        return d -> Thread.sleep(d.toMillis());
    }

    /** Runs {@code attempt} as a storage operation; {@code what} names the operation and object for messages. */
    public <T> T call(String what, Attempt<T> attempt) throws StorageException {
        return call(what, attempt, StorageException::new);
    }

    /** Runs {@code attempt}; when retrying ends, throws what {@code giveUp} makes of the last failure. */
    public <T, E extends Exception> T call(String what, Attempt<T> attempt, GiveUp<E> giveUp) throws E {
        for (int n = 1; ; n++) {
            try {
                return attempt.run();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    throw giveUp.exception(what + ": interrupted", Failure.transientFailure("interrupted"), e);
                }
                Failure failure = classifier.apply(e);
                if (failure.isPermanent() || n >= maxAttempts) {
                    throw giveUp.exception(what + ": " + failure.reason()
                            + (failure.isPermanent() ? "" : " (gave up after " + n + " attempts)"), failure, e);
                }
                Duration wait = backoff.delay(n - 1);
                LOG.warn("{} failed ({}); retry {} of {} in {} ms", what, failure.reason(), n, maxAttempts - 1, wait.toMillis());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw giveUp.exception(what + ": interrupted while waiting to retry", Failure.transientFailure("interrupted"), ie);
                }
            }
        }
    }
}
