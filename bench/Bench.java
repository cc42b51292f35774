import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * DataFlow's benchmark harness (PostgreSQL scenarios). Run by bench/run.sh with the fat jar and DuckDB's JDBC
 * driver on the class path. It measures and reports; it asserts nothing about speed.
 *
 *   fullload: COPY ... TO STDOUT via psql (the read limit), Debezium's stock embedded snapshot into a
 *             consumer that discards records, and `dataflow run` in mode full-load into a fresh lake.
 *   latency:  a writer commits one-row transactions at a fixed rate while `dataflow run` streams; a watcher
 *             sees each Parquet file appear in the raw zone and reads its ids: commit-to-visible latency.
 */
public class Bench {
    static String host = "127.0.0.1", user = "postgres", db;
    static int port = 5432;
    static Path jar, launcher, work;
    static int repeats = 3;
    /** The heap given to `dataflow run`; without a limit the JVM grows to a quarter of RAM before collecting. */
    static String heap = "512m";

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        db = opt.getOrDefault("db", "dataflow_bench");
        jar = Path.of(opt.getOrDefault("jar", "cli/target/dataflow.jar")).toAbsolutePath();
        launcher = Path.of(opt.getOrDefault("launcher", "bin/dataflow")).toAbsolutePath();
        work = Files.createDirectories(Path.of(opt.getOrDefault("work", "bench/results/tmp")).toAbsolutePath());
        repeats = Integer.parseInt(opt.getOrDefault("repeats", "3"));
        heap = opt.getOrDefault("heap", heap);
        Path out = Path.of(opt.getOrDefault("out", "bench/results/out.json"));
        ensureClassArchive(args[0].equals("fullload-mariadb") || args[0].equals("migrate-mariadb-to-postgres") ? "mariadb" : "postgres");
        Map<String, Object> result = switch (args[0]) {
            case "fullload" -> fullLoad(opt.getOrDefault("table", "pgbench_accounts"));
            case "fullload-mariadb" -> fullLoadMariaDb(opt.getOrDefault("table", "accounts"));
            case "migrate-mariadb-to-postgres" -> migrateMariaDbToPostgres();
            case "migrate-postgres-to-mariadb" -> migratePostgresToMariaDb();
            case "throughput" -> throughput(Integer.parseInt(opt.getOrDefault("seconds", "30")), Integer.parseInt(opt.getOrDefault("clients", "4")));
            case "latency-database" -> latencyDatabase(opt.getOrDefault("rates", "100,1000"), Integer.parseInt(opt.getOrDefault("seconds", "10")),
                    opt.getOrDefault("flush", "500ms"));
            case "latency" -> latency(opt.getOrDefault("rates", "100,1000"), Integer.parseInt(opt.getOrDefault("seconds", "10")),
                    opt.getOrDefault("flush", "500ms"));
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        };
        Files.writeString(out, json(result) + "\n");
        System.out.println(json(result));
    }

    // ---------------------------------------------------------------- full load
    static Map<String, Object> fullLoad(String table) throws Exception {
        long rows = scalar("select count(*) from " + table);
        long textBytes = copyBytes(table);
        List<Double> copy = new ArrayList<>(), debezium = new ArrayList<>(), dataflow = new ArrayList<>(), loader = new ArrayList<>();
        List<Double> plainJar = new ArrayList<>();
        List<Long> heaps = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            copy.add(seconds(() -> run(List.of("psql", "-h", host, "-p", "" + port, "-U", user, "-d", db, "-qAt", "-c",
                    "copy " + table + " to stdout"), null)));
            debezium.add(seconds(() -> debeziumSnapshot(table, rows)));
            Path lake = work.resolve("lake-fullload");
            deleteTree(lake);
            Path config = pipeline("benchfl", "full-load", lake, "public." + table, "500ms");
            long[] peak = new long[1];
            dataflow.add(seconds(() -> peak[0] = runDataflow(config)));
            rss.add(peak[0]);
            String runLog = Files.readString(work.resolve("fullload-run.log"));
            java.util.regex.Matcher lm = java.util.regex.Pattern.compile("full load done: [\\d,]+ rows in ([\\d.]+) s").matcher(runLog);
            if (lm.find()) {
                loader.add(Double.parseDouble(lm.group(1)));
            }
            java.util.regex.Matcher hm = java.util.regex.Pattern.compile("peak heap: (\\d+) MiB").matcher(runLog);
            if (hm.find()) {
                heaps.add(Long.parseLong(hm.group(1)));
            }
            deleteTree(lake);
            plainJar.add(seconds(() -> runJar(config)));
            System.err.printf(Locale.ROOT, "repeat %d: copy %.2fs, debezium %.2fs, dataflow %.2fs, java -jar %.2fs%n", r + 1, copy.get(r),
                    debezium.get(r), dataflow.get(r), plainJar.get(r));
        }
        long lakeBytes = treeSize(work.resolve("lake-fullload"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", "fullload-postgres-to-local-lake");
        m.put("table", table);
        m.put("rows", rows);
        m.put("text_bytes", textBytes);
        m.put("parquet_bytes", lakeBytes);
        m.put("repeats", repeats);
        m.put("copy_s", stats(copy));
        m.put("debezium_s", stats(debezium));
        m.put("dataflow_s", stats(dataflow));
        m.put("copy_rows_per_s", Math.round(rows / median(copy)));
        m.put("debezium_rows_per_s", Math.round(rows / median(debezium)));
        m.put("rows_per_s", Math.round(rows / median(dataflow)));
        m.put("mb_per_s", round(textBytes / 1048576.0 / median(dataflow)));
        m.put("ratio_to_copy", round(median(copy) / median(dataflow)));
        m.put("ratio_to_debezium", round(median(debezium) / median(dataflow)));
        if (!loader.isEmpty()) {
            m.put("loader_s", stats(loader));
            m.put("loader_rows_per_s", Math.round(rows / median(loader)));
        }
        m.put("java_jar_s", stats(plainJar));
        m.put("java_jar_rows_per_s", Math.round(rows / median(plainJar)));
        m.put("java_jar_ratio_to_copy", round(median(copy) / median(plainJar)));
        m.put("dataflow_peak_rss_mb", Collections.max(rss) / 1024);
        m.put("dataflow_heap", heap);
        if (!heaps.isEmpty()) {
            m.put("dataflow_peak_heap_mb", Collections.max(heaps));
        }
        m.put("note", "dataflow_s is the whole `bin/dataflow run` process (JVM start included; the launcher's class-data archive "
                + "made by an earlier unmeasured run; C1 only on <= 2 CPUs); java_jar_s the same run as `java -jar` without the "
                + "launcher's settings; debezium_s is an embedded engine in this JVM snapshotting into a consumer that discards records");
        return m;
    }

    // ---------------------------------------------------------------- full load, MariaDB
    static Map<String, Object> fullLoadMariaDb(String table) throws Exception {
        long rows;
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + db, "root", "");
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from " + table)) {
            rs.next();
            rows = rs.getLong(1);
        }
        List<Double> client = new ArrayList<>(), debezium = new ArrayList<>(), dataflow = new ArrayList<>(), streaming = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            client.add(seconds(() -> run(List.of("mariadb", "--quick", "-h", "127.0.0.1", "-uroot", db, "-e", "select * from " + table), null)));
            debezium.add(seconds(() -> debeziumMariaDbSnapshot(table, rows)));
            Path lake = work.resolve("lake-fullload-mariadb");
            // mode full-load: chunks read in parallel inside one consistent snapshot; the whole process
            deleteTree(lake);
            Path snapshot = mariaPipeline("benchmaria", "full-load", table, lake);
            long[] peak = new long[1];
            dataflow.add(seconds(() -> peak[0] = runDataflow(snapshot)));
            rss.add(peak[0]);
            // mode full-load-and-cdc: the lock-free loader reads chunks while the binlog streams; until 'full load done'
            deleteTree(lake);
            Path concurrent = mariaPipeline("benchmaria", "full-load-and-cdc", table, lake);
            streaming.add(seconds(() -> peak[0] = runUntilFullLoadDone(concurrent)));
            rss.add(peak[0]);
            System.err.printf(Locale.ROOT, "repeat %d: mariadb client %.2fs, debezium %.2fs, dataflow %.2fs, while streaming %.2fs%n", r + 1,
                    client.get(r), debezium.get(r), dataflow.get(r), streaming.get(r));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", "fullload-mariadb-to-local-lake");
        m.put("table", table);
        m.put("rows", rows);
        m.put("repeats", repeats);
        m.put("client_s", stats(client));
        m.put("debezium_s", stats(debezium));
        m.put("dataflow_s", stats(dataflow));
        m.put("streaming_s", stats(streaming));
        m.put("client_rows_per_s", Math.round(rows / median(client)));
        m.put("debezium_rows_per_s", Math.round(rows / median(debezium)));
        m.put("rows_per_s", Math.round(rows / median(dataflow)));
        m.put("streaming_rows_per_s", Math.round(rows / median(streaming)));
        m.put("ratio_to_client", round(median(client) / median(dataflow)));
        m.put("ratio_to_debezium", round(median(debezium) / median(dataflow)));
        m.put("streaming_ratio_to_client", round(median(client) / median(streaming)));
        m.put("streaming_ratio_to_debezium", round(median(debezium) / median(streaming)));
        m.put("dataflow_peak_rss_mb", Collections.max(rss) / 1024);
        m.put("dataflow_heap", heap);
        return m;
    }

    static Path mariaPipeline(String name, String mode, String table, Path lake) throws IOException {
        Path f = work.resolve(name + ".yaml");
        Files.writeString(f, "name: " + name + "\nsource: {type: mariadb, host: 127.0.0.1, port: 3306, database: " + db
                + ", user: root, ssl-mode: disable}\ntables: {include: [" + db + "." + table + "]}\nmode: " + mode + "\n"
                + "targets:\n  - {type: lake, uri: " + lake + "}\n");
        return f;
    }

    static void debeziumMariaDbSnapshot(String table, long expected) {
        Properties p = new Properties();
        p.setProperty("name", "bench-debezium-mariadb");
        p.setProperty("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("schema.history.internal", "io.debezium.relational.history.MemorySchemaHistory");
        p.setProperty("topic.prefix", "benchmaria");
        p.setProperty("database.hostname", "127.0.0.1");
        p.setProperty("database.port", "3306");
        p.setProperty("database.user", "root");
        p.setProperty("database.password", "");
        p.setProperty("database.server.id", "7777");
        p.setProperty("database.ssl.mode", "disable");
        p.setProperty("database.include.list", db);
        p.setProperty("table.include.list", db + "\\." + table);
        p.setProperty("snapshot.mode", "initial_only");
        p.setProperty("max.batch.size", "8192");
        p.setProperty("max.queue.size", "32768");
        runDebeziumSnapshot(p, table, expected);
    }

    static long copyBytes(String table) throws Exception {
        Process p = new ProcessBuilder("psql", "-h", host, "-p", "" + port, "-U", user, "-d", db, "-qAt", "-c",
                "copy " + table + " to stdout").start();
        long n = p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        p.waitFor();
        return n;
    }

    static void debeziumSnapshot(String table, long expected) {
        Properties p = new Properties();
        p.setProperty("name", "bench-debezium");
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("topic.prefix", "bench");
        p.setProperty("database.hostname", host);
        p.setProperty("database.port", "" + port);
        p.setProperty("database.user", user);
        p.setProperty("database.password", "");
        p.setProperty("database.dbname", db);
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", "bench_debezium");
        p.setProperty("slot.drop.on.stop", "true");
        p.setProperty("publication.name", "bench_debezium");
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", "public\\." + table);
        p.setProperty("snapshot.mode", "initial_only");
        p.setProperty("max.batch.size", "8192");
        p.setProperty("max.queue.size", "32768");
        runDebeziumSnapshot(p, table, expected);
    }

    /**
     * Runs an embedded Debezium engine (snapshot only) into a consumer that counts and discards the table's rows,
     * until {@code expected} rows have arrived.
     */
    static void runDebeziumSnapshot(Properties p, String table, long expected) {
        AtomicLong seen = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        try (DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(p).notifying((records, committer) -> {
                    long n = 0;
                    for (RecordChangeEvent<SourceRecord> r : records) {
                        committer.markProcessed(r);
                        if (r.record().value() != null && r.record().topic().endsWith("." + table)) {
                            n++;
                        }
                    }
                    committer.markBatchFinished();
                    if (seen.addAndGet(n) >= expected) {
                        done.countDown();
                    }
                }).using((ok, msg, err) -> done.countDown()).build()) {
            var ex = Executors.newSingleThreadExecutor();
            ex.execute(engine);
            done.await(30, TimeUnit.MINUTES);
            ex.shutdown();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
        if (seen.get() < expected) {
            throw new IllegalStateException("Debezium delivered " + seen.get() + " of " + expected + " rows");
        }
    }

    // ---------------------------------------------------------------- database to database
    static final String TARGET_DB = "dataflow_bench_target";

    /**
     * MariaDB accounts (2M rows) into PostgreSQL: `mariadb --quick | psql \\copy` (the two databases' own tools piped,
     * the practical limit), pgloader (Debian's package, when installed), and `dataflow run` in mode full-load with a
     * jdbc target (whole process; tables, load, indexes).
     */
    static Map<String, Object> migrateMariaDbToPostgres() throws Exception {
        long rows = mariaScalar("select count(*) from accounts");
        boolean pgloader = new File("/usr/bin/pgloader").canExecute();
        List<Double> pipe = new ArrayList<>(), pgl = new ArrayList<>(), dataflow = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        String psql = "psql -h 127.0.0.1 -U postgres -qAt";
        for (int r = 0; r < repeats; r++) {
            run(List.of("bash", "-c", psql + " -d postgres -c 'drop database if exists " + TARGET_DB + " with (force)' -c 'create database "
                    + TARGET_DB + "'"), null);
            run(List.of("bash", "-c", psql + " -d " + TARGET_DB + " -c 'create table pipe_accounts (aid int primary key, bid int, abalance int, filler char(84))'"), null);
            pipe.add(seconds(() -> run(List.of("bash", "-o", "pipefail", "-c", "mariadb -uroot -h 127.0.0.1 --quick -N -B " + db
                    + " -e 'select aid, bid, abalance, filler from accounts' | " + psql + " -d " + TARGET_DB
                    + " -c \"\\\\copy pipe_accounts from stdin with (null 'NULL')\""), null)));
            if (pgloader) {
                pgl.add(seconds(() -> run(List.of("pgloader", "--quiet", "mysql://root@127.0.0.1/" + db,
                        "postgresql://postgres@127.0.0.1/" + TARGET_DB), work.resolve("pgloader.log"))));
                run(List.of("bash", "-c", psql + " -d " + TARGET_DB + " -c 'drop schema " + db + " cascade'"), null);
            }
            Path f = work.resolve("benchm2p.yaml");
            Files.writeString(f, "name: benchm2p\nsource: {type: mariadb, host: 127.0.0.1, port: 3306, database: " + db
                    + ", user: root, ssl-mode: disable}\ntables: {include: [" + db + ".accounts]}\nmode: full-load\n"
                    + "targets:\n  - {type: jdbc, url: 'jdbc:postgresql://127.0.0.1:5432/" + TARGET_DB + "', user: postgres}\n");
            long[] peak = new long[1];
            dataflow.add(seconds(() -> peak[0] = runDataflow(f)));
            rss.add(peak[0]);
            System.err.printf(Locale.ROOT, "repeat %d: pipe %.2fs, pgloader %s, dataflow %.2fs%n", r + 1, pipe.get(r),
                    pgloader ? String.format(Locale.ROOT, "%.2fs", pgl.get(r)) : "-", dataflow.get(r));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", "migrate-mariadb-to-postgres");
        m.put("table", "accounts");
        m.put("rows", rows);
        m.put("repeats", repeats);
        m.put("pipe_s", stats(pipe));
        m.put("pipe_rows_per_s", Math.round(rows / median(pipe)));
        if (pgloader) {
            m.put("pgloader_s", stats(pgl));
            m.put("pgloader_rows_per_s", Math.round(rows / median(pgl)));
            m.put("ratio_to_pgloader", round(median(pgl) / median(dataflow)));
        }
        m.put("dataflow_s", stats(dataflow));
        m.put("rows_per_s", Math.round(rows / median(dataflow)));
        m.put("ratio_to_pipe", round(median(pipe) / median(dataflow)));
        m.put("dataflow_peak_rss_mb", Collections.max(rss) / 1024);
        m.put("dataflow_heap", heap);
        m.put("note", "dataflow reads MariaDB in key-range chunks on several connections inside one consistent snapshot (a brief "
                + "FLUSH TABLES WITH READ LOCK), COPYs into PostgreSQL, then builds secondary indexes; the pipe and pgloader read "
                + "without a snapshot that a change stream could continue from");
        return m;
    }

    /**
     * PostgreSQL pgbench_accounts (2M rows) into MariaDB: `psql \\copy ... to stdout | mariadb LOAD DATA LOCAL INFILE`
     * (the two databases' own bulk paths piped) and `dataflow run` in mode full-load with a jdbc target.
     */
    static Map<String, Object> migratePostgresToMariaDb() throws Exception {
        long rows = scalar("select count(*) from pgbench_accounts");
        List<Double> pipe = new ArrayList<>(), dataflow = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        String maria = "mariadb -uroot -h 127.0.0.1";
        for (int r = 0; r < repeats; r++) {
            run(List.of("bash", "-c", maria + " -e 'drop database if exists " + TARGET_DB + "; create database " + TARGET_DB
                    + "; create table " + TARGET_DB + ".pipe_accounts (aid int primary key, bid int, abalance int, filler char(84))'"), null);
            pipe.add(seconds(() -> run(List.of("bash", "-o", "pipefail", "-c", "psql -h 127.0.0.1 -U postgres -qAt -d " + db
                    + " -c '\\copy pgbench_accounts to stdout' | " + maria + " --local-infile=1 " + TARGET_DB
                    + " -e \"LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE pipe_accounts\""), null)));
            run(List.of("bash", "-c", maria + " -e \"delete from _dataflow.steps where pipeline = 'benchp2m'; "
                    + "delete from _dataflow.load_chunks where pipeline = 'benchp2m'; delete from _dataflow.objects where object_key like '_state/benchp2m/%'\""),
                    null);
            Path f = work.resolve("benchp2m.yaml");
            Files.writeString(f, "name: benchp2m\nsource: {type: postgres, host: " + host + ", port: " + port + ", database: " + db
                    + ", user: " + user + ", ssl-mode: disable, slot: dataflow_benchp2m, publication: dataflow_benchp2m}\n"
                    + "tables: {include: [public.pgbench_accounts]}\nmode: full-load\n"
                    + "targets:\n  - {type: jdbc, url: 'jdbc:mariadb://127.0.0.1:3306/" + TARGET_DB + "', user: root}\n");
            long[] peak = new long[1];
            dataflow.add(seconds(() -> peak[0] = runDataflow(f)));
            rss.add(peak[0]);
            System.err.printf(Locale.ROOT, "repeat %d: pipe %.2fs, dataflow %.2fs%n", r + 1, pipe.get(r), dataflow.get(r));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", "migrate-postgres-to-mariadb");
        m.put("table", "pgbench_accounts");
        m.put("rows", rows);
        m.put("repeats", repeats);
        m.put("pipe_s", stats(pipe));
        m.put("pipe_rows_per_s", Math.round(rows / median(pipe)));
        m.put("dataflow_s", stats(dataflow));
        m.put("rows_per_s", Math.round(rows / median(dataflow)));
        m.put("ratio_to_pipe", round(median(pipe) / median(dataflow)));
        m.put("dataflow_peak_rss_mb", Collections.max(rss) / 1024);
        m.put("dataflow_heap", heap);
        m.put("note", "dataflow reads with parallel COPY chunks under one exported snapshot and writes batched multi-row INSERTs");
        return m;
    }

    static long mariaScalar(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + db, "root", "");
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---------------------------------------------------------------- latency
    static Map<String, Object> latency(String rates, int seconds, String flush) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", "cdc-latency-postgres-to-local-lake");
        m.put("flush_interval", flush);
        m.put("seconds_per_rate", seconds);
        List<Map<String, Object>> perRate = new ArrayList<>();
        for (String rateText : rates.split(",")) {
            int rate = Integer.parseInt(rateText.trim());
            perRate.add(latencyAt(rate, seconds, flush));
        }
        m.put("rates", perRate);
        return m;
    }

    static Map<String, Object> latencyAt(int rate, int seconds, String flush) throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("drop table if exists bench_latency");
            st.execute("create table bench_latency (id bigint primary key, payload text)");
        }
        Path lake = work.resolve("lake-latency");
        deleteTree(lake);
        Path config = pipeline("benchlat", "cdc", lake, "public.bench_latency", flush);
        Path log = work.resolve("latency-run.log");
        Process p = env(new ProcessBuilder(dataflow("run", "--config", config.toString(), "--progress-seconds", "0")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            waitForSlot("dataflow_benchlat");
            Map<Long, Long> committedAt = new ConcurrentHashMap<>();
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            Path tableDir = lake.resolve("raw/benchlat/public/bench_latency");
            Thread watcher = new Thread(() -> watch(tableDir, committedAt, latencies));
            watcher.setDaemon(true);
            watcher.start();
            long sent = write(rate, seconds, committedAt);
            awaitSeen(latencies, sent);
            watcher.interrupt();
            Map<String, Object> r = latencyResult(rate, seconds, sent, latencies, "seen_in_lake");
            System.err.printf(Locale.ROOT, "rate %d tx/s: %s%n", rate, r);
            return r;
        } finally {
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /**
     * CDC latency into a database target: PostgreSQL (the bench database) into another PostgreSQL database through a
     * jdbc target, mode cdc; a watcher polls the target table every 2 ms and notes when each id becomes visible.
     */
    static Map<String, Object> latencyDatabase(String rates, int seconds, String flush) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", "cdc-latency-postgres-to-postgres-database");
        m.put("flush_interval", flush);
        m.put("seconds_per_rate", seconds);
        List<Map<String, Object>> perRate = new ArrayList<>();
        for (String rateText : rates.split(",")) {
            perRate.add(latencyDatabaseAt(Integer.parseInt(rateText.trim()), seconds, flush));
        }
        m.put("rates", perRate);
        return m;
    }

    static Map<String, Object> latencyDatabaseAt(int rate, int seconds, String flush) throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("drop table if exists bench_latency");
            st.execute("create table bench_latency (id bigint primary key, payload text)");
        }
        run(List.of("bash", "-c", "psql -h 127.0.0.1 -U postgres -qAt -d postgres -c 'drop database if exists " + TARGET_DB
                + " with (force)' -c 'create database " + TARGET_DB + "'"), null);
        Path config = work.resolve("benchlatdb.yaml");
        Files.writeString(config, "name: benchlatdb\nsource: {type: postgres, host: " + host + ", port: " + port + ", database: " + db
                + ", user: " + user + ", ssl-mode: disable, slot: dataflow_benchlatdb, publication: dataflow_benchlatdb}\n"
                + "tables: {include: [public.bench_latency]}\nmode: cdc\n"
                + "targets:\n  - {type: jdbc, url: 'jdbc:postgresql://" + host + ":" + port + "/" + TARGET_DB + "', user: " + user
                + ", flush: {interval: " + flush + "}}\n");
        Path log = work.resolve("latency-database-run.log");
        Process p = env(new ProcessBuilder(dataflow("run", "--config", config.toString(), "--progress-seconds", "0")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            waitForSlot("dataflow_benchlatdb");
            Map<Long, Long> committedAt = new ConcurrentHashMap<>();
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread watcher = new Thread(() -> {
                long last = 0;
                try (Connection t = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + TARGET_DB, user, "");
                        PreparedStatement q = t.prepareStatement("select id from public.bench_latency where id > ? order by id")) {
                    while (watching.get()) {
                        q.setLong(1, last);
                        try (ResultSet rs = q.executeQuery()) {
                            long now = System.currentTimeMillis();
                            while (rs.next()) {
                                last = rs.getLong(1);
                                Long at = committedAt.get(last);
                                if (at != null) {
                                    latencies.add(now - at);
                                }
                            }
                        } catch (java.sql.SQLException notYet) {
                            // the table appears when the pipeline has prepared the target
                        }
                        Thread.sleep(2);
                    }
                } catch (Exception e) {
                    System.err.println("watcher: " + e);
                }
            });
            watcher.setDaemon(true);
            watcher.start();
            long sent = write(rate, seconds, committedAt);
            awaitSeen(latencies, sent);
            watching.set(false);
            Map<String, Object> r = latencyResult(rate, seconds, sent, latencies, "seen_in_target");
            System.err.printf(Locale.ROOT, "database target, rate %d tx/s: %s%n", rate, r);
            return r;
        } finally {
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
            scalar("select count(pg_drop_replication_slot(slot_name)) from pg_replication_slots where slot_name = 'dataflow_benchlatdb' and not active");
        }
    }

    /** Waits (at most 30 s) until every sent change has been seen. */
    static void awaitSeen(List<Long> latencies, long sent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (latencies.size() < sent && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** One rate's latency percentiles; {@code seenKey} names where the changes were seen. */
    static Map<String, Object> latencyResult(int rate, int seconds, long sent, List<Long> latencies, String seenKey) {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("target_tx_per_s", rate);
        r.put("achieved_tx_per_s", Math.round(sent / (double) seconds));
        r.put("changes", sent);
        r.put(seenKey, sorted.size());
        r.put("p50_ms", pct(sorted, 0.50));
        r.put("p95_ms", pct(sorted, 0.95));
        r.put("p99_ms", pct(sorted, 0.99));
        r.put("max_ms", sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1));
        return r;
    }

    static long write(int rate, int seconds, Map<Long, Long> committedAt) throws Exception {
        long period = 1_000_000_000L / rate;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long next = System.nanoTime();
        long id = 0;
        try (Connection c = connect(); PreparedStatement ins = c.prepareStatement("insert into bench_latency values (?, 'x')")) {
            while (System.nanoTime() < end) {
                ins.setLong(1, ++id);
                ins.executeUpdate(); // autocommit: one transaction
                committedAt.put(id, System.currentTimeMillis());
                next += period;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }
        return id;
    }

    /**
     * Polls today's (UTC) partition folder of the table every 2 ms; for each new file, notes the time it became
     * visible, then reads its ids with DuckDB. Errors (a temporary file vanishing mid-listing) skip one round.
     */
    static void watch(Path dir, Map<Long, Long> committedAt, List<Long> latencies) {
        Set<Path> seen = new HashSet<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            while (!Thread.currentThread().isInterrupted()) {
                java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
                Path day = dir.resolve(String.format(Locale.ROOT, "%04d/%02d/%02d", today.getYear(), today.getMonthValue(), today.getDayOfMonth()));
                List<Path> fresh = new ArrayList<>();
                if (Files.isDirectory(day)) {
                    try (Stream<Path> s = Files.list(day)) {
                        s.filter(f -> f.toString().endsWith(".parquet") && !f.getFileName().toString().startsWith("."))
                                .filter(seen::add).forEach(fresh::add);
                    } catch (IOException | java.io.UncheckedIOException e) {
                        // listing raced with a rename; try again
                    }
                }
                long visible = System.currentTimeMillis();
                for (Path f : fresh) {
                    try (Statement st = duck.createStatement();
                            ResultSet rs = st.executeQuery("select id from read_parquet('" + f + "') where Op = 'I'")) {
                        while (rs.next()) {
                            Long at = committedAt.get(rs.getLong(1));
                            if (at != null) {
                                latencies.add(visible - at);
                            }
                        }
                    } catch (java.sql.SQLException e) {
                        System.err.println("bench: cannot read " + f + ": " + e.getMessage());
                    }
                }
                Thread.sleep(2);
            }
        } catch (InterruptedException e) {
            // done
        } catch (Exception e) {
            e.printStackTrace();
        }
    }

    // ---------------------------------------------------------------- sustained CDC throughput
    /**
     * pgbench's TPC-B-like workload for a fixed time while `dataflow run` (mode cdc) streams the four pgbench tables;
     * reports the changes/s the pipeline wrote during the run, the lag at the end of it, and how long it took to drain.
     */
    static Map<String, Object> throughput(int seconds, int clients) throws Exception {
        Path lake = work.resolve("lake-throughput");
        deleteTree(lake);
        Path config = pipeline("benchtp", "cdc", lake, "public.pgbench_*", "500ms");
        Path log = work.resolve("throughput-run.log");
        int port;
        try (java.net.ServerSocket sock = new java.net.ServerSocket(0)) {
            port = sock.getLocalPort();
        }
        Process p = env(new ProcessBuilder(dataflow("run", "--config", config.toString(), "--progress-seconds",
                "0", "--http-port", Integer.toString(port)))).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            waitForSlot("dataflow_benchtp");
            long before = changes(port);
            long start = System.nanoTime();
            Process bench = new ProcessBuilder("pgbench", "-h", host, "-U", user, "-n", "-c", "" + clients, "-j", "" + Math.min(2, clients),
                    "-T", "" + seconds, db).redirectErrorStream(true).start();
            String pgbenchOut = new String(bench.getInputStream().readAllBytes());
            bench.waitFor();
            double runSeconds = (System.nanoTime() - start) / 1e9;
            long atEnd = changes(port);
            long lagAtEnd = lag(port);
            java.util.regex.Matcher tps = java.util.regex.Pattern.compile("tps = ([\\d.]+)").matcher(pgbenchOut);
            double sourceTps = tps.find() ? Double.parseDouble(tps.group(1)) : -1;
            long drainStart = System.nanoTime();
            long last = -1;
            long stableSince = System.nanoTime();
            while (System.nanoTime() - stableSince < 2_000_000_000L && System.nanoTime() - drainStart < 300_000_000_000L) {
                long now = changes(port);
                if (now != last) {
                    last = now;
                    stableSince = System.nanoTime();
                }
                Thread.sleep(100);
            }
            double drain = (stableSince - drainStart) / 1e9;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", "cdc-throughput-postgres-pgbench-tpcb");
            m.put("seconds", seconds);
            m.put("clients", clients);
            m.put("source_tps", round(sourceTps));
            m.put("source_changes_expected_per_s", round(sourceTps * 4));
            m.put("changes_during_run", atEnd - before);
            m.put("changes_per_s_during_run", Math.round((atEnd - before) / runSeconds));
            m.put("changes_total", last - before);
            m.put("lag_ms_at_end_of_run", lagAtEnd);
            m.put("drain_s_after_run", round(drain));
            System.err.printf(Locale.ROOT, "throughput: %s%n", m);
            return m;
        } finally {
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
        }
    }

    static String status(int port) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/status")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    static long changes(int port) throws Exception {
        long total = 0;
        String body = status(port);
        String ch = body.substring(body.indexOf("\"changes\":{") + 11, body.indexOf('}', body.indexOf("\"changes\":{")));
        for (java.util.regex.Matcher m = java.util.regex.Pattern.compile(":(\\d+)").matcher(ch); m.find(); ) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }

    static long lag(int port) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"lagMillis\":(-?\\d+)").matcher(status(port));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    // ---------------------------------------------------------------- helpers
    static Path pipeline(String name, String mode, Path lake, String include, String flush) throws IOException {
        Path f = work.resolve(name + ".yaml");
        Files.writeString(f, "name: " + name + "\nsource: {type: postgres, host: " + host + ", port: " + port + ", database: " + db
                + ", user: " + user + ", ssl-mode: disable}\ntables: {include: [" + include + "]}\nmode: " + mode
                + "\ntargets:\n  - {type: lake, uri: " + lake + ", flush: {interval: " + flush + "}}\n");
        return f;
    }

    /**
     * Runs `dataflow run` (a streaming mode) until it logs that the full load is done, then stops it with SIGTERM;
     * returns the peak RSS in KiB.
     */
    static long runUntilFullLoadDone(Path config) throws Exception {
        return runUntilFullLoadDone(config, work.resolve("fullload-mariadb-run.log"));
    }

    static long runUntilFullLoadDone(Path config, Path log) throws Exception {
        Path timeOut = work.resolve("time-maria.txt");
        Process p = env(new ProcessBuilder(timed(timeOut, dataflow("run", "--config", config.toString(), "--progress-seconds", "0"))))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        while (!Files.readString(log).contains("full load done")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the full load did not finish; see " + log);
            }
            Thread.sleep(20);
        }
        p.toHandle().descendants().forEach(ProcessHandle::destroy);
        p.waitFor(60, TimeUnit.SECONDS);
        try {
            return Long.parseLong(Files.readString(timeOut).trim().lines().reduce((a, b) -> b).orElse("0"));
        } catch (Exception e) {
            return -1;
        }
    }

    /** Runs `bin/dataflow run` under /usr/bin/time; returns the peak RSS in KiB. */
    static long runDataflow(Path config) {
        return runTimed(dataflow("run", "--config", config.toString(), "--progress-seconds", "0"));
    }

    /** Runs `java -jar dataflow.jar run` (no launcher settings) under /usr/bin/time; returns the peak RSS in KiB. */
    static long runJar(Path config) {
        return runTimed(List.of("java", "-Xmx" + heap, "-jar", jar.toString(), "run", "--config", config.toString(), "--progress-seconds", "0"));
    }

    static long runTimed(List<String> command) {
        Path timeOut = work.resolve("time.txt");
        run(timed(timeOut, command), work.resolve("fullload-run.log"));
        try {
            return Long.parseLong(Files.readString(timeOut).trim().lines().reduce((a, b) -> b).orElse("0"));
        } catch (Exception e) {
            return -1;
        }
    }

    /** {@code bin/dataflow ARGS}: DataFlow as users run it (see the launcher for its JVM settings). */
    static List<String> dataflow(String... args) {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static List<String> timed(Path timeOut, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-o", timeOut.toString(), "-f", "%M"));
        cmd.addAll(command);
        return cmd;
    }

    /** The launcher's environment: this jar, the bench's heap, the bench's class-data archive folder. */
    static ProcessBuilder env(ProcessBuilder pb) {
        pb.environment().put("DATAFLOW_JAR", jar.toString());
        pb.environment().put("JAVA_OPTS", "-Xmx" + heap);
        pb.environment().put("DATAFLOW_CACHE", work.resolve("cds-" + archiveSource).toString());
        return pb;
    }

    /** Whose first run wrote the class-data archive the launcher maps: "postgres" or "mariadb" (the scenario's source). */
    static String archiveSource = "postgres";

    /**
     * The launcher writes its class-data archive during the first `run` with a jar (about 1 s longer) and keeps it:
     * a user's archive holds the classes of their own first pipeline. The bench keeps one archive per source engine
     * (a MariaDB pipeline loads other drivers' classes), each written by an unmeasured first run on a small table in
     * mode full-load-and-cdc (a typical first run: the loader's and Debezium's classes), stopped once streaming.
     */
    static void ensureClassArchive(String source) throws Exception {
        archiveSource = source;
        Path cds = work.resolve("cds-" + source);
        if (Files.isDirectory(cds)) {
            try (Stream<Path> files = Files.list(cds)) {
                if (files.anyMatch(f -> f.toString().endsWith(".jsa"))) {
                    return;
                }
            }
        }
        Path lake = work.resolve("lake-warmup");
        deleteTree(lake);
        System.err.println("bench: writing the launcher's class-data archive for " + source + " sources (one unmeasured run)");
        Path config;
        if (source.equals("mariadb")) {
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + db, "root", "");
                    Statement st = c.createStatement()) {
                st.execute("create table if not exists bench_warmup (id int primary key, name varchar(20))");
                st.execute("replace into bench_warmup values (1, 'one'), (2, 'two')");
            }
            config = mariaPipeline("benchwarmup", "full-load-and-cdc", "bench_warmup", lake);
        } else {
            config = pipeline("benchwarmup", "full-load-and-cdc", lake, "public.pgbench_branches", "500ms");
        }
        runUntilFullLoadDone(config, work.resolve("warmup-run.log"));
        if (source.equals("postgres")) {
            scalar("select count(pg_drop_replication_slot(slot_name)) from pg_replication_slots where slot_name = 'dataflow_benchwarmup'");
        }
        deleteTree(lake);
    }

    static void run(List<String> cmd, Path log) {
        try {
            ProcessBuilder pb = env(new ProcessBuilder(cmd)).redirectErrorStream(true);
            pb.redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(log.toFile()));
            int code = pb.start().waitFor();
            if (code != 0) {
                throw new IllegalStateException(cmd + " exited " + code + (log == null ? "" : "; see " + log));
            }
        } catch (IOException | InterruptedException e) {
            throw new RuntimeException(e);
        }
    }

    static void waitForSlot(String slot) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (scalar("select count(*) from pg_replication_slots where slot_name = '" + slot + "' and active") > 0) {
                Thread.sleep(500);
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the pipeline did not start streaming within 60 s");
    }

    static Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + db, user, "");
    }

    static long scalar(String sql) throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    interface Body {
        void run() throws Exception;
    }

    static double seconds(Body b) {
        long t = System.nanoTime();
        try {
            b.run();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
        return (System.nanoTime() - t) / 1e9;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    static Map<String, Object> stats(List<Double> xs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("min", round(Collections.min(xs)));
        m.put("median", round(median(xs)));
        m.put("all", xs.stream().map(Bench::round).toList());
        return m;
    }

    static long pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    static void deleteTree(Path p) throws IOException {
        if (Files.exists(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                s.sorted(Collections.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    static long treeSize(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static String json(Object o) {
        if (o instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("{");
            m.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append('"').append(k).append("\": ").append(json(v)));
            return b.append('}').toString();
        }
        if (o instanceof List<?> l) {
            return l.stream().map(Bench::json).reduce((a, b) -> a + ", " + b).map(s -> "[" + s + "]").orElse("[]");
        }
        if (o instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        return String.valueOf(o);
    }
}
