package io.dataflow.bench;

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
import java.util.Properties;

/** MariaDB full load: the client's own read, stock Debezium's snapshot, and `dataflow run` in both consistency modes. */
final class FullLoadMariaDb extends Scenario {
    FullLoadMariaDb(Settings settings) {
        super(settings);
    }

    // ---------------------------------------------------------------- full load, MariaDB
    Map<String, Object> fullLoadMariaDb(String table) throws Exception {
        long rows;
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + db, "root", "");
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from " + table)) {
            rs.next();
            rows = rs.getLong(1);
        }
        List<Double> client = new ArrayList<>(), debezium = new ArrayList<>(), dataflow = new ArrayList<>(), streaming = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            client.add(Results.seconds(() -> run(List.of("mariadb", "--quick", "-h", "127.0.0.1", "-uroot", db, "-e", "select * from " + table), null)));
            debezium.add(Results.seconds(() -> debeziumMariaDbSnapshot(table, rows)));
            Path lake = work.resolve("lake-fullload-mariadb");
            // mode full-load: chunks read in parallel inside one consistent snapshot; the whole process
            Results.deleteTree(lake);
            Path snapshot = mariaPipeline("benchmaria", "full-load", table, lake);
            long[] peak = new long[1];
            dataflow.add(Results.seconds(() -> peak[0] = runDataflow(snapshot)));
            rss.add(peak[0]);
            // mode full-load-and-cdc: the lock-free loader reads chunks while the binlog streams; until 'full load done'
            Results.deleteTree(lake);
            Path concurrent = mariaPipeline("benchmaria", "full-load-and-cdc", table, lake);
            streaming.add(Results.seconds(() -> peak[0] = runUntilFullLoadDone(concurrent)));
            rss.add(peak[0]);
            System.err.printf(Locale.ROOT, "repeat %d: mariadb client %.2fs, debezium %.2fs, dataflow %.2fs, while streaming %.2fs%n", r + 1,
                    client.get(r), debezium.get(r), dataflow.get(r), streaming.get(r));
        }
        Map<String, Object> m = Results.header("fullload-mariadb-to-local-lake", table, rows, repeats);
        m.put("client_s", Results.stats(client));
        m.put("debezium_s", Results.stats(debezium));
        m.put("dataflow_s", Results.stats(dataflow));
        m.put("streaming_s", Results.stats(streaming));
        m.put("client_rows_per_s", Math.round(rows / Results.median(client)));
        m.put("debezium_rows_per_s", Math.round(rows / Results.median(debezium)));
        m.put("rows_per_s", Math.round(rows / Results.median(dataflow)));
        m.put("streaming_rows_per_s", Math.round(rows / Results.median(streaming)));
        m.put("ratio_to_client", Results.round(Results.median(client) / Results.median(dataflow)));
        m.put("ratio_to_debezium", Results.round(Results.median(debezium) / Results.median(dataflow)));
        m.put("streaming_ratio_to_client", Results.round(Results.median(client) / Results.median(streaming)));
        m.put("streaming_ratio_to_debezium", Results.round(Results.median(debezium) / Results.median(streaming)));
        m.put("dataflow_peak_rss_mb", Collections.max(rss) / 1024);
        m.put("dataflow_heap", heap);
        return m;
    }

    void debeziumMariaDbSnapshot(String table, long expected) {
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


    /** The PostgreSQL scenario's Debezium runner, shared. */
    void runDebeziumSnapshot(Properties p, String table, long expected) {
        new FullLoadPostgres(settings).runDebeziumSnapshot(p, table, expected);
    }
}
