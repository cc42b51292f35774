package io.dataflow.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh database on the machine's PostgreSQL (127.0.0.1:5432, user postgres; override with
 * DATAFLOW_TEST_PG_HOST/PORT/USER), dropped on close together with the replication slots made in it.
 * Integration tests never share a database.
 */
public final class TestDatabase implements TestDb {
    public static final String HOST = env("DATAFLOW_TEST_PG_HOST", "127.0.0.1");
    public static final int PORT = Integer.parseInt(env("DATAFLOW_TEST_PG_PORT", "5432"));
    public static final String USER = env("DATAFLOW_TEST_PG_USER", "postgres");

    /**
     * The reader of PostgreSQL's change stream the pipelines of {@link #pipelineYaml} use: the system property {@code
     * dataflow.test.streaming-engine} ({@code debezium} or {@code native}), so that the CDC suites run against both;
     * empty: the default.
     */
    public static final String STREAMING_ENGINE = System.getProperty("dataflow.test.streaming-engine", "");

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    private static String env(String key, String def) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? def : v;
    }

    public static TestDatabase create() throws SQLException {
        String name = "dfit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = admin(); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("show wal_level");
            rs.next();
            if (!"logical".equals(rs.getString(1))) {
                throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " has wal_level=" + rs.getString(1)
                        + "; run scripts/setup-databases.sh (it sets wal_level=logical and restarts PostgreSQL)");
            }
            st.execute("create database " + name);
        }
        return new TestDatabase(name);
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", USER, "");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "postgres";
    }

    @Override
    public String schema() {
        return "public";
    }

    /** A slot name unique to this database. */
    public String slot() {
        return name;
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name;
    }

    @Override
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, "");
    }


    /** YAML for a pipeline on this database into {@code lakeUri}, with extra top-level YAML appended. */
    @Override
    public String pipelineYaml(String pipelineName, String mode, String lakeUri, String include) {
        return "name: " + pipelineName + "\n"
                + "source:\n  type: postgres\n  host: " + HOST + "\n  port: " + PORT + "\n  database: " + name
                + "\n  user: " + USER + "\n  slot: " + slot() + "\n  publication: " + name + "\n  ssl-mode: disable\n"
                + (STREAMING_ENGINE.isEmpty() ? "" : "  streaming-engine: " + STREAMING_ENGINE + "\n")
                + "tables:\n  include: [" + include + "]\n"
                + "mode: " + mode + "\n"
                + "targets:\n  - type: lake\n    uri: " + lakeUri + "\n    flush: {interval: 200ms, rows: 100000, bytes: 64MB}\n";
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + name + "' and pid <> pg_backend_pid()");
            st.execute("select pg_terminate_backend(active_pid) from pg_replication_slots where database = '" + name + "' and active");
            for (int i = 0; i < 50; i++) {
                try {
                    st.execute("select pg_drop_replication_slot(slot_name) from pg_replication_slots where database = '" + name + "'");
                    break;
                } catch (SQLException stillActive) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            st.execute("drop database if exists " + name + " with (force)");
        }
    }
}
