package io.dataflow.bench;

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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** CDC latency: a writer commits one-row transactions at a fixed rate while `dataflow run` streams; a watcher sees each
 * change arrive (a Parquet file in the raw zone, or a row in a database target): commit-to-visible latency. */
final class Latency extends Scenario {
    Latency(Settings settings) {
        super(settings);
    }

    /** One rate's measurement. */
    private interface AtRate {
        Map<String, Object> measure(int rate, int seconds, String flush) throws Exception;
    }

    /** Into the local lake: a watcher sees each Parquet file appear in the raw zone and reads its ids. */
    Map<String, Object> latency(String rates, int seconds, String flush) throws Exception {
        return perRate("cdc-latency-postgres-to-local-lake", rates, seconds, flush, this::latencyAt);
    }

    /**
     * Into the processed zone: the same writer, `dataflow run` with {@code processed: {commit-interval: <commit>}}; a
     * watcher refreshes the Iceberg table every 20 ms and reads the ids of each new snapshot's added data files:
     * commit-to-queryable latency.
     */
    Map<String, Object> latencyProcessed(String rates, int seconds, String flush, String commit) throws Exception {
        Map<String, Object> m = perRate("cdc-latency-postgres-to-processed-zone", rates, seconds, flush,
                (rate, s, f) -> latencyProcessedAt(rate, s, f, commit));
        m.put("commit_interval", commit);
        return m;
    }

    Map<String, Object> latencyProcessedAt(int rate, int seconds, String flush, String commit) throws Exception {
        freshTable();
        Path lake = work.resolve("lake-latency-processed");
        Results.deleteTree(lake);
        Path config = work.resolve("benchlatp.yaml");
        Files.writeString(config, "name: benchlatp\nsource: {type: postgres, host: " + host + ", port: " + port + ", database: " + db
                + ", user: " + user + streamingEngineEntry() + ", ssl-mode: disable}\ntables: {include: [public.bench_latency]}\nmode: cdc\n"
                + "targets:\n  - {type: lake, uri: " + lake + ", flush: {interval: " + flush + "}, processed: {commit-interval: " + commit
                + "}}\n");
        return measure(config, work.resolve("latency-processed-run.log"), "dataflow_benchlatp", rate, seconds, "seen_in_processed_zone",
                "processed zone, ", (committedAt, latencies, watching) -> watchProcessed(lake, committedAt, latencies, watching));
    }

    /** Notes, for each id it sees become visible, the milliseconds since its commit; runs until {@code watching} is false. */
    private interface Watcher {
        void watch(Map<Long, Long> committedAt, List<Long> latencies, java.util.concurrent.atomic.AtomicBoolean watching);
    }

    /**
     * Runs `dataflow run` with {@code config}, and once its slot streams, commits one-row transactions at {@code rate}
     * for {@code seconds} while {@code watcher} notes when each becomes visible; returns the rate's percentiles.
     */
    private Map<String, Object> measure(Path config, Path log, String slot, int rate, int seconds, String seenKey, String label,
            Watcher watcher) throws Exception {
        Process p = env(new ProcessBuilder(dataflow("run", "--config", config.toString(), "--progress-seconds", "0")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            waitForSlot(slot);
            Map<Long, Long> committedAt = new ConcurrentHashMap<>();
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread t = new Thread(() -> watcher.watch(committedAt, latencies, watching));
            t.setDaemon(true);
            t.start();
            long sent = write(rate, seconds, committedAt);
            awaitSeen(latencies, sent);
            watching.set(false);
            t.interrupt();
            String trace = System.getenv("DATAFLOW_BENCH_TRACE");
            if (trace != null) {
                // the latencies in the order the changes became visible (about their commit order): to see when the tail happens
                StringBuilder lines = new StringBuilder();
                synchronized (latencies) {
                    for (int i = 0; i < latencies.size(); i++) {
                        lines.append(i).append(' ').append(latencies.get(i)).append('\n');
                    }
                }
                Files.writeString(Path.of(trace + "-" + rate + ".txt"), lines);
            }
            Map<String, Object> r = latencyResult(rate, seconds, sent, latencies, seenKey);
            System.err.printf(Locale.ROOT, "%srate %d tx/s: %s%n", label, rate, r);
            return r;
        } finally {
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static void watchProcessed(Path lake, Map<Long, Long> committedAt, List<Long> latencies,
            java.util.concurrent.atomic.AtomicBoolean watching) {
        java.util.Set<Long> seenSnapshots = new java.util.HashSet<>();
        try (io.dataflow.api.ObjectStore store = new io.dataflow.storage.LocalObjectStore(lake);
                Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement q = duck.createStatement()) {
            org.apache.iceberg.Table table = null;
            while (watching.get()) {
                if (table == null) {
                    table = io.dataflow.lake.processed.ProcessedTables.open(store, lake.toString(), "benchlatp",
                            new io.dataflow.api.TableId("public", "bench_latency")).orElse(null);
                } else {
                    table.refresh();
                }
                if (table != null) {
                    for (org.apache.iceberg.Snapshot s : table.snapshots()) {
                        if (!seenSnapshots.add(s.snapshotId())) {
                            continue;
                        }
                        long now = System.currentTimeMillis();
                        for (org.apache.iceberg.DataFile f : s.addedDataFiles(table.io())) {
                            try (ResultSet rs = q.executeQuery("select id from read_parquet('" + f.location() + "')")) {
                                while (rs.next()) {
                                    Long at = committedAt.get(rs.getLong(1));
                                    if (at != null) {
                                        latencies.add(now - at);
                                    }
                                }
                            }
                        }
                    }
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.err.println("processed-zone watcher: " + e);
        }
    }

    private Map<String, Object> perRate(String scenario, String rates, int seconds, String flush, AtRate at) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", scenario);
        m.put("flush_interval", flush);
        m.put("seconds_per_rate", seconds);
        m.put("warmup_seconds", WARMUP_SECONDS);
        List<Map<String, Object>> perRate = new ArrayList<>();
        for (String rateText : rates.split(",")) {
            perRate.add(at.measure(Integer.parseInt(rateText.trim()), seconds, flush));
        }
        m.put("rates", perRate);
        return m;
    }

    /** Seconds of changes at the measured rate before measuring starts. */
    static final int WARMUP_SECONDS = 5;

    /** An empty bench_latency table, where the writer commits. */
    private void freshTable() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("drop table if exists bench_latency");
            st.execute("create table bench_latency (id bigint primary key, payload text)");
        }
    }

    Map<String, Object> latencyAt(int rate, int seconds, String flush) throws Exception {
        freshTable();
        Path lake = work.resolve("lake-latency");
        Results.deleteTree(lake);
        Path config = pipeline("benchlat", "cdc", lake, "public.bench_latency", flush);
        Path tableDir = lake.resolve("raw/benchlat/public/bench_latency");
        return measure(config, work.resolve("latency-run.log"), "dataflow_benchlat", rate, seconds, "seen_in_lake", "",
                (committedAt, latencies, watching) -> watch(tableDir, committedAt, latencies));
    }

    /**
     * CDC latency into a database target: PostgreSQL (the bench database) into another PostgreSQL database through a
     * jdbc target, mode cdc; a watcher polls the target table every 2 ms and notes when each id becomes visible.
     */
    Map<String, Object> latencyDatabase(String rates, int seconds, String flush) throws Exception {
        return perRate("cdc-latency-postgres-to-postgres-database", rates, seconds, flush, this::latencyDatabaseAt);
    }

    Map<String, Object> latencyDatabaseAt(int rate, int seconds, String flush) throws Exception {
        freshTable();
        run(List.of("bash", "-c", "psql -h 127.0.0.1 -U postgres -qAt -d postgres -c 'drop database if exists " + TARGET_DB
                + " with (force)' -c 'create database " + TARGET_DB + "'"), null);
        Path config = work.resolve("benchlatdb.yaml");
        Files.writeString(config, "name: benchlatdb\nsource: {type: postgres, host: " + host + ", port: " + port + ", database: " + db
                + ", user: " + user + streamingEngineEntry() + ", ssl-mode: disable, slot: dataflow_benchlatdb, publication: dataflow_benchlatdb}\n"
                + "tables: {include: [public.bench_latency]}\nmode: cdc\n"
                + "targets:\n  - {type: jdbc, url: 'jdbc:postgresql://" + host + ":" + port + "/" + TARGET_DB + "', user: " + user
                + ", flush: {interval: " + flush + "}}\n");
        try {
            return measure(config, work.resolve("latency-database-run.log"), "dataflow_benchlatdb", rate, seconds, "seen_in_target",
                    "database target, ", (committedAt, latencies, watching) -> watchDatabase(committedAt, latencies, watching));
        } finally {
            scalar("select count(pg_drop_replication_slot(slot_name)) from pg_replication_slots where slot_name = 'dataflow_benchlatdb' and not active");
        }
    }

    /** Polls the target table every 2 ms for ids above the last one seen. */
    private void watchDatabase(Map<Long, Long> committedAt, List<Long> latencies, java.util.concurrent.atomic.AtomicBoolean watching) {
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
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.err.println("watcher: " + e);
        }
    }

    /** Waits (at most 30 s) until every sent change has been seen. */
    void awaitSeen(List<Long> latencies, long sent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (latencies.size() < sent && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** One rate's latency percentiles; {@code seenKey} names where the changes were seen. */
    Map<String, Object> latencyResult(int rate, int seconds, long sent, List<Long> latencies, String seenKey) {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("target_tx_per_s", rate);
        r.put("achieved_tx_per_s", Math.round(sent / (double) seconds));
        r.put("changes", sent);
        r.put(seenKey, sorted.size());
        r.put("p50_ms", Results.pct(sorted, 0.50));
        r.put("p95_ms", Results.pct(sorted, 0.95));
        r.put("p99_ms", Results.pct(sorted, 0.99));
        r.put("max_ms", sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1));
        return r;
    }

    /**
     * Commits one-row transactions at {@code rate} for {@link #WARMUP_SECONDS} (not measured: the JIT compiler is still
     * at work in a JVM that just started) and then for {@code seconds}, noting each measured one's commit time; returns
     * how many were measured.
     */
    long write(int rate, int seconds, Map<Long, Long> committedAt) throws Exception {
        long period = 1_000_000_000L / rate;
        long measureFrom = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
        long end = measureFrom + seconds * 1_000_000_000L;
        long next = System.nanoTime();
        long id = 0;
        long measured = 0;
        try (Connection c = connect(); PreparedStatement ins = c.prepareStatement("insert into bench_latency values (?, 'x')")) {
            while (System.nanoTime() < end) {
                ins.setLong(1, ++id);
                ins.executeUpdate(); // autocommit: one transaction
                if (System.nanoTime() >= measureFrom) {
                    committedAt.put(id, System.currentTimeMillis());
                    measured++;
                }
                next += period;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }
        return measured;
    }

    /**
     * Polls today's (UTC) partition folder of the table every 2 ms; for each new file, notes the time it became
     * visible, then reads its ids with DuckDB. Errors (a temporary file vanishing mid-listing) skip one round.
     */
    void watch(Path dir, Map<Long, Long> committedAt, List<Long> latencies) {
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
}
