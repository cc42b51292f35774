package io.dataflow.source.postgres;

import io.dataflow.api.TableId;
import io.dataflow.api.ChangeSource;
import io.dataflow.api.FullLoader;
import io.dataflow.api.catalog.CatalogReader;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.runtime.FullLoadPlan;
import io.dataflow.source.SourceFamily;
import io.dataflow.source.SourceInspector;
import io.dataflow.source.debezium.DebeziumSource;
import io.dataflow.source.debezium.SignalTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * PostgreSQL: logical decoding (pgoutput) through Debezium, and a parallel full load with binary {@code COPY} under
 * the replication slot's exported snapshot (always consistent, so it serves every mode).
 */
public final class PostgresFamily implements SourceFamily {

    @Override
    public Set<SourceConfig.Type> types() {
        return Set.of(SourceConfig.Type.POSTGRES);
    }

    @Override
    public SourceInspector inspector(SourceConfig source) {
        return new PostgresInspector(source);
    }

    /**
     * PostgreSQL refuses UPDATE and DELETE on a published table without a primary key: such tables get
     * {@code REPLICA IDENTITY FULL}; then the publication is created for the selected tables and the signal table
     * (created here when missing, see {@link SignalTable}).
     */
    @Override
    public void prepareForChanges(Connection c, PipelineConfig pipeline, List<SourceInspector.TableInfo> tables) throws SQLException {
        List<io.dataflow.api.TableId> unlogged = PostgresInspector.unlogged(c, tables.stream().map(SourceInspector.TableInfo::id).toList());
        if (!unlogged.isEmpty()) {
            throw new io.dataflow.api.SourceException(String.join("\n", unlogged.stream()
                    .map(t -> "table " + t + ": " + PostgresInspector.unloggedFix(t)).toList()), true, null);
        }
        PostgresPublication.replicaIdentityFull(c,
                tables.stream().filter(t -> !t.changesReplicable()).map(SourceInspector.TableInfo::id).toList());
        List<TableId> published = new java.util.ArrayList<>(tables.stream().map(SourceInspector.TableInfo::id).toList());
        Optional<TableId> signal = pipeline.source().signalTable().filter(s -> SignalTable.ensure(c, pipeline.source()));
        signal.filter(s -> !published.contains(s)).ifPresent(published::add);
        PostgresPublication.ensure(c, pipeline.source().publication(), published);
        // a publication made earlier lacks tables added to the rules since, or created in the source while running, and the
        // signal table travels in the change stream too
        PostgresPublication.addMissing(c, pipeline.source().publication(), published);
    }

    @Override
    public boolean restartsForNewTables() {
        return true;
    }

    @Override
    public boolean requestBackfill(PipelineConfig pipeline, List<TableId> tables) throws SQLException {
        Optional<TableId> signal = pipeline.source().signalTable();
        if (signal.isEmpty() || tables.isEmpty() || PostgresSourceKeys.nativeStreaming(pipeline.source())) {
            return false;
        }
        try (Connection c = inspector(pipeline.source()).connect()) {
            SignalTable.requestReload(c, pipeline.source(), signal.get(), tables);
            return true;
        }
    }

    @Override
    public CatalogReader catalogReader(SourceConfig source) {
        return new PostgresCatalogReader();
    }

    @Override
    public Optional<FullLoader> parallelLoader(Context context, boolean consistent) {
        PipelineConfig p = context.pipeline();
        return Optional.of(new PostgresCopyLoader(p, context.tables(), context.stateStore(), p.fullLoad().effectiveThreads(),
                p.fullLoad().chunkRows()));
    }

    /**
     * Debezium's PostgreSQL connector by default; with {@code streaming-engine: native}, DataFlow's own pgoutput reader
     * ({@link PgOutputSource}), which streams only (the COPY loader reads the full load).
     */
    @Override
    public ChangeSource changeSource(Context context, FullLoadPlan plan) {
        if (PostgresSourceKeys.nativeStreaming(context.pipeline().source())) {
            if (plan.inSource()) {
                throw new io.dataflow.config.ConfigException("source.streaming-engine: native reads changes only; the full load needs "
                        + "full-load.engine: parallel (the default), not debezium");
            }
            return new PgOutputSource(context.pipeline(), context.tables());
        }
        PostgresDialect dialect = new PostgresDialect();
        if (plan.inSource()) {
            // Debezium's snapshot reads the full load: shaped as the parallel loader reads it
            try (Connection c = new PostgresInspector(context.pipeline().source()).connect()) {
                dialect = new PostgresDialect(PostgresInspector.generatedColumns(c, context.tables()),
                        PostgresInspector.inheritanceParents(c, context.tables()));
            } catch (SQLException e) {
                throw new PostgresInspector(context.pipeline().source()).explain(e);
            }
        }
        return new DebeziumSource(context, dialect, new DebeziumSource.Start(plan.inSource(), false));
    }

    @Override
    public String toString() {
        return "postgres";
    }

    @Override
    public boolean watchesTables() {
        return true;
    }
}
