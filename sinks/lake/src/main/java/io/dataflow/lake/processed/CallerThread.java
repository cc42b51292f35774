package io.dataflow.lake.processed;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An executor that runs each task at once on the thread that submits it. The processed zone hands it to Iceberg
 * wherever Iceberg would otherwise use its JVM-wide pools (one thread per core): scan planning, manifest filtering in
 * commits, delete-file reading, snapshot expiry. Several writers in one JVM (the tasks of a Kafka Connect worker) made
 * those pools wait on work queued behind their own, for ever; on the caller's thread nothing waits on anyone.
 */
final class CallerThread extends AbstractExecutorService {
    static final ExecutorService INSTANCE = new CallerThread();

    private CallerThread() {}

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }
}
