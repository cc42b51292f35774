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
 * @param serverId    MySQL-family replica server id (unique among the server's replicas)
 */
public record SourceConfig(
        Type type, String host, int port, String database, String user, String password, String slot,
        String publication, String sslMode, Map<String, String> debezium, long serverId) {

    public SourceConfig {
        debezium = Map.copyOf(debezium);
    }

    public SourceConfig(Type type, String host, int port, String database, String user, String password, String slot,
            String publication, String sslMode, Map<String, String> debezium) {
        this(type, host, port, database, user, password, slot, publication, sslMode, debezium, 0);
    }

    /** Supported source engines. */
    public enum Type {
        POSTGRES(5432, "postgres"),
        MARIADB(3306, "root"),
        MYSQL(3306, "root");

        private final int defaultPort;
        private final String defaultUser;

        Type(int defaultPort, String defaultUser) {
            this.defaultPort = defaultPort;
            this.defaultUser = defaultUser;
        }

        public int defaultPort() {
            return defaultPort;
        }

        public String defaultUser() {
            return defaultUser;
        }

        public boolean binlog() {
            return this != POSTGRES;
        }
    }

    public String jdbcUrl() {
        return switch (type) {
            case POSTGRES -> "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=" + sslMode;
            case MARIADB -> "jdbc:mariadb://" + host + ":" + port + "/" + database + "?sslMode="
                    + (sslMode.equals("disable") || sslMode.equals("allow") || sslMode.equals("prefer") ? "disable" : sslMode);
            case MYSQL -> "jdbc:mysql://" + host + ":" + port + "/" + database + "?sslMode=" + switch (sslMode) {
                case "disable" -> "DISABLED";
                case "allow", "prefer" -> "PREFERRED";
                case "require" -> "REQUIRED";
                case "verify-ca" -> "VERIFY_CA";
                default -> "VERIFY_IDENTITY";
            } + "&zeroDateTimeBehavior=CONVERT_TO_NULL";
        };
    }

    /** {@code user@host:port/database}, for messages. */
    public String where() {
        return user + "@" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return type + " " + where();
    }
}
