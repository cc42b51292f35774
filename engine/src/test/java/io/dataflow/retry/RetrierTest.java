package io.dataflow.retry;

import io.dataflow.api.Failure;
import io.dataflow.api.StorageException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetrierTest {
    final List<Duration> waits = new ArrayList<>();
    final Retrier retrier = new Retrier(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ZERO, () -> 0.5), 5,
            waits::add, e -> Failure.of(e instanceof IllegalStateException, e.getMessage()));

    @Test
    void transientFailuresAreRetriedWithGrowingWaits() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String result = retrier.call("write x", () -> {
            if (calls.incrementAndGet() < 4) {
                throw new IOException("connection reset");
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(4);
        assertThat(waits).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void permanentFailuresAreNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retrier.call("write x", () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("access denied");
        })).isInstanceOf(StorageException.class).hasMessage("write x: access denied")
                .matches(e -> ((StorageException) e).permanent());
        assertThat(calls).hasValue(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void givesUpAfterTheLastAttemptNamingTheOperation() {
        assertThatThrownBy(() -> retrier.call("list s3://b/p", () -> {
            throw new IOException("connection refused");
        })).isInstanceOf(StorageException.class).hasMessage("list s3://b/p: connection refused (gave up after 5 attempts)")
                .matches(e -> !((StorageException) e).permanent());
        assertThat(waits).hasSize(4);
        assertThat(waits.get(3)).isEqualTo(Duration.ofMillis(400));
    }
}
