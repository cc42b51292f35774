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
 * @param options     the family's own settings by key name (Oracle's {@code pdb}, SQL Server's {@code encrypt},
 *                    MongoDB's {@code connection-string}, ...), as its {@link SourceKeys} read them
 */
public record SourceConfig(
        Type type, String host, int port, String database, String user, String password, String slot,
        String publication, String sslMode, Map<String, String> debezium, long serverId, Map<String, String> options) {

    public SourceConfig {
        debezium = Map.copyOf(debezium);
        options = Map.copyOf(options);
    }

    public SourceConfig(Type type, String host, int port, String database, String user, String password, String slot,
            String publication, String sslMode, Map<String, String> debezium, long serverId) {
        this(type, host, port, database, user, password, slot, publication, sslMode, debezium, serverId, Map.of());
    }

    /** This source with the family's settings added to the ones it has (the common {@code ssl-root-cert}). */
    public SourceConfig withOptions(Map<String, String> familyOptions) {
        Map<String, String> merged = new java.util.HashMap<>(options);
        merged.putAll(familyOptions);
        return new SourceConfig(type, host, port, database, user, password, slot, publication, sslMode, debezium, serverId, merged);
    }

    /** The PEM file of the CA(s) the server's certificate must be signed by; empty when not set. */
    /**
     * The table a running pipeline takes signals from ({@code dataflow reload} writes a row there and the change
     * stream carries it to the pipeline): {@code signal-table}, by default {@code dataflow_signal} in {@code public}
     * (PostgreSQL) or the source database (MariaDB/MySQL); empty with {@code signal-table: none} and for sources
     * that take no signals.
     */
    public java.util.Optional<io.dataflow.api.TableId> signalTable() {
        String v = option("signal-table", "dataflow_signal");
        if (v.equals("none") || !(type == Type.POSTGRES || type.binlog())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(v.contains(".") ? io.dataflow.api.TableId.parse(v)
                : new io.dataflow.api.TableId(type.binlog() ? database : "public", v));
    }

    public String sslRootCert() {
        return option("ssl-root-cert", "");
    }

    /** A family setting, or {@code otherwise}. */
    public String option(String key, String otherwise) {
        return options.getOrDefault(key, otherwise);
    }

    public SourceConfig(Type type, String host, int port, String database, String user, String password, String slot,
            String publication, String sslMode, Map<String, String> debezium) {
        this(type, host, port, database, user, password, slot, publication, sslMode, debezium, 0);
    }

    /** Supported source engines. */
    public enum Type {
        POSTGRES(5432, "postgres"),
        MARIADB(3306, "root"),
        MYSQL(3306, "root"),
        ORACLE(1521, "c##dbzuser"),
        SQLSERVER(1433, "sa"),
        MONGODB(27017, "dataflow");

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
            return this == MARIADB || this == MYSQL;
        }
    }

    public String jdbcUrl() {
        return switch (type) {
            case POSTGRES -> "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=" + sslMode
                    + (sslRootCert().isEmpty() ? "" : "&sslrootcert=" + urlEncoded(sslRootCert()));
            case MARIADB -> "jdbc:mariadb://" + host + ":" + port + "/" + database + "?sslMode="
                    + (sslMode.equals("disable") || sslMode.equals("allow") || sslMode.equals("prefer") ? "disable"
                            : sslMode.equals("require") ? "trust" : sslMode)
                    + (sslRootCert().isEmpty() ? "" : "&serverSslCert=" + sslRootCert()); // the MariaDB driver does not URL-decode
            case MYSQL -> "jdbc:mysql://" + host + ":" + port + "/" + database + "?sslMode=" + switch (sslMode) {
                case "disable" -> "DISABLED";
                case "allow", "prefer" -> "PREFERRED";
                case "require" -> "REQUIRED";
                case "verify-ca" -> "VERIFY_CA";
                default -> "VERIFY_IDENTITY";
            } + "&zeroDateTimeBehavior=CONVERT_TO_NULL";
            // the service is the pluggable database when there is one (tables live there), else the database
            case ORACLE -> "jdbc:oracle:thin:@//" + host + ":" + port + "/" + option("pdb", database);
            case SQLSERVER -> "jdbc:sqlserver://" + host + ":" + port + ";databaseName=" + database + ";encrypt="
                    + option("encrypt", "true") + ";trustServerCertificate=" + option("trust-server-certificate", "false")
                    + ";loginTimeout=10";
            case MONGODB -> throw new IllegalStateException("a MongoDB source has no JDBC URL");
        };
    }

    private static String urlEncoded(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
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
