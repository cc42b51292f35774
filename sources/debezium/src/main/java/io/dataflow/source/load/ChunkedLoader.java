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
    /** The pipeline's table rules: a table's filter is read in the database (the engine still checks every row). */
    protected final io.dataflow.transform.TableRules rules;
    /** Set by {@link #load}: one load per instance. */
    protected List<Sink.BulkLoad> outputs;
    protected FullLoader.Progress progress;

    protected ChunkedLoader(PipelineConfig pipeline, List<TableId> tables, ObjectStore stateStore, int threads, long chunkRows) {
        this.rules = pipeline.tableRules();
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

    /** {@code " AND (condition)"} for a table's filter rule in the source's SQL, or "" when it has none the database can run. */
    protected String filterCondition(io.dataflow.api.TableSchema schema, io.dataflow.transform.ExprSql.Dialect dialect) {
        return rules.isEmpty() ? "" : rules.filterSql(schema, dialect).map(sql -> " AND " + sql).orElse("");
    }
}
