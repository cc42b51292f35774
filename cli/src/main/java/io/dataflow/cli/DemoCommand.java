package io.dataflow.cli;

import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.config.TableSelection;
import io.dataflow.config.TargetConfig;
import io.dataflow.runtime.PipelineStats;
import io.dataflow.storage.LocalObjectStore;
import io.dataflow.api.ObjectStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dataflow demo}: starts an embedded PostgreSQL with logical replication, fills a small shop schema,
 * replicates it into a local lake (full load, then a stream of generated changes), prints what it did and
 * stops. Needs no database, cloud account or Docker.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs a self-contained demonstration: an embedded PostgreSQL, a sample schema, full load and "
                + "CDC of generated inserts, updates and deletes into a local lake folder."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--lake", defaultValue = "lake", paramLabel = "DIR", description = "the lake folder (default ./${DEFAULT-VALUE})")
    Path lake;

    @Option(names = "--rows", defaultValue = "20000", paramLabel = "N", description = "orders in the sample schema (default ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--seconds", defaultValue = "10", paramLabel = "S", description = "how long to generate changes (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--tps", defaultValue = "200", paramLabel = "N", description = "transactions per second generated (default ${DEFAULT-VALUE})")
    int tps;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("starting an embedded PostgreSQL (wal_level=logical) ...");
        out.flush();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "4")
                .setServerConfig("max_wal_senders", "4")
                .start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                createSchema(st, rows);
            }
            out.println("sample schema 'shop' created: customers, orders (" + rows + " rows), \"Order Items\"");
            String name = "demo";
            Path lakeDir = lake.toAbsolutePath().normalize();
            try (LocalObjectStore store = new LocalObjectStore(lakeDir)) {
                clear(store, "raw/" + name + "/");
                clear(store, "processed/" + name + "/");
                clear(store, "_state/" + name + "/");
            }
            PipelineConfig pipeline = new PipelineConfig(name,
                    new SourceConfig(SourceConfig.Type.POSTGRES, "localhost", pg.getPort(), "postgres", "postgres", "",
                            "dataflow_demo", "dataflow_demo", "disable", Map.of()),
                    new TableSelection(List.of("shop.*"), List.of()),
                    PipelineConfig.Mode.FULL_LOAD_AND_CDC,
                    List.of(new TargetConfig(TargetConfig.Type.LAKE, lakeDir.toString(), TargetConfig.Flush.DEFAULT,
                            TargetConfig.Compression.ZSTD, io.dataflow.config.S3Settings.DEFAULT, null,
                            new io.dataflow.config.ProcessedConfig(true, java.time.Duration.ofSeconds(2), Map.of(),
                                    io.dataflow.config.ProcessedConfig.Catalog.LAKE, io.dataflow.config.ProcessedConfig.Maintenance.DEFAULT))));
            CountDownLatch stop = new CountDownLatch(1);
            AtomicReference<PipelineStats> stats = new AtomicReference<>();
            AtomicLong generated = new AtomicLong();
            AtomicReference<Exception> generatorError = new AtomicReference<>();
            Thread generator = new Thread(() -> {
                try {
                    generate(pg, stats, generated, out);
                } catch (Exception e) {
                    generatorError.set(e);
                } finally {
                    stop.countDown();
                }
            }, "dataflow-demo-generator");
            generator.setDaemon(true);
            generator.start();
            int code = PipelineRunner.run(pipeline, Map.of(), out, 2, 3, stop, stats::set);
            generator.join(5000);
            if (generatorError.get() != null) {
                out.println("change generator failed: " + generatorError.get());
                return Main.EXIT_FAILED;
            }
            long replicated = stats.get().totalChanges();
            out.println("generated " + generated.get() + " row changes in " + seconds + " s, replicated " + replicated
                    + (replicated == generated.get() ? " (all of them)" : " (MISMATCH)") + "; lake written to " + lakeDir);
            listLake(lakeDir, name, out);
            out.println("read it back, e.g.: duckdb -c \"select Op, count(*) from '" + lakeDir + "/raw/demo/shop/orders/**/*.parquet' group by 1\"");
            boolean equal = showProcessed(pg, lakeDir, name, out);
            out.flush();
            return code != 0 ? code : equal ? 0 : Main.EXIT_FAILED;
        }
    }

    /**
     * The processed zone's current state of shop.orders beside the source's: row count, sum of amounts, and the first
     * rows; returns whether they are equal.
     */
    static boolean showProcessed(EmbeddedPostgres pg, Path lakeDir, String name, PrintWriter out) throws Exception {
        java.util.TreeMap<Long, String> lake = new java.util.TreeMap<>();
        String location;
        try (LocalObjectStore store = new LocalObjectStore(lakeDir)) {
            org.apache.iceberg.Table table = io.dataflow.lake.processed.ProcessedTables.open(store, lakeDir.toString(), name,
                    new io.dataflow.api.TableId("shop", "orders")).orElseThrow(() -> new IllegalStateException("no processed table shop.orders"));
            location = table.location();
            try (var records = org.apache.iceberg.data.IcebergGenerics.read(table).select("id", "status", "amount").build()) {
                for (var r : records) {
                    lake.put((Long) r.getField("id"), r.getField("status") + " " + r.getField("amount"));
                }
            }
        }
        java.util.TreeMap<Long, String> source = new java.util.TreeMap<>();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("select id, status, amount from shop.orders")) {
            while (rs.next()) {
                source.put(rs.getLong(1), rs.getString(2) + " " + rs.getBigDecimal(3));
            }
        }
        boolean equal = lake.equals(source);
        out.println("processed zone (Apache Iceberg, current state) of shop.orders: " + lake.size() + " rows; source: " + source.size()
                + " rows; " + (equal ? "equal, row for row" : "DIFFERENT"));
        out.println(String.format("  %-8s %-28s %s", "id", "source (status amount)", "processed zone"));
        source.entrySet().stream().skip(Math.max(0, source.size() - 5)).forEach(e ->
                out.println(String.format("  %-8d %-28s %s", e.getKey(), e.getValue(), lake.getOrDefault(e.getKey(), "(missing)"))));
        out.println("query it, e.g. in Spark: spark.read.format(\"iceberg\").load(\"" + location + "\"), or in DuckDB with its iceberg"
                + " extension: select * from iceberg_scan('" + location + "')");
        return equal;
    }

    private static void clear(ObjectStore store, String prefix) throws java.io.IOException {
        for (ObjectStore.ObjectInfo o : store.list(prefix)) {
            store.delete(o.key());
        }
    }

    static void createSchema(Statement st, int rows) throws java.sql.SQLException {
        st.execute("create schema shop");
        st.execute("create type shop.order_status as enum ('new', 'paid', 'shipped', 'cancelled')");
        st.execute("""
                create table shop.customers (
                  id serial primary key, "Name" text not null, email varchar(200), balance numeric(12,2),
                  tags text[], active boolean, created_at timestamptz default now())""");
        st.execute("""
                create table shop.orders (
                  id bigserial primary key, customer_id int references shop.customers(id), amount numeric(10,2),
                  status shop.order_status, placed_at timestamp, details jsonb, ref uuid default gen_random_uuid())""");
        st.execute("create table shop.\"Order Items\" (order_id bigint, line int, sku text, qty smallint, primary key (order_id, line))");
        st.execute("insert into shop.customers (\"Name\", email, balance, tags, active) select 'customer ' || i, 'c' || i || "
                + "'@example.com', (i % 1000) / 3.0, array['t' || (i % 5)], i % 3 > 0 from generate_series(1, 1000) i");
        st.execute("insert into shop.orders (customer_id, amount, status, placed_at, details) select 1 + i % 1000, (i % 500) + 0.99, "
                + "(array['new','paid','shipped','cancelled'])[1 + i % 4]::shop.order_status, timestamp '2024-01-01' + i * interval '1 minute', "
                + "jsonb_build_object('n', i) from generate_series(1, " + rows + ") i");
        st.execute("insert into shop.\"Order Items\" select i, 1, 'sku-' || (i % 97), (i % 9)::smallint from generate_series(1, " + rows + ") i");
    }

    private void generate(EmbeddedPostgres pg, AtomicReference<PipelineStats> stats, AtomicLong generated, PrintWriter out)
            throws Exception {
        while (stats.get() == null || !stats.get().isFullLoadDone()) {
            Thread.sleep(100);
        }
        out.println("full load done; generating changes for " + seconds + " s at ~" + tps + " transactions/s ...");
        out.flush();
        Random random = new Random(42);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long periodNanos = 1_000_000_000L / Math.max(1, tps);
        long next = System.nanoTime();
        try (Connection c = pg.getPostgresDatabase().getConnection();
                PreparedStatement insert = c.prepareStatement("insert into shop.orders (customer_id, amount, status, placed_at) "
                        + "values (?, ?, 'new', now())");
                PreparedStatement update = c.prepareStatement("update shop.orders set status = 'paid', amount = amount + 1 where id = ?");
                PreparedStatement delete = c.prepareStatement("delete from shop.\"Order Items\" where order_id = ?")) {
            while (System.nanoTime() < end) {
                int kind = random.nextInt(10);
                int changed;
                if (kind < 5) {
                    insert.setInt(1, 1 + random.nextInt(1000));
                    insert.setBigDecimal(2, java.math.BigDecimal.valueOf(random.nextInt(100000), 2));
                    changed = insert.executeUpdate();
                } else if (kind < 9) {
                    update.setLong(1, 1 + random.nextInt(rows));
                    changed = update.executeUpdate();
                } else {
                    delete.setLong(1, 1 + random.nextInt(rows));
                    changed = delete.executeUpdate();
                }
                generated.addAndGet(changed);
                next += periodNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        }
        // Let the pipeline catch up with the last changes before stopping it.
        long quietSince = System.nanoTime();
        long seen = -1;
        while (System.nanoTime() - quietSince < 1_500_000_000L) {
            long now = stats.get().totalChanges();
            if (now != seen) {
                seen = now;
                quietSince = System.nanoTime();
            }
            Thread.sleep(100);
        }
    }

    private static void listLake(Path lakeDir, String name, PrintWriter out) throws java.io.IOException {
        Map<String, long[]> perTable = new TreeMap<>();
        try (LocalObjectStore store = new LocalObjectStore(lakeDir)) {
            for (ObjectStore.ObjectInfo o : store.list("raw/" + name + "/")) {
                String[] parts = o.key().split("/");
                long[] agg = perTable.computeIfAbsent(parts[2] + "." + parts[3], k -> new long[2]);
                agg[0]++;
                agg[1] += o.size();
            }
        }
        perTable.forEach((t, agg) -> out.println("  " + t + ": " + agg[0] + " Parquet file(s), " + Units.bytes(agg[1])));
    }
}
