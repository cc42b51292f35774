package io.dataflow.retry;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: attempt n waits a random time in [0, min(max, initial * 2^n)),
 * at least {@code floor}. Pure apart from the injected random source.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final Duration floor;
    private final DoubleSupplier random;

    public Backoff(Duration initial, Duration max, Duration floor, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
        }
        this.initial = initial;
        this.max = max;
        this.floor = floor;
        this.random = random;
    }

    public static Backoff standard() {
        return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMillis(200), Math::random);
    }

    /** The wait before retry number {@code attempt} (0 for the first retry). */
    public Duration delay(int attempt) {
        long cap = initial.toMillis() << Math.min(attempt, 30);
        if (cap <= 0 || cap > max.toMillis()) {
            cap = max.toMillis();
        }
        long jittered = (long) (random.getAsDouble() * cap);
        return Duration.ofMillis(Math.max(floor.toMillis(), jittered));
    }
}
