package io.dataflow.bench;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.source.SourceRecord;

/** PostgreSQL full load: `COPY ... TO STDOUT` via psql (the read limit), stock Debezium's embedded snapshot into a
 * consumer that discards records, and `dataflow run` in mode full-load into a fresh lake. */
final class FullLoadPostgres extends Scenario {
    FullLoadPostgres(Settings settings) {
        super(settings);
    }

    // ---------------------------------------------------------------- full load
    Map<String, Object> fullLoad(String table) throws Exception {
        long rows = scalar("select count(*) from " + table);
        long textBytes = copyBytes(table);
        List<Double> copy = new ArrayList<>(), debezium = new ArrayList<>(), dataflow = new ArrayList<>(), loader = new ArrayList<>();
        List<Double> plainJar = new ArrayList<>();
        List<Long> heaps = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            copy.add(Results.seconds(() -> run(List.of("psql", "-h", host, "-p", "" + port, "-U", user, "-d", db, "-qAt", "-c",
                    "copy " + table + " to stdout"), null)));
            debezium.add(Results.seconds(() -> debeziumSnapshot(table, rows)));
            Path lake = work.resolve("lake-fullload");
            Results.deleteTree(lake);
            Path config = pipeline("benchfl", "full-load", lake, "public." + table, "500ms");
            long[] peak = new long[1];
            dataflow.add(Results.seconds(() -> peak[0] = runDataflow(config)));
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
            Results.deleteTree(lake);
            plainJar.add(Results.seconds(() -> runJar(config)));
            System.err.printf(Locale.ROOT, "repeat %d: copy %.2fs, debezium %.2fs, dataflow %.2fs, java -jar %.2fs%n", r + 1, copy.get(r),
                    debezium.get(r), dataflow.get(r), plainJar.get(r));
        }
        long lakeBytes = Results.treeSize(work.resolve("lake-fullload"));
        Map<String, Object> m = Results.header("fullload-postgres-to-local-lake", table, rows, repeats);
        m.put("text_bytes", textBytes);
        m.put("parquet_bytes", lakeBytes);
        m.put("copy_s", Results.stats(copy));
        m.put("debezium_s", Results.stats(debezium));
        m.put("dataflow_s", Results.stats(dataflow));
        m.put("copy_rows_per_s", Math.round(rows / Results.median(copy)));
        m.put("debezium_rows_per_s", Math.round(rows / Results.median(debezium)));
        m.put("rows_per_s", Math.round(rows / Results.median(dataflow)));
        m.put("mb_per_s", Results.round(textBytes / 1048576.0 / Results.median(dataflow)));
        m.put("ratio_to_copy", Results.round(Results.median(copy) / Results.median(dataflow)));
        m.put("ratio_to_debezium", Results.round(Results.median(debezium) / Results.median(dataflow)));
        if (!loader.isEmpty()) {
            m.put("loader_s", Results.stats(loader));
            m.put("loader_rows_per_s", Math.round(rows / Results.median(loader)));
        }
        m.put("java_jar_s", Results.stats(plainJar));
        m.put("java_jar_rows_per_s", Math.round(rows / Results.median(plainJar)));
        m.put("java_jar_ratio_to_copy", Results.round(Results.median(copy) / Results.median(plainJar)));
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

    /**
     * The full load into the raw zone only, and into the raw and processed zones, in the same run (alternating, so
     * both see the same machine state): what the processed zone costs a full load.
     */
    Map<String, Object> fullLoadProcessed(String table) throws Exception {
        long rows = scalar("select count(*) from " + table);
        List<Double> rawOnly = new ArrayList<>(), both = new ArrayList<>();
        Path lake = work.resolve("lake-fullload-processed");
        for (int r = 0; r < repeats; r++) {
            Results.deleteTree(lake);
            Path raw = pipeline("benchflp", "full-load", lake, "public." + table, "500ms");
            rawOnly.add(Results.seconds(() -> runDataflow(raw)));
            Results.deleteTree(lake);
            Path withProcessed = work.resolve("benchflp-processed.yaml");
            Files.writeString(withProcessed, Files.readString(raw).replace("flush: {interval: 500ms}}", "flush: {interval: 500ms}, processed: {}}"));
            both.add(Results.seconds(() -> runDataflow(withProcessed)));
            System.err.printf(Locale.ROOT, "repeat %d: raw only %.2fs, raw + processed %.2fs%n", r + 1, rawOnly.get(r), both.get(r));
        }
        Map<String, Object> m = Results.header("fullload-postgres-raw-vs-raw-and-processed", table, rows, repeats);
        m.put("raw_only_s", Results.stats(rawOnly));
        m.put("raw_and_processed_s", Results.stats(both));
        m.put("raw_only_rows_per_s", Math.round(rows / Results.median(rawOnly)));
        m.put("raw_and_processed_rows_per_s", Math.round(rows / Results.median(both)));
        m.put("processed_cost_ratio", Results.round(Results.median(both) / Results.median(rawOnly)));
        m.put("processed_bytes", Results.treeSize(lake.resolve("processed")));
        m.put("raw_bytes", Results.treeSize(lake.resolve("raw")));
        return m;
    }

    long copyBytes(String table) throws Exception {
        Process p = new ProcessBuilder("psql", "-h", host, "-p", "" + port, "-U", user, "-d", db, "-qAt", "-c",
                "copy " + table + " to stdout").start();
        long n = p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        p.waitFor();
        return n;
    }

    void debeziumSnapshot(String table, long expected) {
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
    void runDebeziumSnapshot(Properties p, String table, long expected) {
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
}
