package io.dataflow.runtime;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named points where crash tests stop the process as SIGKILL would ({@link Runtime#halt}: no shutdown hook, nothing
 * flushed), chosen with the system property {@code dataflow.failpoint=<name>[:<n>]} (halt at the n-th time the point is
 * reached, default the first). Without the property a point costs one volatile read.
 */
public final class FailPoints {
    private static final String SPEC = System.getProperty("dataflow.failpoint", "");
    private static final String NAME = SPEC.contains(":") ? SPEC.substring(0, SPEC.indexOf(':')) : SPEC;
    private static final int AT = SPEC.contains(":") ? Integer.parseInt(SPEC.substring(SPEC.indexOf(':') + 1)) : 1;
    private static final AtomicInteger HITS = new AtomicInteger();

    private FailPoints() {}

    /** Halts the process when {@code name} is the chosen point and this is its chosen hit. */
    public static void hit(String name) {
        if (!NAME.isEmpty() && NAME.equals(name) && HITS.incrementAndGet() == AT) {
            System.err.println("failpoint " + name + " reached: halting");
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
