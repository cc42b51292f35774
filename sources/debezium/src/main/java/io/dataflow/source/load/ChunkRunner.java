package io.dataflow.source.load;

import io.dataflow.api.FullLoader;
import io.dataflow.api.TableId;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads the unfinished chunks of a {@link FullLoadState} on several threads. Each thread opens its own context once
 * (a connection, in a snapshot) and takes chunks from a shared queue; a finished chunk is recorded in the state and
 * counted. The first failure stops the run and is rethrown.
 */
public final class ChunkRunner {
    private ChunkRunner() {}

    /** Reads one chunk in a thread's context. */
    public interface ChunkTask<C> {
        Result read(C context, FullLoadState.Chunk chunk) throws Exception;
    }

    /** What one chunk produced. */
    public record Result(long rows, long bytes) {}

    public static <C extends AutoCloseable> void run(FullLoadState state, java.util.Set<TableId> tables, int threads,
            Callable<C> openContext, ChunkTask<C> task, FullLoader.Progress progress)
            throws IOException, SQLException, InterruptedException {
        ConcurrentLinkedQueue<FullLoadState.Chunk> queue = new ConcurrentLinkedQueue<>();
        for (FullLoadState.Chunk ch : state.doc().plan()) {
            if (!state.isDone(ch) && tables.contains(new TableId(ch.schema(), ch.table()))) {
                queue.add(ch);
            }
        }
        int workers = Math.max(1, Math.min(threads, queue.size()));
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "dataflow-full-load");
            t.setDaemon(true);
            return t;
        });
        List<Future<Void>> futures = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            futures.add(pool.submit(() -> {
                try (C context = openContext.call()) {
                    FullLoadState.Chunk ch;
                    while ((ch = queue.poll()) != null) {
                        Result r;
                        try {
                            r = task.read(context, ch);
                        } catch (io.dataflow.api.Failure.OutOfMemoryWhile e) {
                            throw e; // the loader said where already
                        } catch (OutOfMemoryError e) {
                            throw new io.dataflow.api.Failure.OutOfMemoryWhile("loading " + new TableId(ch.schema(), ch.table())
                                    + " (chunk " + ch.number() + ")", e);
                        }
                        state.markDone(ch);
                        progress.chunkDone(new TableId(ch.schema(), ch.table()), r.rows(), r.bytes());
                    }
                }
                return null;
            }));
        }
        pool.shutdown();
        try {
            for (Future<Void> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            pool.shutdownNow();
            Throwable cause = e.getCause();
            if (cause instanceof SQLException se) {
                throw se;
            }
            if (cause instanceof IOException ie) {
                throw ie;
            }
            throw new IOException("full load failed: " + cause, cause);
        }
    }
}
