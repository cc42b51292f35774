package io.dataflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflow.api.TableId;
import io.dataflow.cli.cutover.FallbackPipeline;
import io.dataflow.config.ConfigException;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.PipelineConfigReader;
import io.dataflow.config.TargetConfig;
import io.dataflow.config.Values;
import io.dataflow.source.SourceInspector;
import io.dataflow.source.Sources;
import io.dataflow.state.PipelineLease;
import io.dataflow.target.Targets;
import io.dataflow.validate.ValidationReport;
import io.dataflow.validate.Validator;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dataflow cutover}: the last gate of a migration. With the application's writes stopped, waits until the running
 * pipeline's lag is under the bound, compares every table of every target with the source row for row, and says
 * CUTOVER READY or why not; with {@code --fallback}, also writes the reverse pipeline and checks that the new database
 * can be its source.
 */
@Command(name = "cutover", mixinStandardHelpOptions = true,
        description = {"The cutover gate. Stop the application's writes to the source first; then cutover waits until the "
                + "running pipeline (found through its owner record, or --url) has streamed everything with a lag under "
                + "--max-lag, compares every table of every target with the source row for row (as dataflow validate), and "
                + "prints CUTOVER READY with the measured lag and what was compared, or NOT READY and why.",
                "--fallback FILE also writes the reverse pipeline (the new database as a CDC source, the old source as a "
                        + "target whose tables are kept) and checks that the new database can be a CDC source, so the old "
                        + "database stays current after the switch and a rollback is a connection-string change."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:CUTOVER READY", "1:NOT READY (the reason is printed)", "2:the pipeline file or the command line is wrong"})
final class CutoverCommand implements Callable<Integer> {
    /** Between the two polls that must both find everything durable: longer than the source connector's poll interval. */
    private static final long SETTLE_MILLIS = 1000;

    @Mixin
    PipelineFileOption pipelineFile;

    @Option(names = "--max-lag", defaultValue = "1s", paramLabel = "DURATION",
            description = "the lag the pipeline must be under (default ${DEFAULT-VALUE})")
    String maxLag;

    @Option(names = "--wait", defaultValue = "5m", paramLabel = "DURATION",
            description = "how long to wait for the lag to fall under the bound (default ${DEFAULT-VALUE})")
    String wait;

    @Option(names = "--url", paramLabel = "URL", description = "the running pipeline's status endpoint (default: from its owner record)")
    String url;

    @Option(names = "--fallback", paramLabel = "FILE", description = "write the reverse pipeline to FILE and check it")
    Path fallback;

    @Option(names = "--threads", defaultValue = "4", paramLabel = "N", description = "comparison threads (default ${DEFAULT-VALUE})")
    int threads;

    @Override
    public Integer call() throws Exception {
        Duration bound = Values.duration("--max-lag", new com.fasterxml.jackson.databind.node.TextNode(maxLag));
        Duration waitFor = Values.duration("--wait", new com.fasterxml.jackson.databind.node.TextNode(wait));
        if (threads < 1 || threads > 64) {
            throw new ConfigException("--threads: '" + threads + "' is out of range; expected 1..64");
        }
        PipelineConfig pipeline = pipelineFile.read();
        PrintWriter out = pipelineFile.out();
        if (!pipeline.mode().streams()) {
            throw new ConfigException("mode: '" + pipeline.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                    + "' does not stream changes; cutover gates a pipeline in mode cdc or full-load-and-cdc (validate a full load "
                    + "with dataflow validate)");
        }
        String endpoint = endpoint(pipeline);
        if (endpoint == null) {
            return notReady(out, "pipeline '" + pipeline.name() + "' is not running (no fresh owner record): start it with "
                    + "dataflow run --http-port ..., or give --url");
        }
        if (endpoint.isEmpty()) {
            return notReady(out, "pipeline '" + pipeline.name() + "' runs without a status endpoint: restart it with --http-port "
                    + "(or http.port in the pipeline file), or give --url");
        }
        out.println("cutover: waiting for pipeline '" + pipeline.name() + "' to stream everything with a lag under " + bound.toMillis()
                + " ms (" + endpoint + ") ...");
        out.flush();
        long deadline = System.nanoTime() + waitFor.toNanos();
        JsonNode status = null;
        String why = "";
        int settled = 0; // consecutive polls that found everything durable within the bound
        while (true) {
            boolean durable = false;
            Object s = StatusCommand.instance(endpoint);
            if (s instanceof JsonNode node) {
                status = node;
                long lag = node.path("lagMillis").asLong(-1);
                long pending = node.path("pendingChanges").asLong(-1);
                if (!node.path("fullLoadDone").asBoolean()) {
                    why = "the full load is not done (" + node.path("fullLoad").path("rows").asLong() + " rows so far)";
                } else if (!node.path("phase").asText().equals("streaming")) {
                    why = "the pipeline is " + node.path("phase").asText() + ", not streaming";
                } else if (lag < 0 || lag > bound.toMillis()) {
                    why = "the lag is " + (lag < 0 ? "not measured yet" : lag + " ms") + ", above " + bound.toMillis() + " ms";
                } else if (pending != 0) {
                    why = pending + " change(s) received are not durable yet";
                } else {
                    durable = true;
                    why = "everything was durable at one poll, not yet confirmed by the next";
                }
            } else {
                why = "the pipeline's status cannot be read: " + s;
            }
            settled = durable ? settled + 1 : 0;
            // twice, a poll apart: a change the source sent just before the first poll has arrived by the second
            if (settled >= 2) {
                break;
            }
            if (System.nanoTime() > deadline) {
                return notReady(out, why + " after waiting " + waitFor.toSeconds() + " s; are the application's writes stopped?");
            }
            Thread.sleep(settled > 0 ? SETTLE_MILLIS : 500);
        }
        long lag = status.path("lagMillis").asLong();
        out.println("cutover: lag " + lag + " ms (bound " + bound.toMillis() + " ms), " + status.path("changes").size()
                + " table(s) with changes; comparing every table of every target with the source ...");
        out.flush();
        ValidationReport report = new ValidationReport(new Validator(pipeline, new Validator.Options(List.of(), threads, 20), line -> { }).run());
        out.print(report.text());
        List<String> problems = new ArrayList<>();
        if (!report.equal()) {
            problems.add("the targets differ from the source (see above): something changed a target behind the pipeline's back, or "
                    + "the application still writes");
        }
        if (fallback != null) {
            problems.addAll(writeFallback(pipeline, out));
        }
        if (!problems.isEmpty()) {
            return notReady(out, String.join("; ", problems));
        }
        long rows = report.tables().stream().mapToLong(t -> t.compared()).sum();
        out.println("CUTOVER READY: lag " + lag + " ms (bound " + bound.toMillis() + " ms); " + report.tables().size()
                + " table comparison(s), " + rows + " row(s) compared row for row across " + pipeline.targets().size() + " target(s): equal"
                + (fallback == null ? "" : "; fallback pipeline " + fallback + " checked"));
        out.println("next: point the application at the new database" + (fallback == null ? "" : ", start the fallback (dataflow run "
                + "--config " + fallback + ")") + ", stop this pipeline, and drop what it keeps on the old source (dataflow cleanup --config ...)");
        out.flush();
        return 0;
    }

    /** The running instance's endpoint; "" when it runs without one; null when it does not run. */
    private String endpoint(PipelineConfig pipeline) throws Exception {
        if (url != null) {
            return url;
        }
        Optional<PipelineLease.Owner> owner;
        try (var store = Targets.stateStore(pipeline)) {
            owner = PipelineLease.owner(store, pipeline.name());
        }
        if (owner.isEmpty() || owner.get().stale(System.currentTimeMillis())) {
            return null;
        }
        return owner.get().endpoint();
    }

    /** Writes the reverse pipeline and checks it as dataflow check would; returns what is wrong. */
    private List<String> writeFallback(PipelineConfig pipeline, PrintWriter out) throws Exception {
        List<TargetConfig> databases = pipeline.targets().stream().filter(t -> t.type() == TargetConfig.Type.JDBC).toList();
        if (databases.size() != 1) {
            return List.of("--fallback needs exactly one database target (jdbc) to become the new source; this pipeline has "
                    + databases.size());
        }
        TargetConfig target = databases.get(0);
        List<TableId> tables;
        SourceInspector forward = Sources.inspector(pipeline.source());
        try (var c = forward.connect()) {
            tables = forward.tables(c, pipeline.tables()).stream().map(SourceInspector.TableInfo::id).toList();
        }
        var conversion = io.dataflow.jdbc.Conversions.forTarget(pipeline, target.jdbc(), io.dataflow.jdbc.Conversions.catalog(pipeline, tables));
        FallbackPipeline.Result r = FallbackPipeline.of(pipeline, target.jdbc(), conversion);
        Files.writeString(fallback, r.yaml(), StandardCharsets.UTF_8);
        out.println("fallback: wrote " + fallback + (r.yaml().contains("${env:") ? " (it reads passwords from $"
                + FallbackPipeline.SOURCE_PASSWORD_ENV + " and $" + FallbackPipeline.TARGET_PASSWORD_ENV + ")" : ""));
        List<String> problems = new ArrayList<>(r.problems());
        PipelineConfig reverse;
        try {
            reverse = new PipelineConfigReader().read(fallback);
        } catch (ConfigException e) {
            problems.add("the fallback pipeline cannot be read: " + e.getMessage());
            return problems;
        }
        SourceInspector.Report check = Sources.inspector(reverse.source()).check(reverse);
        out.println("fallback: the new database as a CDC source: " + check.server());
        for (SourceInspector.Finding f : check.findings()) {
            out.println((f.ok() ? "  ok    " : "  FAIL  ") + f.what() + (f.ok() ? "" : "\n        -> " + f.fix()));
            if (!f.ok()) {
                problems.add("the new database cannot be the fallback's CDC source: " + f.what() + " (" + f.fix() + ")");
            }
        }
        if (check.tables().size() != tables.size()) {
            problems.add("the fallback selects " + check.tables().size() + " table(s) on the new database, the pipeline moved " + tables.size());
        }
        for (SourceInspector.Finding p : CheckCommand.targetProblems(reverse, check)) {
            problems.add("the old source as the fallback's target: " + p.what() + " (" + p.fix() + ")");
        }
        out.flush();
        return problems;
    }

    private static int notReady(PrintWriter out, String why) {
        out.println("NOT READY: " + why);
        out.flush();
        return Main.EXIT_FAILED;
    }
}
