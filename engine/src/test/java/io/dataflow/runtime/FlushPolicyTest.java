package io.dataflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FlushPolicyTest {
    final FlushPolicy policy = new FlushPolicy(Duration.ofMillis(500), 1000, 1 << 20);

    @Test
    void nothingStagedNeverFires() {
        assertThat(policy.due(1_000_000, 0)).isEmpty();
        assertThat(policy.millisUntilDue(0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void intervalCountsFromTheOldestStagedChange() {
        policy.staged(10, 1000);
        policy.staged(10, 1400);
        assertThat(policy.due(1499, 0)).isEmpty();
        assertThat(policy.millisUntilDue(1200)).isEqualTo(300);
        assertThat(policy.due(1500, 0)).contains(FlushTrigger.INTERVAL);
        policy.flushed();
        assertThat(policy.due(5000, 0)).isEmpty();
    }

    @Test
    void rowsAndBytesFireBeforeTheInterval() {
        policy.staged(999, 0);
        assertThat(policy.due(1, 0)).isEmpty();
        policy.staged(1, 1);
        assertThat(policy.due(2, 0)).contains(FlushTrigger.ROWS);
        policy.flushed();
        policy.staged(1, 10);
        assertThat(policy.due(11, 1 << 20)).contains(FlushTrigger.BYTES);
    }

    @Test
    void anAdvancedOffsetWithoutRowsStillFlushesOnTheInterval() {
        policy.staged(0, 100);
        assertThat(policy.hasStaged()).isTrue();
        assertThat(policy.due(600, 0)).contains(FlushTrigger.INTERVAL);
    }
}
