package io.dataflow.cli;

import io.dataflow.api.Checkpoint;
import io.dataflow.api.ObjectStore;
import io.dataflow.api.TableId;
import io.dataflow.config.ConfigException;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.TargetConfig;
import io.dataflow.lake.processed.ProcessedRebuild;
import io.dataflow.lake.processed.ProcessedTables;
import io.dataflow.runtime.PipelineException;
import io.dataflow.state.CheckpointStore;
import io.dataflow.state.PipelineLease;
import io.dataflow.storage.ObjectStores;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dataflow rebuild}: rebuilds a table of the processed zone from the raw zone, optionally as of a past time (into
 * a separate table). Refuses while the pipeline runs.
 */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = {"Rebuilds a processed-zone (Iceberg) table from the raw zone. With --as-of, writes the table as it was at "
                + "that time into <table>__as_of_<time> beside it (point-in-time restore, as far back as the raw zone goes). "
                + "Refuses while the pipeline runs."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:rebuilt", "1:the pipeline is running, or reading or writing the lake failed",
                "2:the pipeline file or an option is wrong (no processed zone, unknown table, bad time)"})
final class RebuildCommand implements Callable<Integer> {
    @Mixin
    PipelineFileOption pipelineFile;

    @Option(names = "--table", required = true, paramLabel = "SCHEMA.TABLE", description = "the source table, e.g. public.orders")
    String table;

    @Option(names = "--as-of", paramLabel = "TIME",
            description = "an ISO-8601 instant, e.g. 2026-11-20T10:00:00Z: the state after every change committed at or before it")
    String asOf;

    @Override
    public Integer call() throws Exception {
        PipelineConfig pipeline = pipelineFile.read();
        PrintWriter out = pipelineFile.out();
        TableId id;
        try {
            id = TableId.parse(table);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--table: '" + table + "' is not schema.table");
        }
        Optional<Instant> when = Optional.empty();
        if (asOf != null) {
            try {
                when = Optional.of(Instant.parse(asOf));
            } catch (DateTimeParseException e) {
                throw new ConfigException("--as-of: '" + asOf + "' is not an ISO-8601 instant; expected e.g. 2026-11-20T10:00:00Z");
            }
        }
        TargetConfig target = pipeline.targets().stream().filter(t -> t.processed().enabled()).findFirst()
                .orElseThrow(() -> new ConfigException("targets: no lake target has a processed zone; add processed: {enabled: true}"));
        try (ObjectStore state = io.dataflow.target.Targets.stateStore(pipeline); ObjectStore lake = ObjectStores.open(target.uri(), target.s3())) {
            PipelineLease lease;
            try {
                lease = PipelineLease.acquire(state, pipeline.name());
            } catch (PipelineLease.HeldException e) {
                throw new PipelineException(e.getMessage(), null);
            }
            try (lease) {
                Checkpoint checkpoint = new CheckpointStore(state, pipeline.name()).load();
                ProcessedRebuild.Result r;
                try {
                    r = ProcessedRebuild.run(lake, ProcessedTables.root(target), pipeline.name(), target.processed(), id,
                            checkpoint.position(), when, line -> {
                                out.println("  " + line);
                                out.flush();
                            });
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("--table: " + e.getMessage());
                }
                out.println("rebuilt " + r.table() + " from " + r.events() + " raw-zone events in " + r.files() + " files"
                        + when.map(t -> " as of " + t).orElse("") + ": " + r.location());
                out.println("query it, e.g. with Spark: spark.read.format(\"iceberg\").load(\"" + r.location() + "\")");
            }
        }
        return 0;
    }
}
