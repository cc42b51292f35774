package io.dataflow.jdbc;

import io.dataflow.api.TableId;
import io.dataflow.api.catalog.Catalog;
import io.dataflow.convert.ConversionOptions;
import io.dataflow.api.catalog.Engine;
import io.dataflow.convert.SchemaConverter;
import io.dataflow.config.JdbcTarget;
import io.dataflow.config.PipelineConfig;
import io.dataflow.source.SourceFamily;
import io.dataflow.source.SourceInspector;
import io.dataflow.source.Sources;
import io.dataflow.transform.CatalogRules;
import io.dataflow.transform.TableRules;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Reads the source catalog of a pipeline's tables and converts it for a target engine. */
public final class Conversions {
    private Conversions() {}

    /**
     * The catalog of a pipeline's source tables as its targets see it: under the names the pipeline's table rules give
     * them, with removed, added and masked columns and defined keys (see {@link CatalogRules#apply}).
     */
    public static Catalog catalog(PipelineConfig pipeline, List<TableId> tables) throws SQLException {
        TableRules rules = pipeline.tableRules();
        return CatalogRules.apply(rules, sourceCatalog(pipeline, tables));
    }

    /** The catalog of source tables as the source has it. */
    public static Catalog sourceCatalog(PipelineConfig pipeline, List<TableId> tables) throws SQLException {
        SourceFamily family = Sources.family(pipeline.source().type());
        SourceInspector inspector = family.inspector(pipeline.source());
        try (Connection c = inspector.connect()) {
            return family.catalogReader(pipeline.source()).read(c, tables);
        } catch (SQLException e) {
            throw inspector.explain(e);
        }
    }

    /** Options from a jdbc target's settings and the pipeline's transforms; {@code urlDatabase} fills a MariaDB target's schema. */
    public static ConversionOptions options(PipelineConfig pipeline, Engine target, JdbcTarget jdbc, String urlDatabase) {
        String schema = jdbc == null ? "" : jdbc.schema();
        if (schema.isEmpty() && target.mysqlFamily() && urlDatabase != null) {
            schema = urlDatabase;
        }
        ConversionOptions.IdentifierCase idCase = jdbc != null && jdbc.identifierCase().equals("lower")
                ? ConversionOptions.IdentifierCase.LOWER : ConversionOptions.IdentifierCase.PRESERVE;
        ConversionOptions.EnumMode enums = jdbc != null && jdbc.enumMode().equals("type")
                ? ConversionOptions.EnumMode.TYPE : ConversionOptions.EnumMode.CHECK;
        return new ConversionOptions(target, schema, idCase, enums, pipeline.targetTransforms(pipeline.tableRules()));
    }

    /**
     * Converts one table again as the source has it now, with the transforms that name it (columns added during CDC);
     * {@code table} is the name the targets give it, {@code sources} the pipeline's source tables.
     */
    public static java.util.Optional<io.dataflow.convert.TargetTable> forTable(PipelineConfig pipeline, JdbcTarget jdbc, TableId table,
            java.util.Collection<TableId> sources) throws SQLException {
        TableRules rules = pipeline.tableRules();
        TableId source = rules.sourceOf(table, sources);
        if (!rules.isEmpty() && !sources.contains(source)) {
            source = rules.sourceOf(table, currentTables(pipeline)); // a table that joined after the sink started
        }
        TableId from = source;
        PipelineConfig only = pipeline.withTransforms(pipeline.transforms().stream().filter(t -> t.table().equals(from)).toList());
        return forTarget(only, jdbc, catalog(only, List.of(from))).bySource(table);
    }

    /** The source tables the pipeline's selection matches now. */
    private static List<TableId> currentTables(PipelineConfig pipeline) throws SQLException {
        SourceInspector inspector = Sources.family(pipeline.source().type()).inspector(pipeline.source());
        try (Connection c = inspector.connect()) {
            return inspector.tables(c, pipeline.tables()).stream().map(SourceInspector.TableInfo::id).toList();
        } catch (SQLException e) {
            throw inspector.explain(e);
        }
    }

    /** Converts for a jdbc target, asking the target for its default database where needed. */
    public static SchemaConverter.Conversion forTarget(PipelineConfig pipeline, JdbcTarget jdbc, Catalog catalog) throws SQLException {
        TargetConnections connections = new TargetConnections(jdbc);
        String urlDatabase = null;
        if (connections.engine().mysqlFamily() && jdbc.schema().isEmpty()) {
            try (Connection c = connections.open()) {
                urlDatabase = c.getCatalog();
            }
            if (urlDatabase == null || urlDatabase.isEmpty()) {
                throw new io.dataflow.config.ConfigException("targets[].url names no database; add one (jdbc:mariadb://host:3306/db) or set schema");
            }
        }
        return new SchemaConverter(catalog.engine(), options(pipeline, connections.engine(), jdbc, urlDatabase)).convert(catalog);
    }
}
