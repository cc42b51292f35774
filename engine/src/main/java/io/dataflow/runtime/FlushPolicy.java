package io.dataflow.runtime;

import java.time.Duration;
import java.util.Optional;

/**
 * Decides when staged changes must be flushed, from the rows and bytes staged and the age of the oldest
 * staged change. Pure: the caller passes the time in (milliseconds from any monotonic clock).
 */
public final class FlushPolicy {
    private final long intervalMillis;
    private final long maxRows;
    private final long maxBytes;
    private long rows;
    private long firstStagedAt = -1;

    public FlushPolicy(Duration interval, long maxRows, long maxBytes) {
        this.intervalMillis = interval.toMillis();
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
    }

    /** Records that {@code n} rows were staged (or only that the offset advanced, with n = 0) at {@code nowMillis}. */
    public void staged(long n, long nowMillis) {
        if (firstStagedAt < 0) {
            firstStagedAt = nowMillis;
        }
        rows += n;
    }

    public boolean hasStaged() {
        return firstStagedAt >= 0;
    }

    public long stagedRows() {
        return rows;
    }

    /** The trigger that fires now, if any, given the sinks' staged byte estimate. */
    public Optional<FlushTrigger> due(long nowMillis, long stagedBytes) {
        if (firstStagedAt < 0) {
            return Optional.empty();
        }
        if (rows >= maxRows) {
            return Optional.of(FlushTrigger.ROWS);
        }
        if (stagedBytes >= maxBytes) {
            return Optional.of(FlushTrigger.BYTES);
        }
        if (nowMillis - firstStagedAt >= intervalMillis) {
            return Optional.of(FlushTrigger.INTERVAL);
        }
        return Optional.empty();
    }

    /** Milliseconds until the interval trigger fires; Long.MAX_VALUE when nothing is staged. */
    public long millisUntilDue(long nowMillis) {
        return firstStagedAt < 0 ? Long.MAX_VALUE : Math.max(0, firstStagedAt + intervalMillis - nowMillis);
    }

    public void flushed() {
        rows = 0;
        firstStagedAt = -1;
    }
}
