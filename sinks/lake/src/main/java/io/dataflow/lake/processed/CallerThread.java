package io.dataflow.lake.processed;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.CloseableIterable;

/**
 * An executor that runs each task at once on the thread that submits it, and the processed zone's Iceberg calls made
 * with it (scan planning; a commit that removes its files when it certainly failed). The processed zone hands it to Iceberg
 * wherever Iceberg would otherwise use its JVM-wide pools (one thread per core): scan planning, manifest filtering in
 * commits, delete-file reading, snapshot expiry. Several writers in one JVM (the tasks of a Kafka Connect worker) made
 * those pools wait on work queued behind their own, for ever; on the caller's thread nothing waits on anyone.
 */
final class CallerThread extends AbstractExecutorService {
    static final ExecutorService INSTANCE = new CallerThread();

    private CallerThread() {}

    /** The table's files as of a snapshot (null: the current one), planned on this thread. */
    static CloseableIterable<FileScanTask> planFiles(Table table, Long snapshotId) {
        return (snapshotId == null ? table.newScan() : table.newScan().useSnapshot(snapshotId)).planWith(INSTANCE).planFiles();
    }

    /**
     * Runs a commit; when it certainly failed (a conflict, a failed validation), deletes the files written for it, which
     * nothing references. A commit whose outcome is unknown keeps them.
     */
    static void commitOrRemove(Table table, Collection<? extends ContentFile<?>> written, Runnable commit) {
        try {
            commit.run();
        } catch (CommitFailedException | ValidationException e) {
            written.forEach(f -> table.io().deleteFile(f.location()));
            throw e;
        }
    }

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
