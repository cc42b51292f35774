package io.dataflow.jdbc;

import io.dataflow.api.catalog.Engine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * DataFlow's bookkeeping inside a database target, in schema (or database) {@code _dataflow}: which preparation
 * steps ran, which full-load chunks committed (written in the same transaction as the chunk's rows, so a chunk is
 * loaded exactly once), and the objects of {@link JdbcObjectStore}.
 */
final class StateTables {
    static final String SCHEMA = "_dataflow";

    private StateTables() {}

    static void ensure(Connection c, Engine engine) throws SQLException {
        boolean pg = engine == Engine.POSTGRES;
        String text = pg ? "text" : "varchar(64)";
        try (Statement s = c.createStatement()) {
            s.execute(pg ? "CREATE SCHEMA IF NOT EXISTS " + SCHEMA : "CREATE DATABASE IF NOT EXISTS " + SCHEMA + " CHARACTER SET utf8mb4");
            s.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".steps (pipeline " + text + " NOT NULL, step " + (pg ? "text" : "varchar(500)")
                    + " NOT NULL, PRIMARY KEY (pipeline, step))");
            s.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".load_chunks (pipeline " + text + " NOT NULL, table_name "
                    + (pg ? "text" : "varchar(500)") + " NOT NULL, chunk integer NOT NULL, PRIMARY KEY (pipeline, table_name, chunk))");
            s.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".objects (object_key " + (pg ? "text" : "varchar(700) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
                    + " NOT NULL PRIMARY KEY, content " + (pg ? "bytea" : "longblob") + " NOT NULL, version bigint NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".applied (pipeline " + (pg ? "text" : "varchar(700)")
                    + " NOT NULL PRIMARY KEY, position " + (pg ? "text" : "varchar(200)") + " NOT NULL)");
        }
        c.commit();
    }

    static boolean done(Connection c, String pipeline, String step) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + SCHEMA + ".steps WHERE pipeline = ? AND step = ?")) {
            ps.setString(1, pipeline);
            ps.setString(2, step);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Records a step in the caller's transaction. */
    static void mark(Connection c, String pipeline, String step) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA + ".steps (pipeline, step) VALUES (?, ?)")) {
            ps.setString(1, pipeline);
            ps.setString(2, step);
            ps.executeUpdate();
        }
    }

    static boolean chunkDone(Connection c, String pipeline, String table, int chunk) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + SCHEMA + ".load_chunks WHERE pipeline = ? AND table_name = ? AND chunk = ?")) {
            ps.setString(1, pipeline);
            ps.setString(2, table);
            ps.setInt(3, chunk);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static void markChunk(Connection c, String pipeline, String table, int chunk) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA + ".load_chunks (pipeline, table_name, chunk) VALUES (?, ?, ?)")) {
            ps.setString(1, pipeline);
            ps.setString(2, table);
            ps.setInt(3, chunk);
            ps.executeUpdate();
        }
    }

    /**
     * The position of the last change applied to this target by {@code pipeline} (its key names the target database
     * too), or null: written in the same transaction as the changes, so a replay from an older checkpoint skips
     * what the target already holds.
     */
    static String appliedPosition(Connection c, String pipeline) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT position FROM " + SCHEMA + ".applied WHERE pipeline = ?")) {
            ps.setString(1, appliedKey(c, pipeline));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Records the last applied position in the caller's transaction. */
    static void recordApplied(Connection c, Engine engine, String pipeline, String position) throws SQLException {
        String sql = engine == Engine.POSTGRES
                ? "INSERT INTO " + SCHEMA + ".applied (pipeline, position) VALUES (?, ?) ON CONFLICT (pipeline) DO UPDATE SET position = EXCLUDED.position"
                : "INSERT INTO " + SCHEMA + ".applied (pipeline, position) VALUES (?, ?) ON DUPLICATE KEY UPDATE position = VALUES(position)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, appliedKey(c, pipeline));
            ps.setString(2, position);
            ps.executeUpdate();
        }
    }

    /** One row per pipeline and target database: two targets of a pipeline may share a server (and MariaDB's {@code _dataflow}). */
    private static String appliedKey(Connection c, String pipeline) throws SQLException {
        return pipeline + "@" + c.getCatalog();
    }

    /** Forgets a pipeline's steps, chunks and applied position ({@code dataflow cleanup --state}). */
    static void forget(Connection c, String pipeline) throws SQLException {
        for (String table : new String[] {"steps", "load_chunks"}) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + SCHEMA + "." + table + " WHERE pipeline = ?")) {
                ps.setString(1, pipeline);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + SCHEMA + ".applied WHERE pipeline = ?")) {
            ps.setString(1, appliedKey(c, pipeline));
            ps.executeUpdate();
        }
        c.commit();
    }
}
