package io.dataflow.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh database on the machine's MariaDB (127.0.0.1:3306, root without password; override with
 * DATAFLOW_TEST_MARIADB_HOST/PORT/USER), dropped on close. Connections use UTC and a permissive sql_mode
 * so tests can write zero dates.
 */
public final class TestMariaDb implements TestDb {
    public static final String HOST = env("DATAFLOW_TEST_MARIADB_HOST", "127.0.0.1");
    public static final int PORT = Integer.parseInt(env("DATAFLOW_TEST_MARIADB_PORT", "3306"));
    public static final String USER = env("DATAFLOW_TEST_MARIADB_USER", "root");
    private final String name;

    private TestMariaDb(String name) {
        this.name = name;
    }

    private static String env(String key, String def) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? def : v;
    }

    public static TestMariaDb create() throws SQLException {
        String name = "dfit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = admin(); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("select @@log_bin, @@binlog_format");
            rs.next();
            if (!rs.getBoolean(1) || !"ROW".equals(rs.getString(2))) {
                throw new IllegalStateException("MariaDB at " + HOST + ":" + PORT + " has log_bin=" + rs.getString(1) + ", binlog_format="
                        + rs.getString(2) + "; run scripts/setup-databases.sh (it enables the row binlog and restarts MariaDB)");
            }
            st.execute("create database " + name + " character set utf8mb4");
        }
        return new TestMariaDb(name);
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://" + HOST + ":" + PORT + "/", USER, "");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "mariadb";
    }

    @Override
    public String schema() {
        return name;
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:mariadb://" + HOST + ":" + PORT + "/" + name;
    }

    @Override
    public Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl(), USER, "");
        try (Statement st = c.createStatement()) {
            st.execute("set time_zone = '+00:00'");
            st.execute("set sql_mode = ''");
        }
        return c;
    }

    @Override
    public String pipelineYaml(String pipelineName, String mode, String lakeUri, String include) {
        return "name: " + pipelineName + "\n"
                + "source:\n  type: mariadb\n  host: " + HOST + "\n  port: " + PORT + "\n  database: " + name
                + "\n  user: " + USER + "\n  ssl-mode: disable\n"
                + "tables:\n  include: [" + include.replace("public.", name + ".") + "]\n"
                + "mode: " + mode + "\n"
                + "targets:\n  - type: lake\n    uri: " + lakeUri + "\n    flush: {interval: 200ms, rows: 100000, bytes: 64MB}\n";
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("drop database if exists " + name);
        }
    }
}
