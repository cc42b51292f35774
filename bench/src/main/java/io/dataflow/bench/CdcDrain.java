package io.dataflow.bench;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.embedded.Connect;
import org.apache.kafka.connect.source.SourceRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How fast a backlog of changes drains (issue: CDC at the speed of the log). One backlog in PostgreSQL, built while
 * nothing reads it: {@code changes} single-row updates of pgbench_accounts in transactions of {@code perTx}, held by
 * three pgoutput slots made before it. Each reader then drains its own slot, in the same run: {@code pg_recvlogical}
 * into /dev/null (what the server can send), stock Debezium's embedded engine with a consumer that discards records
 * (a separate JVM, {@link #main}), and {@code dataflow run} (mode cdc, local lake) until its slot's confirmed
 * LSN passes the backlog's end, i.e. everything is durable. Wall seconds, changes/s, and CPU seconds per 1,000 changes
 * (user + system, from /proc for the JVMs, from GNU time for pg_recvlogical).
 */
final class CdcDrain extends Scenario {
    private static final String PUBLICATION = "dataflow_benchdrain";

    CdcDrain(Settings settings) {
        super(settings);
    }

    Map<String, Object> drain(int changes, int perTx) throws Exception {
        ensureClassArchive("postgres");
        String[] slots = {"bench_drain_recv", "bench_drain_dbz", "dataflow_benchdrain"};
        for (String s : slots) {
            scalar("select count(pg_drop_replication_slot(slot_name)) from pg_replication_slots where slot_name = '" + s + "'");
        }
        execute("drop publication if exists " + PUBLICATION, "create publication " + PUBLICATION + " for table pgbench_accounts");
        for (String s : slots) {
            scalar("select count(*) from pg_create_logical_replication_slot('" + s + "', 'pgoutput')");
        }
        long rows = scalar("select count(*) from pgbench_accounts");
        if (rows < perTx) {
            throw new IllegalStateException("pgbench_accounts has " + rows + " rows; need at least " + perTx);
        }
        long t0 = System.nanoTime();
        for (int done = 0, from = 1; done < changes; done += perTx, from += perTx) {
            if (from + perTx - 1 > rows) {
                from = 1;
            }
            execute("update pgbench_accounts set abalance = abalance + 1 where aid between " + from + " and " + (from + perTx - 1));
        }
        String end = string("select pg_current_wal_lsn()::text");
        long walBytes = scalar("select pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint from pg_replication_slots "
                + "where slot_name = 'bench_drain_recv'");
        System.out.printf(Locale.ROOT, "cdc-drain: backlog of %,d changes (%,d per transaction), %,d bytes of WAL, built in %.1f s%n",
                changes, perTx, walBytes, (System.nanoTime() - t0) / 1e9);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scenario", "cdc-drain");
        out.put("changes", changes);
        out.put("changes_per_transaction", perTx);
        out.put("wal_bytes", walBytes);
        List<Map<String, Object>> readers = new ArrayList<>();
        readers.add(recvlogical(end, changes));
        readers.add(debezium(end, changes));
        readers.add(dataflow(end, changes));
        out.put("readers", readers);
        for (Map<String, Object> r : readers) {
            System.out.printf(Locale.ROOT, "cdc-drain: %-32s %7.2f s  %,9.0f changes/s  %7.4f CPU s per 1,000 changes%n", r.get("reader"),
                    (Double) r.get("seconds"), (Double) r.get("changes_per_second"), (Double) r.get("cpu_seconds_per_1000"));
        }
        double dbz = (Double) readers.get(1).get("seconds");
        double df = (Double) readers.get(2).get("seconds");
        out.put("dataflow_vs_debezium", dbz / df);
        System.out.printf(Locale.ROOT, "cdc-drain: DataFlow drains at %.2fx stock Debezium's speed (goal >= 0.9)%n", dbz / df);
        for (String s : slots) {
            scalar("select count(pg_drop_replication_slot(slot_name)) from pg_replication_slots where slot_name = '" + s + "' and not active");
        }
        return out;
    }

    private Map<String, Object> recvlogical(String end, int changes) throws Exception {
        Path timeOut = work.resolve("time-recv.txt");
        List<String> cmd = List.of("/usr/bin/time", "-o", timeOut.toString(), "-f", "%U %S", "pg_recvlogical", "-h", host, "-p", "" + port,
                "-U", user, "-d", db, "--slot", "bench_drain_recv", "--start", "--endpos", end, "-o", "proto_version=1",
                "-o", "publication_names=" + PUBLICATION, "-f", "/dev/null", "--no-loop");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("recv.log").toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("pg_recvlogical failed: " + Files.readString(work.resolve("recv.log")));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String[] cpu = Files.readString(timeOut).trim().lines().reduce((a, b) -> b).orElse("0 0").split(" ");
        return reader("pg_recvlogical (pgoutput)", seconds, Double.parseDouble(cpu[0]) + Double.parseDouble(cpu[1]), changes);
    }

    private Map<String, Object> debezium(String end, int changes) throws Exception {
        String cp = System.getProperty("java.class.path");
        List<String> cmd = List.of("java", "-Xmx" + heap, "-cp", cp, CdcDrain.class.getName(), host, "" + port, user, db, "bench_drain_dbz",
                PUBLICATION, "" + changes);
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("debezium-drain.log").toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the Debezium drain failed: see " + work.resolve("debezium-drain.log"));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String last = Files.readString(work.resolve("debezium-drain.log")).lines().filter(l -> l.startsWith("cpu ")).reduce((a, b) -> b)
                .orElse("cpu -1");
        return reader("Debezium embedded, discarding", seconds, Double.parseDouble(last.substring(4)), changes);
    }

    private Map<String, Object> dataflow(String end, int changes) throws Exception {
        Path lake = work.resolve("lake-drain");
        Results.deleteTree(lake);
        Path config = pipeline("benchdrain", "cdc", lake, "public.pgbench_accounts", "500ms");
        Files.writeString(config, Files.readString(config).replace("ssl-mode: disable}", "ssl-mode: disable, publication: " + PUBLICATION
                + ", signal-table: none}"));
        ProcessBuilder pb = env(new ProcessBuilder(dataflow("run", "--config", config.toString(), "--progress-seconds", "0")));
        String jfr = System.getenv("DATAFLOW_BENCH_JFR");
        if (jfr != null) {
            // profile the drain (JFR, sampling): a recording to read with `jfr print --events jdk.ExecutionSample`
            pb.environment().put("JAVA_OPTS", pb.environment().get("JAVA_OPTS") + " -XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
        }
        long start = System.nanoTime();
        Process p = pb.redirectErrorStream(true).redirectOutput(work.resolve("dataflow-drain.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        double cpu = -1;
        while (true) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("dataflow did not drain the backlog; see " + work.resolve("dataflow-drain.log"));
            }
            if (scalar("select count(*) from pg_replication_slots where slot_name = 'dataflow_benchdrain' and confirmed_flush_lsn >= '"
                    + end + "'::pg_lsn") > 0) {
                cpu = cpuSeconds(p.toHandle());
                break;
            }
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        p.toHandle().descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        p.waitFor(60, TimeUnit.SECONDS);
        return reader("dataflow run (cdc, local lake)", seconds, cpu, changes);
    }

    /** User + system CPU seconds of a process and its descendants so far (Linux /proc). */
    static double cpuSeconds(ProcessHandle h) {
        double total = 0;
        List<ProcessHandle> all = new ArrayList<>();
        all.add(h);
        h.descendants().forEach(all::add);
        for (ProcessHandle x : all) {
            try {
                String stat = Files.readString(Path.of("/proc/" + x.pid() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks (100/s)
            } catch (Exception gone) {
                // exited
            }
        }
        return total;
    }

    private static Map<String, Object> reader(String name, double seconds, double cpu, int changes) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("reader", name);
        r.put("seconds", seconds);
        r.put("changes_per_second", changes / seconds);
        r.put("cpu_seconds", cpu);
        r.put("cpu_seconds_per_1000", cpu / changes * 1000);
        return r;
    }

    private void execute(String... sql) throws Exception {
        try (var c = connect(); var st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private String string(String sql) throws Exception {
        try (var c = connect(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * Stock Debezium: the PostgreSQL connector in an embedded engine, offsets in memory, a consumer that only counts
     * and commits; exits once it has seen {@code changes} change records, printing its CPU seconds.
     */
    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        p.setProperty("name", "bench-drain");
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("offset.flush.interval.ms", "1000");
        p.setProperty("database.hostname", args[0]);
        p.setProperty("database.port", args[1]);
        p.setProperty("database.user", args[2]);
        p.setProperty("database.password", "");
        p.setProperty("database.dbname", args[3]);
        p.setProperty("slot.name", args[4]);
        p.setProperty("publication.name", args[5]);
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("topic.prefix", "bench");
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("table.include.list", "public.pgbench_accounts");
        p.setProperty("max.batch.size", "8192");
        p.setProperty("max.queue.size", "32768");
        long target = Long.parseLong(args[6]);
        AtomicLong seen = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        try (DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(p)
                .notifying((List<RecordChangeEvent<SourceRecord>> records, DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) -> {
                    long n = 0;
                    for (RecordChangeEvent<SourceRecord> r : records) {
                        if (r.record().value() instanceof org.apache.kafka.connect.data.Struct s && s.schema().field("op") != null) {
                            n++;
                        }
                        committer.markProcessed(r);
                    }
                    committer.markBatchFinished();
                    if (seen.addAndGet(n) >= target) {
                        done.countDown();
                    }
                })
                .build()) {
            java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor();
            ex.execute(engine);
            if (!done.await(10, TimeUnit.MINUTES)) {
                System.out.println("timed out after " + seen.get() + " changes");
                System.exit(1);
            }
            System.out.println("cpu " + cpuSeconds(ProcessHandle.current()));
            System.out.flush();
            Runtime.getRuntime().halt(0); // drained: no orderly engine shutdown needed (nor measured)
        }
    }
}
