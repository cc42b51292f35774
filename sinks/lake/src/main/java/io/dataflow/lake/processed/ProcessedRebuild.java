package io.dataflow.lake.processed;

import io.dataflow.api.ObjectStore;
import io.dataflow.api.TableId;
import io.dataflow.config.ProcessedConfig;
import io.dataflow.lake.RawZoneLayout;
import io.dataflow.lake.RawZoneReader;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.iceberg.Table;

/**
 * {@code dataflow rebuild}: folds a table's raw zone (full-load files, then change files in position order) into its
 * processed table, from the beginning. Without a point in time the table itself is rebuilt (emptied, then filled;
 * readers see it fill up again); with one ({@code --as-of}) the state as of that commit time goes into a separate
 * table {@code <table>__as_of_<yyyyMMddTHHmmssZ>} beside it, so the current table is untouched: a point-in-time restore
 * that reaches back as far as the raw zone does. Memory stays bounded: staged changes are committed every
 * {@value #COMMIT_BYTES} bytes.
 */
public final class ProcessedRebuild {
    static final long COMMIT_BYTES = 64L << 20;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** What a rebuild did. */
    public record Result(TableId table, String location, long events, int files, String position) {}

    private ProcessedRebuild() {}

    /** The table an {@code --as-of} rebuild writes. */
    public static TableId asOfTable(TableId table, Instant asOf) {
        return new TableId(table.schema(), table.table() + "__as_of_" + STAMP.format(asOf));
    }

    /**
     * Rebuilds {@code table} from the raw zone of {@code pipeline} in {@code store}.
     *
     * @param upTo     the highest position to apply (the pipeline's checkpoint: what the raw zone holds for sure)
     * @param asOf     the commit time to stop at; empty for the current state
     * @param progress receives a line per raw-zone file read
     * @throws IllegalArgumentException when the raw zone holds no file of the table
     */
    public static Result run(ObjectStore store, String root, String pipeline, ProcessedConfig config, TableId table, String upTo,
            Optional<Instant> asOf, Consumer<String> progress) throws IOException {
        return run(store, store, root, pipeline, config, table, upTo, asOf, progress);
    }

    /**
     * The same, reading the raw zone from {@code rawStore} and writing the table into {@code store} (rooted at {@code root}):
     * validation folds a lake's raw zone into a scratch folder this way.
     */
    public static Result run(ObjectStore rawStore, ObjectStore store, String root, String pipeline, ProcessedConfig config, TableId table,
            String upTo, Optional<Instant> asOf, Consumer<String> progress) throws IOException {
        RawZoneReader raw = new RawZoneReader(rawStore, pipeline);
        String dir = new RawZoneLayout(pipeline).tableDir(table);
        RawZoneReader.TableFiles files = raw.table(table)
                .orElseThrow(() -> new IllegalArgumentException("the raw zone of pipeline '" + pipeline + "' has no files of " + table
                        + " (under " + dir + "); check the table name (schema.table, as the source spells it)"));
        long asOfMicros = asOf.map(t -> Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000L))
                .orElse(Long.MAX_VALUE);
        TableId into = asOf.map(t -> asOfTable(table, t)).orElse(table);
        StoreFileIO io = new StoreFileIO(store, root);
        LakeCatalog catalog = new LakeCatalog(io, pipeline);
        if (asOf.isPresent()) {
            for (ObjectStore.ObjectInfo o : store.list(LakeCatalog.tableKey(pipeline, into) + "/")) {
                store.delete(o.key());
            }
        }
        ProcessedTable[] target = {null};
        Optional<Table> existing = asOf.isPresent() ? Optional.empty() : catalog.load(into);
        if (existing.isPresent()) {
            target[0] = new ProcessedTable(into, existing.get());
            target[0].replaysHistory();
            ProcessedZone.guard(target[0]::truncate);
        }
        long[] events = {0};
        RawZoneReader.EventConsumer apply = e -> {
            if (e.commitTimeMicros() > asOfMicros) {
                return;
            }
            if (target[0] == null) {
                target[0] = new ProcessedTable(into, ProcessedZone.create(catalog, config, into, e.schema()));
            }
            ProcessedTable t = target[0];
            ProcessedZone.guard(() -> {
                t.stage(e, e.fullLoad());
                return null;
            });
            events[0]++;
            if (t.stagedBytes() > COMMIT_BYTES) {
                ProcessedZone.guard(t::commit);
            }
        };
        int n = 0;
        for (String f : files.loadFiles()) {
            raw.read(f, apply);
            progress.accept("read " + f + " (" + events[0] + " events so far)");
            n++;
        }
        raw.replayChanges(files, "", upTo, apply);
        n += files.changeFiles().size();
        if (target[0] == null) {
            throw new IllegalArgumentException("the raw zone holds no event of " + table
                    + (asOf.isPresent() ? " committed at or before " + asOf.get() : ""));
        }
        target[0].loadDone(true);
        ProcessedTable t = target[0];
        ProcessedZone.guard(t::commit);
        progress.accept("applied " + events[0] + " events from " + n + " raw-zone files");
        return new Result(into, catalog.location(into), events[0], n, t.committedPosition());
    }
}
