package io.dataflow.cli;

import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.TargetConfig;
import io.dataflow.api.catalog.Catalog;
import io.dataflow.convert.ConversionOptions;
import io.dataflow.api.catalog.Engine;
import io.dataflow.convert.SchemaConverter;
import io.dataflow.convert.SchemaScript;
import io.dataflow.source.SourceInspector;
import io.dataflow.source.Sources;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dataflow convert}: reads the source schema of a pipeline's tables and writes the target DDL plus a
 * conversion report (every column's mapping and why; what was not converted and what to do), without moving data.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Converts the source schema of the pipeline's tables for a database target (DDL and a report).",
                "Writes the DDL (tables with primary keys; then indexes, foreign keys and identity resets, to run after the load)",
                "and a report in Markdown and JSON: every column's mapping and why, every object not converted and what to do."})
final class ConvertCommand implements Callable<Integer> {

    @Mixin
    PipelineFileOption pipelineFile;

    @Option(names = "--out", paramLabel = "FILE", description = "where the DDL goes (default: standard output)")
    Path out;

    @Option(names = "--report", paramLabel = "PREFIX",
            description = "writes PREFIX.md and PREFIX.json (default: next to --out as <name>-report, else conversion-report)")
    String report;

    @Option(names = "--target", paramLabel = "ENGINE",
            description = "postgres, mariadb or mysql; default: the engine of the pipeline's first jdbc target")
    String target;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PipelineConfig pipeline = pipelineFile.read();
        PrintWriter console = pipelineFile.out();
        TargetConfig jdbc = pipeline.targets().stream().filter(t -> t.type() == TargetConfig.Type.JDBC).findFirst().orElse(null);
        if (target == null && jdbc == null) {
            throw new io.dataflow.config.ConfigException("the pipeline has no jdbc target; add one or pass --target postgres|mariadb|mysql");
        }
        Engine engine = null;
        if (target != null) {
            try {
                engine = Engine.of(target);
            } catch (IllegalArgumentException e) {
                engine = null;
            }
            if (engine == null || !(engine == Engine.POSTGRES || engine.mysqlFamily())) {
                throw new io.dataflow.config.ConfigException("--target: '" + target + "' is not allowed; expected postgres, mariadb or mysql");
            }
        }
        SourceInspector inspector = Sources.inspector(pipeline.source());
        List<TableId> tables;
        try (Connection c = inspector.connect()) {
            tables = inspector.tables(c, pipeline.tables()).stream().map(SourceInspector.TableInfo::id).toList();
        } catch (java.sql.SQLException e) {
            throw inspector.explain(e);
        }
        Catalog sourceCatalog = io.dataflow.jdbc.Conversions.sourceCatalog(pipeline, tables);
        io.dataflow.transform.TableRules rules = pipeline.tableRules();
        io.dataflow.transform.CatalogRules.check(rules, sourceCatalog);
        Catalog catalog = io.dataflow.transform.CatalogRules.apply(rules, sourceCatalog);
        List<String> effects = io.dataflow.transform.RuleEffects.describe(rules, sourceCatalog);
        SchemaConverter.Conversion conversion;
        if (engine != null && (jdbc == null || engine != Engine.of(jdbc.jdbc().engine()))) {
            ConversionOptions options = io.dataflow.jdbc.Conversions.options(pipeline, engine, null, engine.mysqlFamily() ? pipeline.source().database() : null);
            conversion = new SchemaConverter(catalog.engine(), options).convert(catalog);
        } else {
            conversion = io.dataflow.jdbc.Conversions.forTarget(pipeline, jdbc.jdbc(), catalog);
        }
        String sql = SchemaScript.render(conversion);
        if (!effects.isEmpty()) {
            StringBuilder head = new StringBuilder("-- table rules (transform):\n");
            effects.forEach(e -> head.append("--   ").append(e).append('\n'));
            sql = head + "\n" + sql;
        }
        if (out == null) {
            console.print(sql);
        } else {
            Files.writeString(out, sql, StandardCharsets.UTF_8);
        }
        String prefix = report != null ? report : out != null ? stripExtension(out.toString()) + "-report" : "conversion-report";
        Files.writeString(Path.of(prefix + ".md"), conversion.report().toMarkdown(), StandardCharsets.UTF_8);
        Files.writeString(Path.of(prefix + ".json"), conversion.report().toJson(), StandardCharsets.UTF_8);
        var r = conversion.report();
        PrintWriter err = spec.commandLine().getErr();
        err.printf("converted %d table(s), %d column(s) (%d lossy) from %s to %s; %d object(s) not converted, %d warning(s)%n",
                conversion.tables().size(), r.columns().size(), r.lossyColumns(), r.source(), r.target(), r.notConverted().size(),
                r.warnings().size());
        err.println((out == null ? "" : "DDL: " + out + "; ") + "report: " + prefix + ".md, " + prefix + ".json");
        err.flush();
        console.flush();
        return 0;
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        int slash = name.lastIndexOf('/');
        return dot > slash ? name.substring(0, dot) : name;
    }
}
