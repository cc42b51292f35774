package io.dataflow.cli;

import io.dataflow.api.TableId;
import io.dataflow.config.ConfigException;
import io.dataflow.config.PipelineConfig;
import io.dataflow.source.SourceInspector;
import io.dataflow.source.Sources;
import io.dataflow.source.debezium.SignalTable;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dataflow reload}: asks the running pipeline to read tables again while changes keep flowing, by writing a
 * signal row into the source's signal table; the change stream carries it to the pipeline.
 */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = {"Reads tables again into the running pipeline's targets while changes keep flowing (AWS DMS's \"reload table\"): "
                + "a database target empties the table at that point of the change stream and receives every row again; the lake "
                + "appends the rows read again. The source is read in chunks between watermarks in its change log, so rows changed "
                + "meanwhile are never overwritten by older reads. The request is a row in the source's signal table "
                + "(source.signal-table, created by run): a pipeline that is stopped acts on it when it starts."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:requested", "1:the source refused the request (connection, rights, no signal table yet)",
                "2:the pipeline file or an option is wrong (unknown table, a source without signals)"})
final class ReloadCommand implements Callable<Integer> {
    @Mixin
    PipelineFileOption pipelineFile;

    @Option(names = "--table", required = true, paramLabel = "SCHEMA.TABLE",
            description = "a source table of the pipeline, e.g. public.orders; repeat for several")
    List<String> tableNames;

    @Override
    public Integer call() throws Exception {
        PipelineConfig pipeline = pipelineFile.read();
        PrintWriter out = pipelineFile.out();
        TableId signal = pipeline.source().signalTable().orElseThrow(() -> new ConfigException("source: "
                + pipeline.source().type().name().toLowerCase(java.util.Locale.ROOT) + " sources "
                + (pipeline.source().type().binlog() || pipeline.source().type() == io.dataflow.config.SourceConfig.Type.POSTGRES
                        ? "with signal-table: none " : "") + "take no reload requests"));
        if (!pipeline.mode().streams()) {
            throw new ConfigException("mode: full-load pipelines do not stream, so there is nothing to reload into; run the pipeline again");
        }
        List<TableId> requested = new ArrayList<>();
        for (String name : tableNames) {
            try {
                requested.add(TableId.parse(name));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--table: '" + name + "' is not schema.table");
            }
        }
        SourceInspector inspector = Sources.inspector(pipeline.source());
        try (Connection c = inspector.connect()) {
            List<TableId> selected = inspector.tables(c, pipeline.tables()).stream().map(SourceInspector.TableInfo::id).toList();
            for (TableId t : requested) {
                if (!selected.contains(t)) {
                    throw new ConfigException("--table: " + t + " is not a table of pipeline " + pipeline.name() + " (its rules select "
                            + selected.size() + " table(s)" + (selected.isEmpty() ? "" : ", e.g. " + selected.get(0)) + ")");
                }
            }
            String id;
            try {
                id = SignalTable.requestReload(c, pipeline.source(), signal, requested);
            } catch (SQLException e) {
                throw new io.dataflow.runtime.PipelineException("cannot write the reload request into " + signal + " (" + e.getMessage()
                        + "); run must have created it (or: " + SignalTable.createStatement(pipeline.source(), signal)
                        + "), and this user needs INSERT on it", e);
            }
            out.printf("requested a reload of %s (signal %s in %s)%n", String.join(", ", requested.stream().map(TableId::toString).toList()),
                    id, signal);
            out.println("the running pipeline reads the table(s) again in chunks while changes continue; follow it on the status page, "
                    + "with dataflow status, or in the log (\"reload of ...\")");
            return 0;
        } catch (SQLException e) {
            throw inspector.explain(e);
        }
    }
}
