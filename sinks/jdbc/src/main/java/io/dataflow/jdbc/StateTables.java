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

    /** Forgets a pipeline's steps and chunks ({@code dataflow cleanup --state}). */
    static void forget(Connection c, String pipeline) throws SQLException {
        for (String table : new String[] {"steps", "load_chunks"}) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + SCHEMA + "." + table + " WHERE pipeline = ?")) {
                ps.setString(1, pipeline);
                ps.executeUpdate();
            }
        }
        c.commit();
    }
}
