package io.dataflow.cli.assess;

import io.dataflow.api.TableId;
import io.dataflow.cli.Units;
import io.dataflow.api.catalog.CatalogReader;
import io.dataflow.api.catalog.Engine;
import io.dataflow.api.catalog.SourceColumn;
import io.dataflow.api.catalog.SourceTable;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.TargetConfig;
import io.dataflow.source.SourceFamily;
import io.dataflow.source.SourceInspector;
import io.dataflow.source.Sources;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Assesses a pipeline before it runs: inventories the selected tables (row estimate, size, key, large values and their
 * largest, types that do not land exactly), checks what {@code check} checks, measures a short read to estimate the
 * full load and holds that estimate against the source's log retention, and decides GO or NO-GO.
 */
public final class Assessor {
    /**
     * Heap a row needs per byte of its largest value, measured for CDC (a 70 MB value took about 1,000 MiB through
     * Debezium's pgoutput decoder and DataFlow's batch): a value needs this many times its size in free heap.
     */
    static final int HEAP_PER_VALUE_BYTE = 16;
    /**
     * A full load costs this many times the measured read of the same bytes: the lake's encode and write (or a database
     * target's insert) run on the same cores as the read. Calibrated with {@code bench/run.sh --scenarios assess}: the
     * plain read alone estimated 0.44x (PostgreSQL) and 0.24x (MariaDB) of the measured full load of a 2M-row table.
     */
    static final double LOAD_OVER_READ = 3.0;
    /** The log must outlast this many full loads (a retry, a slow night). */
    static final double RETENTION_MARGIN = 2.0;
    /** Log growth during the load that deserves a warning when the log is kept without limit (its disk may fill). */
    static final long UNLIMITED_LOG_WARNING = 1L << 30;

    /**
     * @param sample       how long the measured read of the largest table lasts
     * @param scanTimeout  how long a scan for one column's largest value may take
     * @param heapBytes    the heap the pipeline will run with (this JVM's unless told)
     */
    public record Options(Duration sample, Duration scanTimeout, long heapBytes) {}

    private final PipelineConfig pipeline;
    private final Options options;
    private final Function<SourceInspector.Report, List<SourceInspector.Finding>> targetProblems;
    private final Consumer<String> progress;

    /** @param targetProblems what {@code check} finds wrong with the targets, each with its fix */
    public Assessor(PipelineConfig pipeline, Options options, Function<SourceInspector.Report, List<SourceInspector.Finding>> targetProblems,
            Consumer<String> progress) {
        this.pipeline = pipeline;
        this.options = options;
        this.targetProblems = targetProblems;
        this.progress = progress;
    }

    public Assessment run() throws SQLException, InterruptedException {
        long started = System.nanoTime();
        SourceFamily family = Sources.family(pipeline.source().type());
        SourceInspector inspector = family.inspector(pipeline.source());
        List<Assessment.Reason> noGo = new ArrayList<>();
        List<Assessment.Reason> warnings = new ArrayList<>();
        progress.accept("checking replication readiness ...");
        SourceInspector.Report report = inspector.check(pipeline);
        List<Assessment.Check> readiness = new ArrayList<>();
        for (SourceInspector.Finding f : report.findings()) {
            readiness.add(new Assessment.Check(f.ok(), f.what(), f.fix()));
            if (!f.ok()) {
                noGo.add(new Assessment.Reason("replication readiness: " + f.what(), f.fix()));
            }
        }
        for (SourceInspector.Finding problem : targetProblems.apply(report)) {
            readiness.add(new Assessment.Check(false, problem.what(), problem.fix()));
            noGo.add(new Assessment.Reason("target: " + problem.what(), problem.fix()));
        }
        if (report.tables().isEmpty()) {
            noGo.add(new Assessment.Reason("no table matches tables.include " + pipeline.tables().include(),
                    "fix tables.include / tables.exclude; dataflow check lists the tables"));
        }
        CatalogReader catalog = family.catalogReader(pipeline.source());
        Engine engine = catalog.engine();
        List<Assessment.TableFacts> tables = new ArrayList<>();
        List<TableId> ids = new ArrayList<>();
        Assessment.LoadEstimate load;
        try (Connection c = inspector.connect()) {
            TypeNotes types = new TypeNotes(pipeline, engine, report.tables().stream().map(SourceInspector.TableInfo::id).toList());
            for (SourceInspector.TableInfo info : report.tables()) {
                progress.accept("inventory: " + info.id());
                tables.add(facts(c, inspector, catalog, engine, types, info));
                ids.add(info.id());
            }
            load = estimate(c, inspector, tables, ids);
        }
        judgeTables(tables, noGo, warnings);
        judgeRetention(load, noGo, warnings);
        return new Assessment(pipeline.name(), report.server() + " at " + pipeline.source().where(),
                pipeline.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'), pipeline.targets().stream().map(TargetConfig::uri).toList(),
                tables, readiness, load, noGo, warnings, (System.nanoTime() - started) / 1e9);
    }

    private Assessment.TableFacts facts(Connection c, SourceInspector inspector, CatalogReader catalog, Engine engine, TypeNotes types,
            SourceInspector.TableInfo info) throws SQLException {
        SourceTable table = catalog.table(c, info.id());
        List<Assessment.Lob> lobs = new ArrayList<>();
        for (SourceColumn col : table.columns()) {
            if (LakeTypes.isLob(engine, col)) {
                OptionalLong largest = inspector.largestValue(c, info.id(), col, options.scanTimeout());
                lobs.add(new Assessment.Lob(col.name(), col.columnType(), largest.orElse(-1)));
            }
        }
        return new Assessment.TableFacts(info.id().toString(), info.estimatedRows(), inspector.sizeBytes(c, info.id()), table.applyKey(),
                lobs, types.of(table));
    }

    /** Reads the largest table for a moment and scales its rate to every table's bytes. */
    private Assessment.LoadEstimate estimate(Connection c, SourceInspector inspector, List<Assessment.TableFacts> tables, List<TableId> ids)
            throws SQLException, InterruptedException {
        long totalBytes = 0;
        Assessment.TableFacts largest = null;
        TableId largestId = null;
        for (int i = 0; i < tables.size(); i++) {
            Assessment.TableFacts t = tables.get(i);
            totalBytes += Math.max(0, t.sizeBytes());
            if (t.estimatedRows() > 0 && (largest == null || t.sizeBytes() > largest.sizeBytes())) {
                largest = t;
                largestId = ids.get(i);
            }
        }
        int readers = pipeline.fullLoad().engine() == PipelineConfig.Engine.DEBEZIUM ? 1
                : Math.min(pipeline.fullLoad().effectiveThreads(), Runtime.getRuntime().availableProcessors());
        String sampled = "";
        long rows = 0;
        double seconds = 0;
        double bytesPerSecond = 0;
        double estimated = 0;
        if (largest != null && pipeline.mode().loads()) {
            progress.accept("measuring a " + options.sample().toSeconds() + " s read of " + largest.table() + " ...");
            SourceInspector.ReadSample sample = inspector.sampleRead(c, largestId, options.sample());
            sampled = largest.table();
            rows = sample.rows();
            seconds = sample.elapsed().toNanos() / 1e9;
            double bytesPerRow = largest.sizeBytes() > 0 ? (double) largest.sizeBytes() / largest.estimatedRows() : 0;
            bytesPerSecond = sample.rowsPerSecond() * bytesPerRow;
            estimated = bytesPerSecond > 0 ? LOAD_OVER_READ * totalBytes / (bytesPerSecond * readers) : 0;
        }
        String retention = "unknown";
        long retentionSeconds = -1;
        long retentionBytes = -1;
        double logRate = -1;
        if (pipeline.mode().streams()) {
            var r = inspector.logRetention(c, pipeline);
            if (r.isPresent()) {
                retention = r.get().setting();
                retentionSeconds = r.get().maxAge() == null ? -1 : r.get().maxAge().toSeconds();
                retentionBytes = r.get().maxBytes();
            }
            progress.accept("measuring the source's change-log rate ...");
            OptionalDouble rate = inspector.logBytesPerSecond(c, Duration.ofSeconds(2));
            logRate = rate.isPresent() ? rate.getAsDouble() : -1;
        }
        return new Assessment.LoadEstimate(sampled, rows, seconds, bytesPerSecond, readers, totalBytes, estimated, retention,
                retentionSeconds, retentionBytes, logRate);
    }

    private void judgeTables(List<Assessment.TableFacts> tables, List<Assessment.Reason> noGo, List<Assessment.Reason> warnings) {
        boolean keyNeeded = pipeline.mode().streams() && pipeline.targets().stream()
                .anyMatch(t -> t.type() == TargetConfig.Type.JDBC || t.processed().enabled());
        for (Assessment.TableFacts t : tables) {
            if (t.estimatedRows() == 0 && t.sizeBytes() > 65_536) {
                warnings.add(new Assessment.Reason("table " + t.table() + " has no row statistics (" + Units.bytes(t.sizeBytes())
                        + " on disk): progress, ETA and this estimate cannot count its rows", "ANALYZE " + t.table()));
            }
            if (t.key().isEmpty()) {
                String what = "table " + t.table() + " has no primary key (nor a unique NOT NULL index)";
                if (keyNeeded) {
                    noGo.add(new Assessment.Reason(what + ": its updates and deletes cannot be applied to one row of a database "
                            + "target or the processed zone", "add a primary key to " + t.table() + ", or exclude it (tables.exclude)"));
                } else {
                    warnings.add(new Assessment.Reason(what + ": changes land in the raw zone with the whole old row (REPLICA "
                            + "IDENTITY FULL on PostgreSQL), and validation compares it as a multiset", "add a primary key if you can"));
                }
            }
            for (Assessment.Lob lob : t.lobs()) {
                long need = lob.largestBytes() * HEAP_PER_VALUE_BYTE;
                if (lob.largestBytes() < 0) {
                    warnings.add(new Assessment.Reason("the largest value of " + t.table() + "." + lob.column() + " is unknown (the scan took "
                            + "longer than " + options.scanTimeout().toSeconds() + " s)", "raise --scan-timeout to measure it"));
                } else if (need > options.heapBytes()) {
                    noGo.add(new Assessment.Reason(String.format(Locale.ROOT,
                            "%s.%s holds a value of %s: replicating it needs about %s of heap (%d x the value), more than the %s given",
                            t.table(), lob.column(), Units.bytes(lob.largestBytes()), Units.bytes(need), HEAP_PER_VALUE_BYTE, Units.bytes(options.heapBytes())),
                            "run with JAVA_OPTS=-Xmx" + (need / (1L << 30) + 1) + "g (or more), or exclude the column's table"));
                }
            }
            for (Assessment.TypeNote n : t.types()) {
                Assessment.Reason r = new Assessment.Reason(t.table() + "." + n.column() + " (" + n.type() + ") into " + n.target() + ": " + n.why(),
                        n.fidelity().equals("unsupported") ? "exclude the table, or change-type the column (database targets); "
                                + "see config/type-mapping.md" : "accept the documented loss, or change-type the column (database targets)");
                (n.fidelity().equals("unsupported") ? noGo : warnings).add(r);
            }
        }
    }

    private void judgeRetention(Assessment.LoadEstimate load, List<Assessment.Reason> noGo, List<Assessment.Reason> warnings) {
        if (!pipeline.mode().streams() || !pipeline.mode().loads()) {
            return;
        }
        double needSeconds = load.estimatedSeconds() * RETENTION_MARGIN;
        if (load.retentionSeconds() >= 0 && load.retentionSeconds() < needSeconds) {
            noGo.add(new Assessment.Reason(String.format(Locale.ROOT, "the source keeps its log %s (%s), less than %.0f x the estimated "
                    + "full load of %s: changes made during the load could be purged before they are read", Units.duration(load.retentionSeconds()),
                    load.retention(), RETENTION_MARGIN, Units.duration((long) load.estimatedSeconds())),
                    "keep the log longer than " + Units.duration((long) needSeconds) + " (binlog_expire_logs_seconds) during the migration"));
        }
        double logDuringLoad = load.logBytesPerSecond() * needSeconds;
        if (load.retentionBytes() >= 0 && load.logBytesPerSecond() > 0 && load.retentionBytes() < logDuringLoad) {
            noGo.add(new Assessment.Reason(String.format(Locale.ROOT, "the slot may keep at most %s of WAL (%s), and the source writes "
                    + "about %s during %.0f x the estimated full load", Units.bytes(load.retentionBytes()), load.retention(), Units.bytes((long) logDuringLoad),
                    RETENTION_MARGIN), "raise max_slot_wal_keep_size above " + Units.bytes((long) logDuringLoad) + ", or -1"));
        } else if (load.retentionBytes() < 0 && load.retentionSeconds() < 0 && logDuringLoad > UNLIMITED_LOG_WARNING) {
            warnings.add(new Assessment.Reason(String.format(Locale.ROOT, "the source keeps its change log until DataFlow reads it (%s): "
                    + "at the measured %s/s it grows by about %s during the estimated full load", load.retention(),
                    Units.bytes((long) load.logBytesPerSecond()), Units.bytes((long) (load.logBytesPerSecond() * load.estimatedSeconds()))),
                    "make sure the log's disk has that much room, more for a load at a busy hour"));
        }
    }
}
