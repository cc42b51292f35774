package io.dataflow.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflow.storage.InMemoryObjectStore;
import io.dataflow.testing.ManualClock;
import org.junit.jupiter.api.Test;

class PipelineLeaseTest {
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final ManualClock clock = new ManualClock(1_000_000);

    @Test
    void aSecondProcessIsRefusedWhileTheFirstIsAlive() throws Exception {
        PipelineLease first = PipelineLease.acquire(store, "p", clock, "host-a", 10, pid -> true);
        assertThatThrownBy(() -> PipelineLease.acquire(store, "p", clock, "host-b", 20, pid -> true))
                .isInstanceOf(PipelineLease.HeldException.class)
                .hasMessageContaining("already running (host host-a, pid 10");
        clock.advance(20_000);
        assertThat(first.renew()).isTrue();
        clock.advance(20_000);
        assertThatThrownBy(() -> PipelineLease.acquire(store, "p", clock, "host-b", 20, pid -> true))
                .isInstanceOf(PipelineLease.HeldException.class);
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheOldOwnerIsFenced() throws Exception {
        PipelineLease first = PipelineLease.acquire(store, "p", clock, "host-a", 10, pid -> true);
        clock.advance(PipelineLease.TTL.toMillis() + 1);
        PipelineLease second = PipelineLease.acquire(store, "p", clock, "host-b", 20, pid -> true);
        assertThat(first.renew()).as("the old owner learns it was fenced").isFalse();
        assertThat(second.renew()).isTrue();
        first.close();
        assertThat(store.get(second.key())).as("a fenced owner does not delete the new owner's record").isPresent();
        second.close();
        assertThat(store.get(second.key())).isEmpty();
    }

    @Test
    void aCrashedProcessOnTheSameHostIsTakenOverAtOnce() throws Exception {
        PipelineLease.acquire(store, "p", clock, "host-a", 10, pid -> true);
        PipelineLease restarted = PipelineLease.acquire(store, "p", clock, "host-a", 11, pid -> pid != 10);
        assertThat(restarted.renew()).isTrue();
    }

    @Test
    void pipelinesDoNotShareLeases() throws Exception {
        PipelineLease.acquire(store, "p", clock, "host-a", 10, pid -> true);
        PipelineLease.acquire(store, "q", clock, "host-b", 20, pid -> true);
        assertThat(store.sizes()).containsOnlyKeys("_state/p/owner.json", "_state/q/owner.json");
    }
}
