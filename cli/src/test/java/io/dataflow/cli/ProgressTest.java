package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.TableId;
import io.dataflow.cli.ops.StatusHistory;
import io.dataflow.runtime.PipelineStats;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static final TableId A = new TableId("public", "a");
    private static final TableId B = new TableId("public", "b");

    @Test
    void fullLoadShowsTotalAndTablesLoadingWithRateAndEta() {
        PipelineStats stats = new PipelineStats();
        stats.expect(Map.of(A, 1000L, B, 500L));
        stats.phase(PipelineStats.Phase.FULL_LOAD, 0);
        StatusHistory history = new StatusHistory(stats, OptionalLong::empty);
        stats.addFullLoadChunk(A, 200, 10);
        history.sample(0);
        stats.addFullLoadChunk(A, 300, 10);
        history.sample(1000);

        List<String> lines = Progress.lines(stats, history, 1);

        assertThat(lines.get(0)).startsWith("[   1s] full load: 500 of ~1,500 rows (33%), 300 rows/s, ETA 4 s | changes: 0 (0/s)");
        assertThat(lines).hasSize(2); // b has not started: no line
        assertThat(lines.get(1)).isEqualTo("         public.a: 500 of ~1,000 rows (50%), 300 rows/s, ETA 2 s");
    }

    @Test
    void streamingShowsOneLine() {
        PipelineStats stats = new PipelineStats();
        stats.expect(Map.of(A, 10L));
        stats.phase(PipelineStats.Phase.STREAMING, 0);
        StatusHistory history = new StatusHistory(stats, OptionalLong::empty);
        history.sample(0);
        assertThat(Progress.lines(stats, history, 12)).containsExactly(
                "[  12s] full load: 0 rows | changes: 0 (0/s) | files: 0 (0 B) | checkpoints: 0 | lag: -");
    }

    @Test
    void etaCannotBeToldWithoutRate() {
        assertThat(Progress.progress(10, 100, 0)).isEqualTo("10 of ~100 rows (10%), 0 rows/s, ETA -");
        assertThat(Progress.progress(10, 0, 5)).isEqualTo("10 rows, 5 rows/s");
        assertThat(Units.duration(7325)).isEqualTo("2 h 2 min");
    }
}
