package io.dataflow.testing;

import java.sql.Connection;
import java.sql.SQLException;

/** A fresh database on one of the machine's servers, dropped on close. */
public interface TestDb extends AutoCloseable {
    String name();

    /** The source type as the pipeline file spells it: postgres or mariadb. */
    String type();

    /** The "schema" part of table names in the lake: PostgreSQL's schema, MySQL's database. */
    String schema();

    Connection connect() throws SQLException;

    /** The JDBC URL of this database, for use as a database target. */
    String jdbcUrl();

    default void execute(String... sql) throws SQLException {
        try (Connection c = connect(); java.sql.Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /** YAML for a pipeline on this database into {@code lakeUri}. */
    String pipelineYaml(String pipelineName, String mode, String lakeUri, String include);

    @Override
    void close() throws SQLException;
}
