package io.dataflow.cli;

import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT stop the pipeline cleanly (flush, checkpoint) and the process exits 0. Without a
 * handler the JVM would run shutdown hooks and exit 143/130.
 */
final class Signals {
    private Signals() {}

    @SuppressWarnings("restriction")
    static void onTermination(Runnable action) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                    LoggerFactory.getLogger(Signals.class).info("SIG{} received: flushing, checkpointing and stopping", name);
                    action.run();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the platform does not offer this signal; the shutdown hook still stops the pipeline
            }
        }
    }
}
