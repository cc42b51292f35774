package io.dataflow.validate;

import io.dataflow.api.ObjectStore;
import io.dataflow.api.TableId;
import io.dataflow.api.catalog.Catalog;
import io.dataflow.api.catalog.SourceColumn;
import io.dataflow.api.catalog.SourceTable;
import io.dataflow.config.ConfigException;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.config.TargetConfig;
import io.dataflow.convert.SchemaConverter;
import io.dataflow.convert.TargetTable;
import io.dataflow.jdbc.Conversions;
import io.dataflow.jdbc.TargetConnections;
import io.dataflow.lake.processed.ProcessedTables;
import io.dataflow.source.SourceFamily;
import io.dataflow.source.SourceInspector;
import io.dataflow.source.Sources;
import io.dataflow.storage.ObjectStores;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.iceberg.Table;

/**
 * {@code dataflow validate}: compares every selected source table with each target of the pipeline — a database target,
 * the lake's processed zone — row by row, in parallel over key ranges, each side streamed once in key order.
 */
public final class Validator {
    private static final Set<String> INTEGER_TYPES = Set.of("smallint", "integer", "int", "bigint", "int2", "int4", "int8", "tinyint",
            "mediumint", "serial", "bigserial", "smallserial");
    private static final Set<String> TEXT_TYPES = Set.of("char", "varchar", "text", "bpchar", "character", "character varying", "citext",
            "nvarchar", "nchar", "tinytext", "mediumtext", "longtext", "name", "enum", "set");
    /** Rows of a key range an in-memory side (the processed zone) holds at once. */
    static final long ROWS_PER_MEMORY_RANGE = 200_000;
    /** Keys of a key range checksummed in both databases (at most 4,096 ranges). */
    static final long KEYS_PER_CHECKSUM_RANGE = 16_384;

    /**
     * What to compare.
     *
     * @param tables   source tables to compare ({@code schema.table}); empty for every table the pipeline selects
     * @param threads  key ranges compared at once
     * @param maxDiffs differences reported per table
     */
    public record Options(List<String> tables, int threads, int maxDiffs, Checksums checksums) {
        public Options(List<String> tables, int threads, int maxDiffs) {
            this(tables, threads, maxDiffs, Checksums.AUTO);
        }
    }

    /** When key ranges are checksummed inside both databases instead of read. */
    public enum Checksums {
        /**
         * Between PostgreSQL databases always (hashing a row there costs less than sending it); across engines when a
         * database is on another host (the checksums save moving every row over the network), not when both are on
         * this one (there, hashing each row's text in both databases costs more CPU than reading the rows).
         */
        AUTO,
        /** Whenever both sides can compute the same checksum. */
        ALWAYS,
        /** Never: every row is read from both sides. */
        NEVER
    }

    private final PipelineConfig pipeline;
    /**
     * The pipeline's table rules: each target table is found under its rules' name, columns by their target names;
     * removed, masked and added columns are left out of the comparison, and the source is read through the filter.
     */
    private final io.dataflow.transform.TableRules rules;
    private final Options options;
    private final Consumer<String> progress;
    /** Whether the source database runs on this host (checked once). */
    private final boolean sourceLocal;

    /** Whether a host name is this machine (loopback or one of its addresses). */
    static boolean onThisHost(String host) {
        try {
            java.net.InetAddress a = java.net.InetAddress.getByName(host);
            return a.isLoopbackAddress() || a.isAnyLocalAddress() || java.net.NetworkInterface.getByInetAddress(a) != null;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Runs the target's half of a range's checksums, one thread per range compared at once. */
    private ExecutorService targetWork;

    public Validator(PipelineConfig pipeline, Options options, Consumer<String> progress) {
        this.pipeline = pipeline;
        this.rules = pipeline.tableRules();
        this.options = options;
        this.progress = progress;
        this.sourceLocal = onThisHost(pipeline.source().host());
    }

    /** Compares every selected table with every target; a table that cannot be read is reported with its error. */
    public List<TableResult> run() throws Exception {
        SourceConfig source = pipeline.source();
        SourceFamily family = Sources.family(source.type());
        SourceInspector inspector = family.inspector(source);
        List<TableId> ids;
        Catalog catalog;
        try (Connection c = inspector.connect()) {
            List<TableId> selected = inspector.tables(c, pipeline.tables()).stream().map(SourceInspector.TableInfo::id).toList();
            ids = selected;
            if (!options.tables().isEmpty()) {
                List<TableId> chosen = new ArrayList<>();
                for (String t : options.tables()) {
                    TableId id = selected.stream().filter(i -> i.toString().equals(t)).findFirst().orElseThrow(() -> new ConfigException(
                            "--tables: '" + t + "' is not a table the pipeline replicates; it replicates " + selected));
                    chosen.add(id);
                }
                ids = chosen;
            }
            catalog = family.catalogReader(source).read(c, ids);
        } catch (java.sql.SQLException e) {
            throw inspector.explain(e);
        }
        boolean sourcePostgres = source.type() == SourceConfig.Type.POSTGRES;
        JdbcSide.Connector sourceConnector = inspector::connect;
        String sourceName = source.type().name().toLowerCase(Locale.ROOT) + " " + source.host() + ":" + source.port() + "/" + source.database();
        List<TableResult> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.threads()), r -> {
            Thread t = new Thread(r, "dataflow-validate");
            t.setDaemon(true);
            return t;
        });
        targetWork = Executors.newFixedThreadPool(Math.max(1, options.threads()), r -> {
            Thread t = new Thread(r, "dataflow-validate-target");
            t.setDaemon(true);
            return t;
        });
        try {
            for (TargetConfig target : pipeline.targets()) {
                Target t = target(target, catalog);
                for (TableId id : ids) {
                    SourceTable table = catalog.table(id).orElseThrow();
                    results.add(compareTable(pool, table, sourceConnector, sourcePostgres, sourceName, t));
                }
                t.close();
            }
        } finally {
            pool.shutdownNow();
            targetWork.shutdownNow();
        }
        return results;
    }

    /** A target's tables, as sides to compare with. */
    private interface Target extends AutoCloseable {
        String describe();

        /** Whether its database runs on this host (no network between it and the validator). */
        default boolean local() {
            return false;
        }

        /** The side of a source table, with the columns compared; empty with the reason when it cannot be compared. */
        Optional<TableSide> side(SourceTable table, Columns[] columns, StringBuilder why) throws Exception;

        /** Whether the side holds a key range in memory (ranges are then sized by rows). */
        boolean inMemory();

        @Override
        void close() throws Exception;
    }

    private Target target(TargetConfig target, Catalog catalog) throws Exception {
        if (target.type() == TargetConfig.Type.JDBC) {
            SchemaConverter.Conversion conversion = Conversions.forTarget(pipeline, target.jdbc(),
                    io.dataflow.transform.CatalogRules.apply(rules, catalog));
            TargetConnections connections = new TargetConnections(target.jdbc());
            boolean postgres = !connections.engine().mysqlFamily();
            String name = "database " + target.jdbc().url().replaceAll("[?;].*$", "");
            java.util.regex.Matcher host = java.util.regex.Pattern.compile("^jdbc:[a-z]+://\\[?([^/:?;\\]]+)").matcher(target.jdbc().url());
            boolean local = host.find() && onThisHost(host.group(1));
            return new Target() {
                @Override
                public String describe() {
                    return name;
                }

                @Override
                public boolean local() {
                    return local;
                }

                @Override
                public Optional<TableSide> side(SourceTable table, Columns[] columns, StringBuilder why) {
                    Optional<TargetTable> tt = conversion.bySource(rules.target(table.id()));
                    if (tt.isEmpty()) {
                        why.append("the conversion for this target has no table for it");
                        return Optional.empty();
                    }
                    columns[0] = columns(table, c -> targetColumn(table, c).flatMap(n -> tt.get().bySourceName(n))
                            .map(TargetTable.TargetColumn::name));
                    return Optional.of(new JdbcSide(connections::open, postgres, tt.get().id(), columns[0].target(), columns[0], name));
                }

                @Override
                public boolean inMemory() {
                    return false;
                }

                @Override
                public void close() {}
            };
        }
        if (!target.processed().enabled()) {
            return rawZone(target);
        }
        ObjectStore store = ObjectStores.open(target.uri(), target.s3());
        return new Target() {
            @Override
            public String describe() {
                return "processed zone of " + target.uri();
            }

            @Override
            public Optional<TableSide> side(SourceTable table, Columns[] columns, StringBuilder why) {
                Optional<Table> t = ProcessedTables.open(store, pipeline, target, rules.target(table.id()));
                if (t.isEmpty()) {
                    why.append("the processed zone has no table for it yet");
                    return Optional.empty();
                }
                columns[0] = columns(table, c -> targetColumn(table, c).filter(n -> t.get().schema().findField(n) != null));
                return Optional.of(new IcebergSide(t.get(), columns[0]));
            }

            @Override
            public boolean inMemory() {
                return true;
            }

            @Override
            public void close() throws Exception {
                store.close();
            }
        };
    }

    /**
     * The columns rows are ordered and matched by: the primary key (or a unique NOT NULL key); for a table without one,
     * every column both engines order alike (not JSON, arrays, geometry), so the table is compared as a multiset: equal
     * rows pair up one to one and a surplus copy on either side is reported as missing or extra.
     */
    static List<String> sortKey(SourceTable table) {
        if (!table.applyKey().isEmpty()) {
            return table.applyKey();
        }
        List<String> all = new ArrayList<>();
        for (SourceColumn c : table.columns()) {
            String t = c.dataType().toLowerCase(Locale.ROOT);
            if (ValueForm.hint(t) != ValueForm.Hint.JSON && !t.startsWith("_") && !t.contains("[]") && !t.equals("array")
                    && !Set.of("geometry", "point", "linestring", "polygon", "xml", "money").contains(t)) {
                all.add(c.name());
            }
        }
        return all;
    }

    /**
     * A lake without a processed zone: each table's raw zone (full-load files, then changes in position order, up to the
     * pipeline's checkpoint) is folded into a current-state table in a scratch folder, which is then compared.
     */
    private Target rawZone(TargetConfig target) throws Exception {
        ObjectStore lake = ObjectStores.open(target.uri(), target.s3());
        String upTo;
        try (ObjectStore state = io.dataflow.target.Targets.stateStore(pipeline)) {
            upTo = new io.dataflow.state.CheckpointStore(state, pipeline.name()).load().position();
        }
        java.nio.file.Path scratch = java.nio.file.Files.createTempDirectory("dataflow-validate-");
        ObjectStore work = new io.dataflow.storage.LocalObjectStore(scratch);
        String root = scratch.toAbsolutePath().toString();
        return new Target() {
            @Override
            public String describe() {
                return "raw zone of " + target.uri();
            }

            @Override
            public Optional<TableSide> side(SourceTable table, Columns[] columns, StringBuilder why) throws Exception {
                try {
                    io.dataflow.lake.processed.ProcessedRebuild.run(lake, work, root, pipeline.name(), target.processed(),
                            rules.target(table.id()), upTo, Optional.empty(), line -> { });
                } catch (IllegalArgumentException e) {
                    why.append(e.getMessage());
                    return Optional.empty();
                }
                Table t = ProcessedTables.open(work, root, pipeline.name(), rules.target(table.id())).orElseThrow();
                columns[0] = columns(table, c -> targetColumn(table, c).filter(n -> t.schema().findField(n) != null));
                return Optional.of(new IcebergSide(t, columns[0]) {
                    @Override
                    public String describe() {
                        return "raw zone of " + target.uri() + " (replayed)";
                    }
                });
            }

            @Override
            public boolean inMemory() {
                return true;
            }

            @Override
            public void close() throws Exception {
                work.close();
                lake.close();
                try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(scratch)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        };
    }

    /** The name a source column has in the targets; empty when a rule removes or masks it (masked values cannot match). */
    private Optional<String> targetColumn(SourceTable table, String column) {
        if (rules.isEmpty()) {
            return Optional.of(column);
        }
        io.dataflow.transform.TablePlan plan = rules.plan(io.dataflow.transform.CatalogRules.schema(table));
        return plan.masked(column) ? Optional.empty() : Optional.ofNullable(plan.targetName(column));
    }

    /** The compared columns: the key first, then every other source column the target has. */
    private static Columns columns(SourceTable table, java.util.function.Function<String, Optional<String>> targetName) {
        List<String> key = sortKey(table);
        List<String> order = new ArrayList<>(key);
        for (SourceColumn c : table.columns()) {
            if (!order.contains(c.name())) {
                order.add(c.name());
            }
        }
        List<String> source = new ArrayList<>();
        List<String> target = new ArrayList<>();
        List<ValueForm.Hint> hints = new ArrayList<>();
        List<Boolean> textKey = new ArrayList<>();
        int keys = 0;
        for (String name : order) {
            Optional<String> t = targetName.apply(name);
            if (t.isEmpty()) {
                continue;
            }
            SourceColumn c = table.column(name).orElseThrow();
            source.add(name);
            target.add(t.get());
            hints.add(ValueForm.hint(c.dataType()));
            if (key.contains(name)) {
                keys++;
                textKey.add(TEXT_TYPES.contains(c.dataType().toLowerCase(Locale.ROOT)));
            }
        }
        return new Columns(source, target, hints, keys, textKey);
    }

    private TableResult compareTable(ExecutorService pool, SourceTable table, JdbcSide.Connector sourceConnector, boolean sourcePostgres,
            String sourceName, Target target) throws Exception {
        long start = System.nanoTime();
        String name = table.id().toString();
        Columns[] columns = new Columns[1];
        StringBuilder why = new StringBuilder();
        Optional<TableSide> targetSide = target.side(table, columns, why);
        if (targetSide.isEmpty()) {
            return error(name, target.describe(), why.toString());
        }
        Columns cols = columns[0];
        if (cols.keys() != sortKey(table).size()) {
            return error(name, target.describe(), "the target lacks key columns of the table");
        }
        String filter = "";
        if (rules.filters(table.id())) {
            Optional<String> sql = rules.filterSql(io.dataflow.transform.CatalogRules.schema(table),
                    sourcePostgres ? io.dataflow.transform.ExprSql.Dialect.POSTGRES : io.dataflow.transform.ExprSql.Dialect.MYSQL);
            if (sql.isEmpty()) {
                return error(name, target.describe(), "the table's filter reads change metadata, which the source's rows do not have");
            }
            filter = sql.get();
        }
        JdbcSide sourceSide = new JdbcSide(sourceConnector, sourcePostgres, table.id(), cols.source(), cols, sourceName, filter);
        TableSide other = targetSide.get();
        Optional<ChecksumForm> form;
        try {
            form = ChecksumForm.choose(sourceSide, other, options.checksums(), sourceLocal && target.local());
        } catch (Exception e) {
            sourceSide.close();
            ((JdbcSide) other).close();
            return error(name, other.describe(), e.getMessage() == null ? e.toString() : e.getMessage());
        }
        RangePlan plan = ranges(table, sourceSide, sourceConnector, target.inMemory(), form.isPresent());
        List<KeyRange> ranges = plan.ranges();
        progress.accept(name + " vs " + target.describe() + ": " + ranges.size() + " key range(s)"
                + form.map(f -> ", checksummed in both databases (" + f.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")").orElse(""));
        ChecksumComparison sums = form.map(f -> new ChecksumComparison(name, sourceSide, (JdbcSide) other, cols, f, plan.min(), plan.max(),
                options.maxDiffs(), targetWork)).orElse(null);
        List<Future<TableResult>> parts = new ArrayList<>();
        for (KeyRange r : ranges) {
            parts.add(pool.submit(() -> sums != null ? sums.compare(r) : RangeComparison.compare(name, sourceSide, other, r, cols,
                    options.maxDiffs())));
        }
        List<TableResult> done = new ArrayList<>();
        try {
            for (Future<TableResult> f : parts) {
                done.add(f.get());
            }
        } catch (java.util.concurrent.ExecutionException e) {
            parts.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            return error(name, targetSide.get().describe(), cause.getMessage() == null ? cause.toString() : cause.getMessage());
        } finally {
            sourceSide.close();
            if (other instanceof JdbcSide j) {
                j.close();
            }
        }
        return TableResult.merge(name, targetSide.get().describe(), done, (System.nanoTime() - start) / 1_000_000, options.maxDiffs());
    }

    /** A table's key ranges, with the smallest and largest key they were planned from (0 when not split by key). */
    private record RangePlan(List<KeyRange> ranges, long min, long max) {}

    /**
     * Splits a table with a single integer key into key ranges: {@code threads} × 4 of them; for a side held in memory,
     * enough that none holds more than {@value #ROWS_PER_MEMORY_RANGE} rows (counted then; otherwise the key span stands
     * in for the row count, which it bounds, and no table is counted in full); for checksums, ranges of about
     * {@value #KEYS_PER_CHECKSUM_RANGE} keys, so that a few differing rows send only their small ranges to be looked at
     * again.
     */
    private RangePlan ranges(SourceTable table, JdbcSide source, JdbcSide.Connector connector, boolean inMemory, boolean checksums)
            throws Exception {
        if (table.applyKey().size() != 1
                || !INTEGER_TYPES.contains(table.column(table.applyKey().get(0)).orElseThrow().dataType().toLowerCase(Locale.ROOT))) {
            return new RangePlan(List.of(KeyRange.ALL), 0, 0);
        }
        String k = source.quote(table.applyKey().get(0));
        String t = source.quote(table.id().schema()) + "." + source.quote(table.id().table());
        try (Connection c = connector.open(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT MIN(" + k + "), MAX(" + k + ")" + (inMemory ? ", COUNT(*)" : "") + " FROM " + t)) {
            rs.next();
            if (rs.getObject(1) == null) {
                return new RangePlan(List.of(KeyRange.ALL), 0, 0);
            }
            long min = rs.getLong(1);
            long max = rs.getLong(2);
            long count = inMemory ? rs.getLong(3) : max - min + 1;
            int n = Math.max(1, options.threads() * 4);
            if (inMemory) {
                n = (int) Math.max(n, Math.min(10_000, count / ROWS_PER_MEMORY_RANGE + 1));
            } else if (checksums) {
                n = (int) Math.max(n, Math.min(4_096, count / KEYS_PER_CHECKSUM_RANGE));
            }
            return new RangePlan(KeyRange.split(min, max, count < 10_000 ? 1 : n), min, max);
        }
    }

    private static TableResult error(String table, String target, String why) {
        return new TableResult(table, target, 0, 0, 0, 0, 0, 0, 0, List.of(), why);
    }
}
