package io.dataflow.cli;

import io.dataflow.cli.assess.Assessment;
import io.dataflow.cli.assess.AssessmentReport;
import io.dataflow.cli.assess.Assessor;
import io.dataflow.config.ConfigException;
import io.dataflow.config.PipelineConfig;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dataflow assess}: GO / NO-GO before a migration, with the reasons and their fixes. */
@Command(name = "assess", mixinStandardHelpOptions = true,
        description = {"Assesses a migration before it runs and decides GO or NO-GO: inventories the selected tables (row "
                + "estimate, size, key, large-value columns and their largest value, types that convert lossily or not at all "
                + "for the pipeline's targets), checks replication readiness (what check tests), measures a short read to "
                + "estimate the full-load duration, and holds it against the source's WAL / binlog retention.",
                "Prints Markdown; --report and --json write it to files. Reads the source only (the scans for largest values "
                        + "are bounded by --scan-timeout)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:GO", "1:NO-GO (each reason is printed with its fix), or the source could not be read",
                "2:the pipeline file or the command line is wrong"})
final class AssessCommand implements Callable<Integer> {
    @Mixin
    PipelineFileOption pipelineFile;

    @Option(names = "--report", paramLabel = "FILE", description = "also write the Markdown report to FILE")
    Path report;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the assessment as JSON to FILE")
    Path json;

    @Option(names = "--sample-seconds", defaultValue = "5", paramLabel = "N",
            description = "how long the measured read of the largest table lasts (default ${DEFAULT-VALUE})")
    long sampleSeconds;

    @Option(names = "--scan-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "how long the scan for one column's largest value may take (default ${DEFAULT-VALUE})")
    long scanTimeout;

    @Option(names = "--heap", paramLabel = "SIZE",
            description = "the heap 'run' will have, e.g. 2g or 512m (default: this JVM's, as set by JAVA_OPTS=-Xmx...)")
    String heap;

    @Override
    public Integer call() throws Exception {
        if (sampleSeconds < 1 || sampleSeconds > 600) {
            throw new ConfigException("--sample-seconds: '" + sampleSeconds + "' is out of range; expected 1..600");
        }
        if (scanTimeout < 1) {
            throw new ConfigException("--scan-timeout: '" + scanTimeout + "' is out of range; expected 1 or more seconds");
        }
        long heapBytes = heap == null ? Runtime.getRuntime().maxMemory() : parseHeap(heap);
        PipelineConfig pipeline = pipelineFile.read();
        PrintWriter out = pipelineFile.out();
        PrintWriter err = pipelineFile.command.commandLine().getErr();
        Assessment a = new Assessor(pipeline, new Assessor.Options(Duration.ofSeconds(sampleSeconds), Duration.ofSeconds(scanTimeout), heapBytes),
                source -> CheckCommand.targetProblems(pipeline, source), line -> {
                    err.println("assess: " + line);
                    err.flush();
                }).run();
        AssessmentReport r = new AssessmentReport(a);
        String md = r.markdown();
        out.print(md);
        out.flush();
        if (report != null) {
            Files.writeString(report, md, StandardCharsets.UTF_8);
        }
        if (json != null) {
            Files.writeString(json, r.json(), StandardCharsets.UTF_8);
        }
        return a.go() ? 0 : Main.EXIT_FAILED;
    }

    static long parseHeap(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)(\\d{1,6})([kmg])").matcher(text.trim());
        if (!m.matches()) {
            throw new ConfigException("--heap: '" + text + "' is not a heap size; expected e.g. 512m or 2g");
        }
        long n = Long.parseLong(m.group(1));
        return n << switch (Character.toLowerCase(m.group(2).charAt(0))) {
            case 'k' -> 10;
            case 'm' -> 20;
            default -> 30;
        };
    }
}
