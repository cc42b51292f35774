package io.dataflow.source;

import io.dataflow.api.ChangeSource;
import io.dataflow.api.FullLoader;
import io.dataflow.api.TableId;
import io.dataflow.api.catalog.CatalogReader;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.runtime.FullLoadPlan;
import io.dataflow.runtime.ValueIssues;
import io.dataflow.api.ObjectStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One family of source engines (PostgreSQL; MariaDB/MySQL's binlog; ...): what DataFlow needs to read it. Families are
 * found with {@link java.util.ServiceLoader} ({@code META-INF/services/io.dataflow.source.SourceFamily}) by
 * {@link Sources}; adding a source means adding a module with one of these.
 */
public interface SourceFamily {

    /**
     * What a family's parts get: the pipeline, its resolved tables, where its state lives, the counters of values the
     * source converts on the way (e.g. zero dates written as null), and source properties that override DataFlow's
     * defaults (tests, benchmarks).
     */
    record Context(PipelineConfig pipeline, List<TableId> tables, ObjectStore stateStore, ValueIssues conversions,
            Map<String, String> tuning) {
        public Context {
            tables = List.copyOf(tables);
            tuning = Map.copyOf(tuning);
        }
    }

    /** The source types this family reads. */
    Set<SourceConfig.Type> types();

    /** The source's tables, settings and rights ({@code check}, and resolving the table selection). */
    SourceInspector inspector(SourceConfig source);

    /** The source's catalog (tables, columns, keys, indexes, the objects conversion skips), read one way for every use. */
    CatalogReader catalogReader(SourceConfig source);

    /**
     * The selected tables, with the source made ready to stream their changes in the modes that stream
     * ({@link #prepareForChanges}); a connection failure is {@linkplain SourceInspector#explain explained}. By default
     * over the inspector's JDBC connection; a source without one (MongoDB) overrides this.
     */
    default List<SourceInspector.TableInfo> resolveTables(SourceInspector inspector, PipelineConfig pipeline) throws SQLException {
        try (Connection c = inspector.connect()) {
            List<SourceInspector.TableInfo> infos = inspector.tables(c, pipeline.tables());
            if (!infos.isEmpty() && pipeline.mode().streams()) {
                prepareForChanges(c, pipeline, infos);
            }
            return infos;
        } catch (SQLException e) {
            throw inspector.explain(e);
        }
    }

    /**
     * Makes the source ready to stream changes of the selected tables, or says what the user must do (run before the
     * pipeline starts, in the modes that stream). By default: a warning per table the inspector found a fix for.
     */
    default void prepareForChanges(Connection c, PipelineConfig pipeline, List<SourceInspector.TableInfo> tables) throws SQLException {
        for (SourceInspector.TableInfo t : tables) {
            if (!t.fix().isEmpty()) {
                org.slf4j.LoggerFactory.getLogger(SourceFamily.class).warn("table {}: {}", t.id(), t.fix());
            }
        }
    }

    /**
     * The family's parallel full loader, if it has one.
     *
     * @param consistent the load must read one consistent snapshot before the stream starts (mode full-load, or a
     *                   target that applies rows as they come and cannot take rows the stream delivers again)
     * @return by default none: the change source's own snapshot loads the tables
     */
    default Optional<FullLoader> parallelLoader(Context context, boolean consistent) {
        return Optional.empty();
    }

    /** The change source: streams changes, and delivers the full load itself when {@code plan} says so. */
    ChangeSource changeSource(Context context, FullLoadPlan plan);

    /**
     * Whether tables created in the source after the change stream started are captured only when the stream starts
     * again (PostgreSQL: the publication and the connector's table list are fixed when it starts). The pipeline then
     * watches the catalog and restarts its change source when such a table appears.
     */
    default boolean restartsForNewTables() {
        return false;
    }

    /**
     * Whether the pipeline watches this source's catalog for tables that join or leave its rules while it streams
     * (new tables reloaded or captured, dropped tables reported): sources whose tables are verified here.
     */
    default boolean watchesTables() {
        return false;
    }

    /**
     * Whether the source has a SQL catalog to read columns from ({@link #catalogReader}); a document store has none,
     * and its table rules apply to the fields each change carries.
     */
    default boolean hasSqlCatalog() {
        return true;
    }

    /**
     * Asks the running change stream to read tables again from the source (their existing rows, between watermarks in
     * the change log), as {@code dataflow reload} does; false when this source cannot (no signal table).
     */
    default boolean requestBackfill(PipelineConfig pipeline, List<TableId> tables) throws SQLException {
        return false;
    }
}
