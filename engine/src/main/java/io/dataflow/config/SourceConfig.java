package io.dataflow.config;

import java.util.Map;

/**
 * A source database.
 *
 * @param type        the engine
 * @param host        host name or address
 * @param port        TCP port
 * @param database    database to read
 * @param user        user name
 * @param password    password, empty for none
 * @param slot        PostgreSQL replication slot
 * @param publication PostgreSQL publication
 * @param sslMode     driver SSL mode
 * @param debezium    extra Debezium connector properties, passed through as given (advanced)
 */
public record SourceConfig(
        Type type, String host, int port, String database, String user, String password, String slot,
        String publication, String sslMode, Map<String, String> debezium) {

    public SourceConfig {
        debezium = Map.copyOf(debezium);
    }

    /** Supported source engines. */
    public enum Type {
        POSTGRES
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=" + sslMode;
    }

    @Override
    public String toString() {
        return type + " " + user + "@" + host + ":" + port + "/" + database;
    }
}
