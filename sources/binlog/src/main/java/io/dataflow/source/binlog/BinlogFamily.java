package io.dataflow.source.binlog;

import io.dataflow.api.ChangeSource;
import io.dataflow.api.FullLoader;
import io.dataflow.api.catalog.Engine;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.runtime.FullLoadPlan;
import io.dataflow.source.SourceFamily;
import io.dataflow.source.SourceInspector;
import io.dataflow.source.debezium.DebeziumSource;
import io.dataflow.source.debezium.SignalTable;
import io.dataflow.state.CheckpointStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;

/**
 * MariaDB and MySQL: the row binlog through Debezium's MariaDB / MySQL connectors, and a parallel full load by
 * primary-key ranges, either lock-free while the binlog streams or inside one consistent snapshot before it.
 */
public final class BinlogFamily implements SourceFamily {

    @Override
    public Set<SourceConfig.Type> types() {
        return Set.of(SourceConfig.Type.MARIADB, SourceConfig.Type.MYSQL);
    }

    @Override
    public SourceInspector inspector(SourceConfig source) {
        return new BinlogInspector(source);
    }

    /**
     * Lock-free while the binlog streams when the pipeline streams and the targets take rows twice; otherwise (mode
     * full-load, database targets) inside one consistent snapshot, the stream starting at its binlog position.
     */
    @Override
    public MariaDbCatalogReader catalogReader(SourceConfig source) {
        return new MariaDbCatalogReader(Engine.of(source.type().name().toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public Optional<FullLoader> parallelLoader(Context context, boolean consistent) {
        PipelineConfig p = context.pipeline();
        return Optional.of(new BinlogChunkLoader(p, context.tables(), context.stateStore(), catalogReader(p.source()), context.conversions(),
                p.fullLoad().effectiveThreads(),
                p.fullLoad().chunkRows(), consistent));
    }

    /**
     * Refuses tables whose changes the binlog reader cannot stream (it would stop at their first change or definition,
     * again after every restart); besides the default warnings: the signal table (see {@link SignalTable}), created
     * when missing.
     */
    @Override
    public void prepareForChanges(java.sql.Connection c, PipelineConfig pipeline, java.util.List<io.dataflow.source.SourceInspector.TableInfo> tables)
            throws java.sql.SQLException {
        java.util.List<String> refused = tables.stream().filter(t -> !t.changesReplicable()).map(t -> "table " + t.id() + ": " + t.fix()).toList();
        if (!refused.isEmpty()) {
            throw new io.dataflow.api.SourceException(String.join("\n", refused), true, null);
        }
        SourceFamily.super.prepareForChanges(c, pipeline, tables);
        SignalTable.ensure(c, pipeline.source());
    }

    /**
     * After a load in one snapshot the first stream starts at the snapshot's position with no schema history yet:
     * Debezium's recovery mode records the current schema, then streams from that position.
     */
    @Override
    public ChangeSource changeSource(Context context, FullLoadPlan plan) {
        boolean recover = plan.loaderAt(FullLoader.Timing.BEFORE_STREAM).isPresent() && noSchemaHistory(context);
        return new DebeziumSource(context, new BinlogDialect(context.pipeline().source().type(), sequences(context.pipeline().source())),
                new DebeziumSource.Start(plan.inSource(), recover));
    }

    /**
     * The server's sequences (MariaDB; MySQL has none), read at every start of the change source: one created while the
     * stream runs stops it once (Debezium meets a row of a table it has no schema for), and the restart leaves it out.
     */
    static java.util.List<io.dataflow.api.TableId> sequences(SourceConfig source) {
        if (source.type() != SourceConfig.Type.MARIADB) {
            return java.util.List.of();
        }
        java.util.List<io.dataflow.api.TableId> out = new java.util.ArrayList<>();
        try (java.sql.Connection c = new BinlogInspector(source).connect(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("select table_schema, table_name from information_schema.tables where table_type = 'SEQUENCE'")) {
            while (rs.next()) {
                out.add(new io.dataflow.api.TableId(rs.getString(1), rs.getString(2)));
            }
        } catch (java.sql.SQLException e) {
            // the connector's own connection will report an unreachable server; without the list, sequences are not excluded
            org.slf4j.LoggerFactory.getLogger(BinlogFamily.class).warn("could not list the source's sequences: {}", e.getMessage());
        }
        return out;
    }

    private static boolean noSchemaHistory(Context context) {
        try {
            return context.stateStore().list(CheckpointStore.stateDir(context.pipeline().name()) + "schema-history/").isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "mariadb/mysql";
    }

    @Override
    public boolean watchesTables() {
        return true;
    }
}
