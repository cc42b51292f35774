package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The reported peak heap is a real heap size: above what was live, never above the heap's limit. */
class HeapWatchTest {
    @Test
    void thePeakLiesBetweenWhatWasLiveAndTheLimit() {
        try (HeapWatch watch = new HeapWatch()) {
            byte[][] live = new byte[16][];
            for (int i = 0; i < live.length; i++) {
                live[i] = new byte[1 << 20];
            }
            for (int i = 0; i < 200; i++) {
                byte[] garbage = new byte[1 << 20];
                garbage[i] = 1;
            }
            System.gc();
            assertThat(live[15]).hasSize(1 << 20);
            assertThat(watch.peakBytes()).isGreaterThanOrEqualTo(16L << 20).isLessThanOrEqualTo(HeapWatch.maxBytes());
        }
    }
}
