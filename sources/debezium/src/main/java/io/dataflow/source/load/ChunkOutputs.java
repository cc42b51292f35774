package io.dataflow.source.load;

import io.dataflow.api.LoadBatch;
import io.dataflow.api.Sink;
import io.dataflow.api.TableSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** One full-load chunk written to every sink: opened together, committed together, aborted together. */
public final class ChunkOutputs implements AutoCloseable {
    private final List<Sink.ChunkWriter> writers = new ArrayList<>();

    public ChunkOutputs(List<Sink.BulkLoad> outputs, TableSchema schema, int chunk) throws IOException {
        try {
            for (Sink.BulkLoad out : outputs) {
                writers.add(out.open(schema, chunk));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public void write(LoadBatch rows) throws IOException {
        for (Sink.ChunkWriter w : writers) {
            w.write(rows);
        }
    }

    /** Hands the batch to every sink once it is full, then empties it for the next rows. */
    public void writeIfFull(LoadBatch batch) throws IOException {
        if (batch.isFull()) {
            write(batch);
            batch.clear();
        }
    }

    /** Writes the batch's last rows, then publishes the chunk in every sink; returns the bytes written. */
    public long commit(LoadBatch last) throws IOException {
        if (last.size() > 0) {
            write(last);
        }
        return commit();
    }

    /** Publishes the chunk in every sink; returns the bytes written. */
    public long commit() throws IOException {
        long bytes = 0;
        for (Sink.ChunkWriter w : writers) {
            bytes += w.commit();
        }
        return bytes;
    }

    /** Aborts whatever was not committed. */
    @Override
    public void close() throws IOException {
        for (Sink.ChunkWriter w : writers) {
            w.close();
        }
    }
}
