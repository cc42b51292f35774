package io.dataflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What every scenario shares: the settings of this run (immutable, from the command line) and how DataFlow, the
 * databases and the baselines are run.
 */
abstract class Scenario {
    final Settings settings;
    final String host;
    final String user;
    final String db;
    final int port;
    final Path jar;
    final Path launcher;
    final Path work;
    final int repeats;
    final String heap;
    /** The reader of PostgreSQL's change stream the streaming scenarios use (cdc-drain runs both). */
    final String streamingEngine;

    /** The database the database-target scenarios write to. */
    static final String TARGET_DB = "dataflow_bench_target";

    Scenario(Settings settings) {
        this.settings = settings;
        this.host = settings.host();
        this.user = settings.user();
        this.db = settings.db();
        this.port = settings.port();
        this.jar = settings.jar();
        this.launcher = settings.launcher();
        this.work = settings.work();
        this.repeats = settings.repeats();
        this.heap = settings.heap();
        this.streamingEngine = settings.streamingEngine();
    }

    // ---------------------------------------------------------------- helpers
    /** The PostgreSQL source's {@code streaming-engine} entry for the YAML flow mapping ({@code , streaming-engine: native}), or nothing. */
    String streamingEngineEntry() {
        return streamingEngine.equals("debezium") ? "" : ", streaming-engine: " + streamingEngine;
    }

    Path pipeline(String name, String mode, Path lake, String include, String flush) throws IOException {
        Path f = work.resolve(name + ".yaml");
        Files.writeString(f, "name: " + name + "\nsource: {type: postgres, host: " + host + ", port: " + port + ", database: " + db
                + ", user: " + user + streamingEngineEntry() + ", ssl-mode: disable}\ntables: {include: [" + include + "]}\nmode: " + mode
                + "\ntargets:\n  - {type: lake, uri: " + lake + ", flush: {interval: " + flush + "}}\n");
        return f;
    }

    /**
     * Runs `dataflow run` (a streaming mode) until it logs that the full load is done, then stops it with SIGTERM;
     * returns the peak RSS in KiB.
     */
    long runUntilFullLoadDone(Path config) throws Exception {
        return runUntilFullLoadDone(config, work.resolve("fullload-mariadb-run.log"));
    }

    long runUntilFullLoadDone(Path config, Path log) throws Exception {
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
    long runDataflow(Path config) {
        return runTimed(dataflow("run", "--config", config.toString(), "--progress-seconds", "0"));
    }

    /** Runs `java -jar dataflow.jar run` (no launcher settings) under /usr/bin/time; returns the peak RSS in KiB. */
    long runJar(Path config) {
        return runTimed(List.of("java", "-Xmx" + heap, "-jar", jar.toString(), "run", "--config", config.toString(), "--progress-seconds", "0"));
    }

    long runTimed(List<String> command) {
        Path timeOut = work.resolve("time.txt");
        run(timed(timeOut, command), work.resolve("fullload-run.log"));
        try {
            return Long.parseLong(Files.readString(timeOut).trim().lines().reduce((a, b) -> b).orElse("0"));
        } catch (Exception e) {
            return -1;
        }
    }

    /** {@code bin/dataflow ARGS}: DataFlow as users run it (see the launcher for its JVM settings). */
    List<String> dataflow(String... args) {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    List<String> timed(Path timeOut, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-o", timeOut.toString(), "-f", "%M"));
        cmd.addAll(command);
        return cmd;
    }

    /** The launcher's environment: this jar, the bench's heap, the bench's class-data archive folder. */
    ProcessBuilder env(ProcessBuilder pb) {
        pb.environment().put("DATAFLOW_JAR", jar.toString());
        // DATAFLOW_BENCH_JAVA_OPTS: JVM settings tried on DataFlow's processes only (e.g. another collector)
        pb.environment().put("JAVA_OPTS", ("-Xmx" + heap + " " + System.getenv().getOrDefault("DATAFLOW_BENCH_JAVA_OPTS", "")).trim());
        pb.environment().put("DATAFLOW_CACHE", work.resolve("cds-" + archiveSource).toString());
        return pb;
    }

    /** Whose first run wrote the class-data archive the launcher maps: "postgres" or "mariadb" (the scenario's source). */
    String archiveSource = "postgres";

    /**
     * The launcher writes its class-data archive during the first `run` with a jar (about 1 s longer) and keeps it:
     * a user's archive holds the classes of their own first pipeline. The bench keeps one archive per source engine
     * (a MariaDB pipeline loads other drivers' classes), each written by an unmeasured first run on a small table in
     * mode full-load-and-cdc (a typical first run: the loader's and Debezium's classes), stopped once streaming.
     */
    void ensureClassArchive(String source) throws Exception {
        archiveSource = source;
        Path cds = work.resolve("cds-" + source);
        if (Files.isDirectory(cds)) {
            // the launcher names an archive after the jar's size and time: one older than the jar is for an earlier build,
            // and a measured run would write the new one (slower, and without JFR)
            long built = Files.getLastModifiedTime(jar).toMillis();
            try (Stream<Path> files = Files.list(cds)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".jsa")).toList()) {
                    if (Files.getLastModifiedTime(f).toMillis() >= built) {
                        return;
                    }
                    Files.delete(f);
                }
            }
        }
        Path lake = work.resolve("lake-warmup");
        Results.deleteTree(lake);
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
        Results.deleteTree(lake);
    }

    void run(List<String> cmd, Path log) {
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

    void waitForSlot(String slot) throws Exception {
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

    Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + db, user, "");
    }

    long scalar(String sql) throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A pipeline file reading one MariaDB table into a lake. */
    Path mariaPipeline(String name, String mode, String table, Path lake) throws IOException {
        Path f = work.resolve(name + ".yaml");
        Files.writeString(f, "name: " + name + "\nsource: {type: mariadb, host: 127.0.0.1, port: 3306, database: " + db
                + ", user: root, ssl-mode: disable}\ntables: {include: [" + db + "." + table + "]}\nmode: " + mode + "\n"
                + "targets:\n  - {type: lake, uri: " + lake + "}\n");
        return f;
    }
}
