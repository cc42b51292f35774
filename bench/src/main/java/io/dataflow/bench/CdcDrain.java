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
 * (a separate JVM, {@link #main}), and {@code dataflow run} (mode cdc, local lake) until {@code /status} shows
 * every change durable (and, reported apart, until its slot's confirmed LSN passes the backlog's end). Wall seconds, changes/s, and CPU seconds per 1,000 changes
 * (user + system, from /proc for the JVMs, from GNU time for pg_recvlogical).
 */
final class CdcDrain extends Scenario {
    private static final String PUBLICATION = "dataflow_benchdrain";

    CdcDrain(Settings settings) {
        super(settings);
    }

    Map<String, Object> drain(int changes, int perTx) throws Exception {
        ensureClassArchive("postgres");
        String[] slots = {"bench_drain_recv", "bench_drain_dbz", "dataflow_benchdrain", "dataflow_benchdrainnative"};
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
        readers.add(dataflow(end, changes, "debezium"));
        readers.add(dataflow(end, changes, "native"));
        out.put("readers", readers);
        for (Map<String, Object> r : readers) {
            System.out.printf(Locale.ROOT, "cdc-drain: %-32s %7.2f s  %,9.0f changes/s  %7.4f CPU s per 1,000 changes%n", r.get("reader"),
                    (Double) r.get("seconds"), (Double) r.get("changes_per_second"), (Double) r.get("cpu_seconds_per_1000"));
        }
        double dbz = (Double) readers.get(1).get("seconds");
        double df = (Double) readers.get(2).get("seconds");
        out.put("dataflow_vs_debezium", dbz / df);
        System.out.printf(Locale.ROOT, "cdc-drain: DataFlow drains at %.2fx stock Debezium's speed (goal >= 0.9)%n", dbz / df);
        double recv = (Double) readers.get(0).get("seconds");
        double nat = (Double) readers.get(3).get("seconds");
        out.put("native_vs_debezium", dbz / nat);
        out.put("native_vs_pg_recvlogical", recv / nat);
        out.put("dataflow_vs_pg_recvlogical", recv / df);
        System.out.printf(Locale.ROOT, "cdc-drain: DataFlow with the native reader drains at %.2fx stock Debezium's speed and %.2fx "
                + "pg_recvlogical's (goal >= 0.5); with Debezium inside at %.2fx pg_recvlogical's%n", dbz / nat, recv / nat, recv / df);
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

    /**
     * `dataflow run` until `/status` shows every change received and none pending (durable in the lake: the time that
     * counts, as for MariaDB), then on until the slot's confirmed LSN passes the backlog's end (reported too: after the
     * last commit the slot moves past the end only with the next heartbeat, up to {@code heartbeat.interval.ms} later).
     */
    private Map<String, Object> dataflow(String end, int changes, String engine) throws Exception {
        Path lake = work.resolve("lake-drain");
        Results.deleteTree(lake);
        String name = engine.equals("native") ? "benchdrainnative" : "benchdrain";
        Path config = pipeline(name, "cdc", lake, "public.pgbench_accounts", "500ms");
        Files.writeString(config, Files.readString(config).replace(streamingEngineEntry(), "").replace("ssl-mode: disable}", "ssl-mode: disable, publication: " + PUBLICATION
                + ", signal-table: none, streaming-engine: " + engine + "}"));
        int port = StatusProbe.freePort();
        ProcessBuilder pb = env(new ProcessBuilder(dataflow("run", "--config", config.toString(), "--progress-seconds", "0",
                "--http-port", "" + port)));
        String jfr = System.getenv("DATAFLOW_BENCH_JFR");
        if (jfr != null) {
            // profile the drain (JFR, sampling): a recording to read with `jfr print --events jdk.ExecutionSample`
            pb.environment().put("JAVA_OPTS", pb.environment().get("JAVA_OPTS") + " -XX:StartFlightRecording=filename=" + jfr.replaceFirst("(\\.jfr)?$", "-" + engine + ".jfr") + ",settings=profile");
        }
        long start = System.nanoTime();
        Process p = pb.redirectErrorStream(true).redirectOutput(work.resolve("dataflow-drain-" + engine + ".log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        double cpu = -1;
        double durable = -1;
        while (true) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("dataflow did not drain the backlog; see " + work.resolve("dataflow-drain-" + engine + ".log"));
            }
            if (durable < 0 && StatusProbe.durable(StatusProbe.read(port), changes)) {
                durable = (System.nanoTime() - start) / 1e9;
                cpu = cpuSeconds(p.toHandle());
            }
            if (durable >= 0 && scalar("select count(*) from pg_replication_slots where slot_name = 'dataflow_" + name + "' and "
                    + "confirmed_flush_lsn >= '" + end + "'::pg_lsn") > 0) {
                break;
            }
            Thread.sleep(20);
        }
        double confirmed = (System.nanoTime() - start) / 1e9;
        p.toHandle().descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        p.waitFor(60, TimeUnit.SECONDS);
        Map<String, Object> r = reader("dataflow run (cdc, lake, " + engine + ")", durable, cpu, changes);
        r.put("slot_confirmed_seconds", confirmed);
        System.out.printf(Locale.ROOT, "cdc-drain: dataflow durable after %.2f s, slot confirmed past the backlog after %.2f s%n", durable, confirmed);
        return r;
    }

    /**
     * The same backlog in MariaDB ({@code accounts}, pgbench_accounts' shape): each reader first records where it
     * stands (DataFlow: a first `run` until it checkpoints; Debezium: offsets and schema history in files, written from
     * heartbeats), then the backlog is committed, then each drains it: {@code mariadb-binlog --read-from-remote-server}
     * into /dev/null (the server's limit), stock Debezium's MariaDB connector discarding, and `dataflow run` until
     * {@code /status} shows every change received and none pending (durable in the lake).
     */
    Map<String, Object> drainMariaDb(int changes, int perTx) throws Exception {
        ensureClassArchive("mariadb");
        Path lake = work.resolve("lake-drain-maria");
        Results.deleteTree(lake);
        Path config = mariaPipeline("benchdrainm", "cdc", "accounts", lake);
        Files.writeString(config, Files.readString(config).replace("ssl-mode: disable}", "ssl-mode: disable, signal-table: none}")
                .replace("uri: " + lake + "}", "uri: " + lake + ", flush: {interval: 500ms}}"));
        Path offsets = work.resolve("dbz-maria-offsets.dat");
        Path history = work.resolve("dbz-maria-history.dat");
        Files.deleteIfExists(offsets);
        Files.deleteIfExists(history);
        // where each reader stands before the backlog
        int port = StatusProbe.freePort();
        Process first = env(new ProcessBuilder(dataflow("run", "--config", config.toString(), "--progress-seconds", "0", "--http-port", "" + port)))
                .redirectErrorStream(true).redirectOutput(work.resolve("dataflow-drain-maria-init.log").toFile()).start();
        waitFor(() -> Files.exists(lake.resolve("_state/benchdrainm/checkpoint.json")) || !first.isAlive(), "DataFlow's first checkpoint");
        maria("update accounts set abalance = abalance + 1 where aid = 1"); // a change, so the first run checkpoints a position
        Thread.sleep(1500);
        first.destroy();
        first.waitFor(60, TimeUnit.SECONDS);
        runDebeziumMaria("init", offsets, history, 0);

        String[] start = binlogPosition();
        long rows = mariaScalar("select count(*) from accounts");
        long t0 = System.nanoTime();
        for (int done = 0, from = 1; done < changes; done += perTx, from += perTx) {
            if (from + perTx - 1 > rows) {
                from = 1;
            }
            maria("update accounts set abalance = abalance + 1 where aid between " + from + " and " + (from + perTx - 1));
        }
        String[] end = binlogPosition();
        System.out.printf(Locale.ROOT, "cdc-drain (mariadb): backlog of %,d changes (%,d per transaction) from %s:%s to %s:%s, built in %.1f s%n",
                changes, perTx, start[0], start[1], end[0], end[1], (System.nanoTime() - t0) / 1e9);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scenario", "cdc-drain-mariadb");
        out.put("changes", changes);
        out.put("changes_per_transaction", perTx);
        List<Map<String, Object>> readers = new ArrayList<>();
        Path timeOut = work.resolve("time-binlog.txt");
        long s0 = System.nanoTime();
        Process binlog = new ProcessBuilder("/usr/bin/time", "-o", timeOut.toString(), "-f", "%U %S", "mariadb-binlog", "--read-from-remote-server",
                "--host=127.0.0.1", "--user=root", "--start-position=" + start[1], "--to-last-log", start[0])
                .redirectErrorStream(false).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(work.resolve("binlog.log").toFile()).start();
        if (!binlog.waitFor(10, TimeUnit.MINUTES) || binlog.exitValue() != 0) {
            throw new IllegalStateException("mariadb-binlog failed: " + Files.readString(work.resolve("binlog.log")));
        }
        String[] cpu = Files.readString(timeOut).trim().lines().reduce((a, b) -> b).orElse("0 0").split(" ");
        readers.add(reader("mariadb-binlog (remote, to /dev/null)", (System.nanoTime() - s0) / 1e9,
                Double.parseDouble(cpu[0]) + Double.parseDouble(cpu[1]), changes));
        s0 = System.nanoTime();
        double dbzCpu = runDebeziumMaria("drain", offsets, history, changes);
        readers.add(reader("Debezium embedded, discarding", (System.nanoTime() - s0) / 1e9, dbzCpu, changes));

        s0 = System.nanoTime();
        int port2 = StatusProbe.freePort();
        ProcessBuilder pb = env(new ProcessBuilder(dataflow("run", "--config", config.toString(), "--progress-seconds", "0", "--http-port", "" + port2)));
        String jfr = System.getenv("DATAFLOW_BENCH_JFR");
        if (jfr != null) {
            pb.environment().put("JAVA_OPTS", pb.environment().get("JAVA_OPTS") + " -XX:StartFlightRecording=filename="
                    + jfr.replaceFirst("(\\.jfr)?$", "-mariadb.jfr") + ",settings=profile");
        }
        Process p = pb.redirectErrorStream(true).redirectOutput(work.resolve("dataflow-drain-maria.log").toFile()).start();
        double dfCpu = -1;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (true) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("dataflow did not drain the MariaDB backlog; see " + work.resolve("dataflow-drain-maria.log"));
            }
            if (StatusProbe.durable(StatusProbe.read(port2), changes)) {
                dfCpu = cpuSeconds(p.toHandle());
                break;
            }
            Thread.sleep(50);
        }
        readers.add(reader("dataflow run (cdc, local lake)", (System.nanoTime() - s0) / 1e9, dfCpu, changes));
        p.toHandle().descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        p.waitFor(60, TimeUnit.SECONDS);
        out.put("readers", readers);
        for (Map<String, Object> r : readers) {
            System.out.printf(Locale.ROOT, "cdc-drain (mariadb): %-32s %7.2f s  %,9.0f changes/s  %7.4f CPU s per 1,000 changes%n", r.get("reader"),
                    (Double) r.get("seconds"), (Double) r.get("changes_per_second"), (Double) r.get("cpu_seconds_per_1000"));
        }
        double ratio = (Double) readers.get(1).get("seconds") / (Double) readers.get(2).get("seconds");
        out.put("dataflow_vs_debezium", ratio);
        System.out.printf(Locale.ROOT, "cdc-drain (mariadb): DataFlow drains at %.2fx stock Debezium's speed (goal >= 0.9)%n", ratio);
        return out;
    }

    private double runDebeziumMaria(String mode, Path offsets, Path history, int changes) throws Exception {
        String cp = System.getProperty("java.class.path");
        List<String> cmd = List.of("java", "-Xmx" + heap, "-cp", cp, CdcDrain.class.getName(), "mariadb-" + mode, db, offsets.toString(),
                history.toString(), "" + changes);
        Path log = work.resolve("debezium-drain-maria-" + mode + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (mode.equals("init")) {
            // The connector emits heartbeats only as binlog events pass; without writes it would wait for the server's own.
            maria("create table if not exists bench_tick (id int auto_increment primary key)");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (!p.waitFor(100, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                maria("insert into bench_tick values ()");
            }
        }
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the Debezium MariaDB " + mode + " failed: see " + log);
        }
        String last = Files.readString(log).lines().filter(l -> l.startsWith("cpu ")).reduce((a, b) -> b).orElse("cpu -1");
        return Double.parseDouble(last.substring(4));
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition c, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private java.sql.Connection mariaConnect() throws Exception {
        return java.sql.DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + db, "root", "");
    }

    private void maria(String sql) throws Exception {
        try (var c = mariaConnect(); var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private long mariaScalar(String sql) throws Exception {
        try (var c = mariaConnect(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The binlog's current file and position. */
    private String[] binlogPosition() throws Exception {
        try (var c = mariaConnect(); var st = c.createStatement(); var rs = st.executeQuery("show master status")) {
            rs.next();
            return new String[] {rs.getString(1), Long.toString(rs.getLong(2))};
        }
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
        if (args[0].startsWith("mariadb-")) {
            mariaMain(args[0].substring(8), args[1], args[2], args[3], Long.parseLong(args[4]));
            return;
        }
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
        runDiscarding(p, (changes, heartbeats) -> changes >= target, false);
    }

    /**
     * Runs a Debezium engine whose consumer only counts records and commits them, until {@code enough} holds for the
     * change records and other records (heartbeats) seen; then prints the process's CPU seconds and halts the JVM
     * (after closing the engine first when {@code close}, so its offsets are stored).
     */
    private static void runDiscarding(Properties p, java.util.function.BiPredicate<Long, Long> enough, boolean close) throws Exception {
        AtomicLong seen = new AtomicLong();
        AtomicLong other = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(p)
                .notifying((List<RecordChangeEvent<SourceRecord>> records, DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) -> {
                    for (RecordChangeEvent<SourceRecord> r : records) {
                        if (r.record().value() instanceof org.apache.kafka.connect.data.Struct s && s.schema().field("op") != null) {
                            seen.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                        }
                        committer.markProcessed(r);
                    }
                    committer.markBatchFinished();
                    if (enough.test(seen.get(), other.get())) {
                        done.countDown();
                    }
                })
                .build();
        java.util.concurrent.Executors.newSingleThreadExecutor().execute(engine);
        if (!done.await(10, TimeUnit.MINUTES)) {
            System.out.println("timed out after " + seen.get() + " changes");
            Runtime.getRuntime().halt(1);
        }
        if (close) {
            Thread.sleep(500); // the last offsets flushed (every 100 ms)
            engine.close();
        }
        System.out.println("cpu " + cpuSeconds(ProcessHandle.current()));
        System.out.flush();
        Runtime.getRuntime().halt(0); // done: no orderly engine shutdown needed (nor measured)
    }

    /**
     * Stock Debezium's MariaDB connector with offsets and schema history in files: {@code init} runs until heartbeats
     * recorded where the binlog stands, then exits; {@code drain} resumes there and exits once it has seen
     * {@code changes} change records, printing its CPU seconds.
     */
    static void mariaMain(String mode, String db, String offsets, String history, long changes) throws Exception {
        Properties p = new Properties();
        p.setProperty("name", "bench-drain-maria");
        p.setProperty("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        p.setProperty("offset.storage.file.filename", offsets);
        p.setProperty("offset.flush.interval.ms", "100");
        p.setProperty("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        p.setProperty("schema.history.internal.file.filename", history);
        p.setProperty("database.hostname", "127.0.0.1");
        p.setProperty("database.port", "3306");
        p.setProperty("database.user", "root");
        p.setProperty("database.password", "");
        p.setProperty("database.server.id", "223344");
        p.setProperty("database.ssl.mode", "disable");
        p.setProperty("topic.prefix", "benchm");
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("database.include.list", db);
        p.setProperty("table.include.list", db + ".accounts");
        p.setProperty("heartbeat.interval.ms", "100");
        p.setProperty("max.batch.size", "8192");
        p.setProperty("max.queue.size", "32768");
        boolean init = mode.equals("init");
        runDiscarding(p, (seen, heartbeats) -> init ? heartbeats >= 20 : seen >= changes, init);
    }
}
