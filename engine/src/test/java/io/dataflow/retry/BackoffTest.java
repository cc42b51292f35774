package io.dataflow.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void growsExponentiallyUpToTheCapWithFullJitter() {
        Backoff top = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ZERO, () -> 0.999999);
        assertThat(top.delay(0).toMillis()).isEqualTo(999);
        assertThat(top.delay(1).toMillis()).isEqualTo(1999);
        assertThat(top.delay(3).toMillis()).isEqualTo(7999);
        assertThat(top.delay(10).toMillis()).isEqualTo(29999);
        assertThat(top.delay(500).toMillis()).isEqualTo(29999);
        Backoff half = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ZERO, () -> 0.5);
        assertThat(half.delay(2).toMillis()).isEqualTo(2000);
    }

    @Test
    void neverBelowTheFloor() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMillis(200), () -> 0.0);
        assertThat(b.delay(5)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, () -> 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
