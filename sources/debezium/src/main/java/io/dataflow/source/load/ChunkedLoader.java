package io.dataflow.source.load;

import io.dataflow.api.FullLoader;
import io.dataflow.api.ObjectStore;
import io.dataflow.api.Sink;
import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import java.util.List;
import java.util.Map;

/**
 * What a source family's parallel full loader shares with the others: the pipeline, its tables, the state store that
 * keeps the chunk plan ({@link FullLoadState}), the reader threads and chunk size, and, for the one {@link #load} an
 * instance runs, the sinks' outputs and the progress listener.
 */
public abstract class ChunkedLoader implements FullLoader {
    /** Rows handed to the sinks at a time. */
    protected static final int BATCH_ROWS = 2048;
    protected final PipelineConfig pipeline;
    protected final List<TableId> tables;
    protected final ObjectStore stateStore;
    protected final int threads;
    protected final long chunkRows;
    /** Set by {@link #load}: one load per instance. */
    protected List<Sink.BulkLoad> outputs;
    protected FullLoader.Progress progress;

    protected ChunkedLoader(PipelineConfig pipeline, List<TableId> tables, ObjectStore stateStore, int threads, long chunkRows) {
        this.pipeline = pipeline;
        this.tables = List.copyOf(tables);
        this.stateStore = stateStore;
        this.threads = threads;
        this.chunkRows = chunkRows;
    }

    @Override
    public final Map<String, Object> load(List<Sink.BulkLoad> outputs, FullLoader.Progress progress) throws Exception {
        this.outputs = List.copyOf(outputs);
        this.progress = progress;
        return loadChunks();
    }

    /** Loads every table, or what a crash left of it; returns what {@link #load} returns. */
    protected abstract Map<String, Object> loadChunks() throws Exception;
}
