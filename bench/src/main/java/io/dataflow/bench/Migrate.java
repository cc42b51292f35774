package io.dataflow.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Database to database: `dataflow run` MariaDB to PostgreSQL (against pgloader) and PostgreSQL to MariaDB. */
final class Migrate extends Scenario {
    Migrate(Settings settings) {
        super(settings);
    }

    // ---------------------------------------------------------------- database to database

    /**
     * MariaDB accounts (2M rows) into PostgreSQL: `mariadb --quick | psql \\copy` (the two databases' own tools piped,
     * the practical limit), pgloader (Debian's package, when installed), and `dataflow run` in mode full-load with a
     * jdbc target (whole process; tables, load, indexes).
     */
    Map<String, Object> migrateMariaDbToPostgres() throws Exception {
        long rows = mariaScalar("select count(*) from accounts");
        boolean pgloader = new File("/usr/bin/pgloader").canExecute();
        List<Double> pipe = new ArrayList<>(), pgl = new ArrayList<>(), dataflow = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        String psql = "psql -h 127.0.0.1 -U postgres -qAt";
        for (int r = 0; r < repeats; r++) {
            run(List.of("bash", "-c", psql + " -d postgres -c 'drop database if exists " + TARGET_DB + " with (force)' -c 'create database "
                    + TARGET_DB + "'"), null);
            run(List.of("bash", "-c", psql + " -d " + TARGET_DB + " -c 'create table pipe_accounts (aid int primary key, bid int, abalance int, filler char(84))'"), null);
            pipe.add(Results.seconds(() -> run(List.of("bash", "-o", "pipefail", "-c", "mariadb -uroot -h 127.0.0.1 --quick -N -B " + db
                    + " -e 'select aid, bid, abalance, filler from accounts' | " + psql + " -d " + TARGET_DB
                    + " -c \"\\\\copy pipe_accounts from stdin with (null 'NULL')\""), null)));
            if (pgloader) {
                pgl.add(Results.seconds(() -> run(List.of("pgloader", "--quiet", "mysql://root@127.0.0.1/" + db,
                        "postgresql://postgres@127.0.0.1/" + TARGET_DB), work.resolve("pgloader.log"))));
                run(List.of("bash", "-c", psql + " -d " + TARGET_DB + " -c 'drop schema " + db + " cascade'"), null);
            }
            Path f = work.resolve("benchm2p.yaml");
            Files.writeString(f, "name: benchm2p\nsource: {type: mariadb, host: 127.0.0.1, port: 3306, database: " + db
                    + ", user: root, ssl-mode: disable}\ntables: {include: [" + db + ".accounts]}\nmode: full-load\n"
                    + "targets:\n  - {type: jdbc, url: 'jdbc:postgresql://127.0.0.1:5432/" + TARGET_DB + "', user: postgres}\n");
            long[] peak = new long[1];
            dataflow.add(Results.seconds(() -> peak[0] = runDataflow(f)));
            rss.add(peak[0]);
            System.err.printf(Locale.ROOT, "repeat %d: pipe %.2fs, pgloader %s, dataflow %.2fs%n", r + 1, pipe.get(r),
                    pgloader ? String.format(Locale.ROOT, "%.2fs", pgl.get(r)) : "-", dataflow.get(r));
        }
        Map<String, Object> m = Results.header("migrate-mariadb-to-postgres", "accounts", rows, repeats);
        m.put("pipe_s", Results.stats(pipe));
        m.put("pipe_rows_per_s", Math.round(rows / Results.median(pipe)));
        if (pgloader) {
            m.put("pgloader_s", Results.stats(pgl));
            m.put("pgloader_rows_per_s", Math.round(rows / Results.median(pgl)));
            m.put("ratio_to_pgloader", Results.round(Results.median(pgl) / Results.median(dataflow)));
        }
        m.put("dataflow_s", Results.stats(dataflow));
        m.put("rows_per_s", Math.round(rows / Results.median(dataflow)));
        m.put("ratio_to_pipe", Results.round(Results.median(pipe) / Results.median(dataflow)));
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
    Map<String, Object> migratePostgresToMariaDb() throws Exception {
        long rows = scalar("select count(*) from pgbench_accounts");
        List<Double> pipe = new ArrayList<>(), dataflow = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        String maria = "mariadb -uroot -h 127.0.0.1";
        for (int r = 0; r < repeats; r++) {
            run(List.of("bash", "-c", maria + " -e 'drop database if exists " + TARGET_DB + "; create database " + TARGET_DB
                    + "; create table " + TARGET_DB + ".pipe_accounts (aid int primary key, bid int, abalance int, filler char(84))'"), null);
            pipe.add(Results.seconds(() -> run(List.of("bash", "-o", "pipefail", "-c", "psql -h 127.0.0.1 -U postgres -qAt -d " + db
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
            dataflow.add(Results.seconds(() -> peak[0] = runDataflow(f)));
            rss.add(peak[0]);
            System.err.printf(Locale.ROOT, "repeat %d: pipe %.2fs, dataflow %.2fs%n", r + 1, pipe.get(r), dataflow.get(r));
        }
        Map<String, Object> m = Results.header("migrate-postgres-to-mariadb", "pgbench_accounts", rows, repeats);
        m.put("pipe_s", Results.stats(pipe));
        m.put("pipe_rows_per_s", Math.round(rows / Results.median(pipe)));
        m.put("dataflow_s", Results.stats(dataflow));
        m.put("rows_per_s", Math.round(rows / Results.median(dataflow)));
        m.put("ratio_to_pipe", Results.round(Results.median(pipe) / Results.median(dataflow)));
        m.put("dataflow_peak_rss_mb", Collections.max(rss) / 1024);
        m.put("dataflow_heap", heap);
        m.put("note", "dataflow reads with parallel COPY chunks under one exported snapshot and writes batched multi-row INSERTs");
        return m;
    }

    long mariaScalar(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + db, "root", "");
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
