package io.dataflow.jdbc;

import io.dataflow.config.JdbcProperties;
import io.dataflow.config.JdbcTarget;
import io.dataflow.api.catalog.Engine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Opens connections to a database target with the settings DataFlow's writes rely on. */
public final class TargetConnections {
    private final JdbcTarget target;
    private final Engine engine;

    public TargetConnections(JdbcTarget target) {
        this.target = target;
        this.engine = Engine.of(target.engine());
    }

    public Engine engine() {
        return engine;
    }

    public JdbcTarget target() {
        return target;
    }

    /**
     * A connection with auto-commit off. PostgreSQL: text parameters are typed by the server
     * ({@code stringtype=unspecified}), so one text rendering fits every column type. MariaDB/MySQL: UTC session
     * time zone, strict mode, utf8mb4.
     */
    public Connection open() throws SQLException {
        Properties p = JdbcProperties.credentials(target.user(), target.password());
        Connection c;
        if (engine == Engine.POSTGRES) {
            p.setProperty("stringtype", "unspecified");
            p.setProperty("ApplicationName", "dataflow");
            p.setProperty("connectTimeout", "10");
            c = DriverManager.getConnection(target.url(), p);
            try (Statement s = c.createStatement()) {
                s.execute("SET TIME ZONE 'UTC'");
                s.execute("SET synchronous_commit = on");
            }
        } else {
            p.setProperty("connectTimeout", "10000");
            p.setProperty("useBulkStmts", "true");
            p.setProperty("rewriteBatchedStatements", "true");
            p.setProperty("allowLocalInfile", "false");
            c = DriverManager.getConnection(target.url(), p);
            try (Statement s = c.createStatement()) {
                s.execute("SET time_zone = '+00:00'");
                s.execute("SET NAMES utf8mb4");
                s.execute("SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO'");
                s.execute("SET SESSION foreign_key_checks = 0");
            }
        }
        c.setAutoCommit(false);
        return c;
    }

    /** The schema tables go to when the pipeline names none: PostgreSQL keeps the source's, MariaDB uses the URL's database. */
    public String defaultSchema(Connection c) throws SQLException {
        return engine == Engine.POSTGRES ? "" : c.getCatalog();
    }
}
