package io.dataflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validation of two equal tables (PostgreSQL -> PostgreSQL, loaded by `dataflow run` into a database target) next to one
 * plain read of both sides: `COPY ... TO STDOUT` of the source and of the target run concurrently, into /dev/null.
 * Then again with 100 planted differences in the target.
 */
final class Validate extends Scenario {
    Validate(Settings settings) {
        super(settings);
    }

    Map<String, Object> validate(String table) throws Exception {
        long rows = scalar("select count(*) from " + table);
        Path config = work.resolve("benchval.yaml");
        Files.writeString(config, "name: benchval\nsource: {type: postgres, host: " + host + ", port: " + port + ", database: " + db
                + ", user: " + user + ", ssl-mode: disable}\ntables: {include: [public." + table + "]}\nmode: full-load\n"
                + "targets:\n  - {type: jdbc, url: 'jdbc:postgresql://" + host + ":" + port + "/" + TARGET_DB + "', user: " + user + "}\n");
        Map<String, Object> m = measure("validate-postgres-to-postgres", table, rows, config, "public." + table,
                () -> bothReads(List.of("psql", "-h", host, "-p", "" + port, "-U", user, "-d", db, "-qAt", "-c", "copy " + table + " to stdout"),
                        "public." + table));
        m.put("note", "validate is the whole `bin/dataflow validate` process (JVM start, catalog, conversion, then 4 threads of key ranges)");
        return m;
    }

    /** The same from MariaDB ({@code accounts}, pgbench_accounts' shape) into a PostgreSQL target: rows stream from both sides. */
    Map<String, Object> validateMariaDb(String table) throws Exception {
        long rows;
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + db, "root", "");
                Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery("select count(*) from " + table)) {
            rs.next();
            rows = rs.getLong(1);
        }
        Path config = work.resolve("benchvalm.yaml");
        Files.writeString(config, "name: benchvalm\nsource: {type: mariadb, host: 127.0.0.1, port: 3306, database: " + db
                + ", user: root, ssl-mode: disable}\ntables: {include: [" + db + "." + table + "]}\nmode: full-load\n"
                + "targets:\n  - {type: jdbc, url: 'jdbc:postgresql://" + host + ":" + port + "/" + TARGET_DB + "', user: " + user + "}\n");
        String target = "\"" + db + "\"." + table;
        Map<String, Object> m = measure("validate-mariadb-to-postgres", table, rows, config, target,
                () -> bothReads(List.of("mariadb", "--quick", "-h", "127.0.0.1", "-uroot", db, "-e", "select * from " + table), target));
        m.put("note", "both reads: the mariadb client's select into /dev/null and psql's COPY of the target, at once");
        return m;
    }

    /**
     * Loads the pipeline's table into a fresh target database, then times, {@code repeats} times each: one read of both
     * sides at once, validate on equal tables, and validate after 100 rows of the target ({@code targetTable}) changed.
     */
    private Map<String, Object> measure(String scenario, String table, long rows, Path config, String targetTable, Runnable bothReads)
            throws Exception {
        run(List.of("bash", "-c", "psql -h 127.0.0.1 -U postgres -qAt -d postgres -c 'drop database if exists " + TARGET_DB
                + " with (force)' -c 'create database " + TARGET_DB + "'"), null);
        run(dataflow("run", "--config", config.toString(), "--progress-seconds", "0"), work.resolve(scenario + "-load.log"));
        List<Double> read = new ArrayList<>();
        List<Double> equal = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            read.add(Results.seconds(bothReads::run));
            equal.add(Results.seconds(() -> validateRun(config, 0)));
            System.err.printf(Locale.ROOT, "repeat %d: both reads %.2fs, validate %.2fs%n", r + 1, read.get(r), equal.get(r));
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + TARGET_DB, user, "");
                Statement st = c.createStatement()) {
            st.execute("update " + targetTable + " set abalance = abalance + 1 where aid % " + Math.max(1, rows / 100) + " = 0");
        }
        List<Double> different = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            different.add(Results.seconds(() -> validateRun(config, 1)));
        }
        Map<String, Object> m = Results.header(scenario, table, rows, repeats);
        m.put("both_reads_s", Results.stats(read));
        m.put("validate_equal_s", Results.stats(equal));
        m.put("validate_100_differences_s", Results.stats(different));
        m.put("equal_ratio_to_reads", Results.round(Results.median(equal) / Results.median(read)));
        m.put("different_ratio_to_reads", Results.round(Results.median(different) / Results.median(read)));
        m.put("rows_per_s", Math.round(rows / Results.median(equal)));
        return m;
    }

    /** The source's read command and psql's COPY of the target table, run at once, output discarded. */
    private void bothReads(List<String> sourceRead, String targetTable) {
        try {
            Process a = new ProcessBuilder(sourceRead).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Process b = new ProcessBuilder("psql", "-h", host, "-p", "" + port, "-U", user, "-d", TARGET_DB, "-qAt", "-c",
                    "copy " + targetTable + " to stdout").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (a.waitFor() != 0 || b.waitFor() != 0) {
                throw new IllegalStateException("a read failed");
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    private void validateRun(Path config, int expected) {
        try {
            Path log = work.resolve("validate-run.log");
            int code = env(new ProcessBuilder(dataflow("validate", "--config", config.toString(), "--max-diffs", "5")))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start().waitFor();
            if (code != expected) {
                throw new IllegalStateException("validate exited " + code + ", expected " + expected + "; see " + log);
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
