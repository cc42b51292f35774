package io.dataflow.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Continuous validation with time passed in: in-flight differences are not reported, lasting ones are, once. */
class ContinuousValidationTest {
    /** A clock the test moves. */
    static final class TestClock extends Clock {
        long millis;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    static TableResult result(String... differingIds) {
        List<TableResult.Difference> diffs = new ArrayList<>();
        for (String id : differingIds) {
            diffs.add(new TableResult.Difference("different", Map.of("id", id), List.of(new TableResult.ColumnDifference("v", "a", "b"))));
        }
        return new TableResult("public.t", "db", 100, 0, 0, 0, diffs.size(), 0, 10, diffs, "");
    }

    @Test
    void onlyDifferencesLastingLongerThanTheAllowanceAreReported() throws Exception {
        TestClock clock = new TestClock();
        List<List<TableResult>> passes = List.of(
                List.of(result("1")), // a change in flight
                List.of(result("2")), // 1 caught up; 2 appears
                List.of(result("2")), // 2 still there, 20 s later: within 30 s
                List.of(result("2")), // 40 s: lasting
                List.of(result("2")),
                List.of(result()));   // fixed
        int[] n = {0};
        List<String> out = new ArrayList<>();
        ContinuousValidation v = new ContinuousValidation(() -> passes.get(n[0]++), Duration.ofSeconds(30), Duration.ofSeconds(20), clock,
                d -> clock.millis += d.toMillis(), out::add);
        List<ContinuousValidation.Snapshot> snapshots = new ArrayList<>();
        v.afterEachPass(results -> snapshots.add(v.snapshot()));
        v.run(6);
        assertThat(snapshots).extracting(ContinuousValidation.Snapshot::pending).containsExactly(1L, 1L, 1L, 0L, 0L, 0L);
        assertThat(snapshots).extracting(ContinuousValidation.Snapshot::lasting).containsExactly(0L, 0L, 0L, 1L, 1L, 0L);
        assertThat(snapshots.get(5).passes()).isEqualTo(6);
        assertThat(snapshots.get(5).compared()).isEqualTo(100);
        List<String> reported = out.stream().filter(l -> l.startsWith("DIFFERENCE") || l.startsWith("resolved")).toList();
        assertThat(reported).containsExactly("DIFFERENCE (lasting 40 s): public.t vs db: different {id=2} v: source a, target b",
                "resolved: public.t vs db: different {id=2}");
        assertThat(v.confirmed()).isEmpty();
        assertThat(out).contains("pass 1: 100 rows compared, 1 difference(s) within the lag allowance, 0 lasting");
    }
}
