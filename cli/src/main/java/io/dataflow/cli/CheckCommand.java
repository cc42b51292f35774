package io.dataflow.cli;

import io.dataflow.config.PipelineConfig;
import io.dataflow.config.TargetConfig;
import io.dataflow.source.SourceInspector;
import io.dataflow.source.Sources;
import io.dataflow.api.ObjectStore;
import io.dataflow.storage.ObjectStores;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code dataflow check}: validates the pipeline file and what the source and the lake offer. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Validates the pipeline file, connects to the source and the targets, and reports what would "
                + "stop replication: wal_level or the binlog, replication rights, slots, tables found, tables without primary key; "
                + "lake write/read/list/delete; database targets' connection, state schema, conversion and table-prep."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ready to run", "1:a problem was found (each is printed with what to do)",
                "2:the pipeline file is wrong"})
final class CheckCommand implements Callable<Integer> {
    @Mixin
    PipelineFileOption pipelineFile;

    @Override
    public Integer call() throws Exception {
        PipelineConfig pipeline = pipelineFile.read();
        PrintWriter out = pipelineFile.out();
        out.println("pipeline file: ok (" + pipeline.name() + ", mode " + pipeline.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ")");
        int problems = 0;
        SourceInspector.Report r = Sources.inspector(pipeline.source()).check(pipeline);
        out.println("source: " + r.server() + " at " + pipeline.source());
        for (SourceInspector.Finding f : r.findings()) {
            problems += line(out, f.ok(), f.what(), f.fix());
        }
        problems += line(out, !r.tables().isEmpty(), r.tables().size() + " table(s) selected",
                "no table matches tables.include " + pipeline.tables().include() + " minus exclude " + pipeline.tables().exclude());
        for (SourceInspector.TableInfo t : r.tables()) {
            String pk = t.primaryKey().isEmpty() ? "no primary key" : "primary key (" + String.join(", ", t.primaryKey()) + ")";
            boolean ok = true; // tables without primary key get REPLICA IDENTITY FULL from run; shown as a warning
            String what = "  " + t.id() + ": ~" + t.estimatedRows() + " rows, " + pk;
            if (ok && !t.fix().isEmpty()) {
                out.println("  warn  " + what + "\n        -> " + t.fix());
            } else {
                problems += line(out, ok, what, t.fix());
            }
        }
        problems += rules(out, pipeline, r);
        for (SourceInspector.Finding f : targetFindings(pipeline, r)) {
            problems += line(out, f.ok(), f.what(), f.fix());
        }
        out.println(problems == 0 ? "ready" : problems + " problem(s) found");
        out.flush();
        return problems == 0 ? 0 : Main.EXIT_FAILED;
    }

    /** What the target checks find, in order, met or not, each failure with its fix. */
    /** The table rules against the source catalog: each rule checked, and what they make of each table. */
    private static int rules(PrintWriter out, PipelineConfig pipeline, SourceInspector.Report source) {
        io.dataflow.transform.TableRules rules = pipeline.tableRules();
        if (rules.isEmpty() || source.tables().isEmpty() || !Sources.family(pipeline.source().type()).hasSqlCatalog()) {
            return 0;
        }
        io.dataflow.api.catalog.Catalog catalog;
        try {
            catalog = io.dataflow.jdbc.Conversions.sourceCatalog(pipeline, source.tables().stream().map(SourceInspector.TableInfo::id).toList());
            io.dataflow.transform.CatalogRules.check(rules, catalog);
        } catch (Exception e) {
            return line(out, false, "table rules: " + e.getMessage(), "fix the transform list (or the DMS table mapping) of the pipeline file");
        }
        int problems = line(out, true, "table rules: " + rules.rules().size() + " rule(s) apply", "");
        for (String effect : io.dataflow.transform.RuleEffects.describe(rules, catalog)) {
            out.println("        " + effect);
        }
        return problems;
    }

    static List<SourceInspector.Finding> targetFindings(PipelineConfig pipeline, SourceInspector.Report source) {
        List<SourceInspector.Finding> found = new java.util.ArrayList<>();
        for (TargetConfig target : pipeline.targets()) {
            if (target.type() == TargetConfig.Type.JDBC) {
                checkDatabase(found, pipeline, source, target);
            } else {
                checkLake(found, target);
            }
        }
        return found;
    }

    /** The target checks that failed. */
    static List<SourceInspector.Finding> targetProblems(PipelineConfig pipeline, SourceInspector.Report source) {
        return targetFindings(pipeline, source).stream().filter(f -> !f.ok()).toList();
    }

    /**
     * A database target: connects, keeps state in its _dataflow schema (a probe object), converts the selected
     * tables and checks them against table-prep.
     */
    private static void checkDatabase(List<SourceInspector.Finding> out, PipelineConfig pipeline, SourceInspector.Report source,
            TargetConfig target) {
        io.dataflow.jdbc.TargetConnections connections = new io.dataflow.jdbc.TargetConnections(target.jdbc());
        String where = "database target " + target.jdbc();
        try (java.sql.Connection c = connections.open()) {
            ok(out, where + ": connected (" + c.getMetaData().getDatabaseProductName() + " "
                    + c.getMetaData().getDatabaseProductVersion() + ")");
        } catch (java.sql.SQLException e) {
            fail(out, where + ": cannot connect (" + e.getMessage() + ")",
                    "check url, user and password, and that the server accepts connections from this host");
            return;
        }
        try (ObjectStore store = new io.dataflow.jdbc.JdbcObjectStore(connections)) {
            String probe = "_state/dataflow-check-" + ProcessHandle.current().pid() + ".probe";
            store.put(probe, "probe".getBytes(StandardCharsets.UTF_8));
            store.delete(probe);
            ok(out, where + ": state in schema _dataflow (create, write, delete)");
        } catch (Exception e) {
            fail(out, where + ": cannot keep state in schema _dataflow (" + e.getMessage() + ")",
                    "grant the user the right to create the schema (PostgreSQL) or database (MariaDB) _dataflow and tables in it");
        }
        try {
            List<io.dataflow.api.TableId> tables = source.tables().stream().map(SourceInspector.TableInfo::id).toList();
            io.dataflow.convert.SchemaConverter.Conversion conversion = io.dataflow.jdbc.Conversions.forTarget(pipeline, target.jdbc(),
                    io.dataflow.jdbc.Conversions.catalog(pipeline, tables));
            var rep = conversion.report();
            ok(out, where + ": " + conversion.tables().size() + " table(s) convert, " + rep.columns().size() + " column(s), "
                    + rep.lossyColumns() + " lossy; " + rep.notConverted().size() + " object(s) not converted (details: dataflow convert)");
            List<String> prep;
            try (java.sql.Connection c = connections.open()) {
                prep = new io.dataflow.jdbc.TargetTables(pipeline.name(), connections.engine(), conversion, target.jdbc().tablePrep())
                        .problems(c);
            }
            for (String p : prep) {
                fail(out, where + ": " + p, "fix the target or change table-prep");
            }
        } catch (Exception e) {
            fail(out, where + ": " + e.getMessage(), "see dataflow convert --config ... for the conversion");
        }
    }

    /** Writes, reads, lists and deletes a probe object; names the permission that is missing. */
    private static void checkLake(List<SourceInspector.Finding> out, TargetConfig target) {
        String probe = "_state/dataflow-check-" + ProcessHandle.current().pid() + ".probe";
        byte[] content = "probe".getBytes(StandardCharsets.UTF_8);
        try (ObjectStore store = ObjectStores.open(target.uri(), target.s3())) {
            String where = store.describe();
            String object = store instanceof io.dataflow.storage.s3.S3ObjectStore s3 ? s3.arn(probe) : where + "/" + probe;
            String bucket = object.replaceFirst("^(arn:aws:s3:::[^/]+)/.*$", "$1");
            int problems = 0;
            problems += step(out, "write", "s3:PutObject", object, () -> store.put(probe, content));
            problems += step(out, "read", "s3:GetObject", object, () -> {
                if (!store.get(probe).map(b -> java.util.Arrays.equals(b, content)).orElse(false)) {
                    throw new java.io.IOException("the probe object read back differs from what was written");
                }
            });
            problems += step(out, "list", "s3:ListBucket", bucket, () -> {
                if (store.list("_state/").stream().noneMatch(o -> o.key().equals(probe))) {
                    throw new java.io.IOException("the probe object is not listed");
                }
            });
            problems += step(out, "delete", "s3:DeleteObject", object, () -> store.delete(probe));
            if (problems == 0) {
                ok(out, "lake " + where + ": write, read, list, delete");
            }
        } catch (Exception e) {
            fail(out, "lake " + target.uri(), "cannot open it (" + e.getMessage() + ")");
        }
    }

    private interface Probe {
        void run() throws Exception;
    }

    private static int step(List<SourceInspector.Finding> out, String what, String permission, String resource, Probe probe) {
        try {
            probe.run();
            return 0;
        } catch (io.dataflow.api.StorageException e) {
            boolean denied = e.getMessage() != null && e.getMessage().contains("access denied");
            return fail(out, "lake " + what + ": " + e.getMessage(), denied
                    ? "grant " + permission + " on " + resource + " to the credentials DataFlow uses"
                    : "check the target uri, the endpoint and the network");
        } catch (Exception e) {
            return fail(out, "lake " + what + ": " + e.getMessage(), "check the lake location and its permissions");
        }
    }

    private static void ok(List<SourceInspector.Finding> out, String what) {
        out.add(new SourceInspector.Finding(true, what, ""));
    }

    /** Records a failed check; returns 1, to be counted. */
    private static int fail(List<SourceInspector.Finding> out, String what, String fix) {
        out.add(new SourceInspector.Finding(false, what, fix));
        return 1;
    }

    private static int line(PrintWriter out, boolean ok, String what, String fix) {
        out.println((ok ? "  ok    " : "  FAIL  ") + what + (ok ? "" : "\n        -> " + fix));
        return ok ? 0 : 1;
    }
}
