package io.dataflow.validate;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code dataflow validate --continuous}: validates again and again while changes flow. A difference counts only when it
 * is still there, in the same row, after the lag allowance (changes in flight are not false alarms); it is then
 * reported once, and again if it goes away ("resolved").
 */
public final class ContinuousValidation {
    /** Waits between passes; a test passes one that does not sleep. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** One pass: compares everything once. */
    public interface Pass {
        List<TableResult> run() throws Exception;
    }

    private final Pass pass;
    private final Duration allowance;
    private final Duration interval;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Consumer<String> out;
    private final Map<String, Long> firstSeen = new HashMap<>();
    private final Set<String> confirmed = new HashSet<>();
    private volatile Snapshot snapshot = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0);
    private Consumer<List<TableResult>> afterPass = results -> { };

    /**
     * Where the validation stands after its last pass (all zero before the first), for {@code /metrics}.
     *
     * @param passes      passes completed
     * @param compared    rows the last pass compared
     * @param checksummed of those, rows proven equal by checksums inside the databases
     * @param pending     differences seen, still within the lag allowance
     * @param lasting     differences that outlasted it and are not resolved
     * @param notCompared tables the last pass could not compare
     * @param passMillis  how long the last pass took
     * @param endedAt     when it ended (epoch milliseconds)
     */
    public record Snapshot(long passes, long compared, long checksummed, long pending, long lasting, long notCompared, long passMillis,
            long endedAt) {}

    public Snapshot snapshot() {
        return snapshot;
    }

    /** Called with each pass's results once the pass is counted (e.g. to rewrite a JSON report). */
    public ContinuousValidation afterEachPass(Consumer<List<TableResult>> action) {
        this.afterPass = action;
        return this;
    }

    public ContinuousValidation(Pass pass, Duration allowance, Duration interval, Clock clock, Sleeper sleeper, Consumer<String> out) {
        this.pass = pass;
        this.allowance = allowance;
        this.interval = interval;
        this.clock = clock;
        this.sleeper = sleeper;
        this.out = out;
    }

    /** Differences confirmed (lasting longer than the allowance) and not resolved since. */
    public Set<String> confirmed() {
        return Set.copyOf(confirmed);
    }

    /** Runs {@code passes} passes (0: until interrupted); returns the last pass's results. */
    public List<TableResult> run(int passes) throws Exception {
        List<TableResult> last = List.of();
        for (int n = 1; passes == 0 || n <= passes; n++) {
            long began = clock.millis();
            last = pass.run();
            long now = clock.millis();
            Set<String> seen = new HashSet<>();
            long compared = 0;
            long checksummed = 0;
            long notCompared = 0;
            for (TableResult t : last) {
                compared += t.compared();
                checksummed += t.checksummed();
                if (!t.error().isEmpty()) {
                    notCompared++;
                    out.accept("pass " + n + ": " + t.table() + " vs " + t.target() + ": NOT COMPARED: " + t.error());
                }
                for (TableResult.Difference d : t.diffs()) {
                    if (d.kind().equals("not held")) {
                        continue; // documented conversions, not differences
                    }
                    String id = t.table() + " vs " + t.target() + ": " + d.kind() + " " + d.key();
                    seen.add(id);
                    long since = firstSeen.computeIfAbsent(id, k -> now);
                    if (now - since >= allowance.toMillis() && confirmed.add(id)) {
                        out.accept("DIFFERENCE (lasting " + Duration.ofMillis(now - since).toSeconds() + " s): " + id + describe(d));
                    }
                }
            }
            List<String> gone = new ArrayList<>();
            for (String id : firstSeen.keySet()) {
                if (!seen.contains(id)) {
                    gone.add(id);
                }
            }
            for (String id : gone) {
                firstSeen.remove(id);
                if (confirmed.remove(id)) {
                    out.accept("resolved: " + id);
                }
            }
            out.accept("pass " + n + ": " + String.format("%,d", compared) + " rows compared, " + (firstSeen.size() - confirmed.size())
                    + " difference(s) within the lag allowance, " + confirmed.size() + " lasting");
            snapshot = new Snapshot(n, compared, checksummed, firstSeen.size() - confirmed.size(), confirmed.size(), notCompared, now - began,
                    now);
            afterPass.accept(last);
            if (passes == 0 || n < passes) {
                sleeper.sleep(interval);
            }
        }
        return last;
    }

    private static String describe(TableResult.Difference d) {
        StringBuilder b = new StringBuilder();
        for (TableResult.ColumnDifference c : d.columns()) {
            b.append(" ").append(c.column()).append(": source ").append(c.source()).append(", target ").append(c.target());
        }
        return b.toString();
    }
}
