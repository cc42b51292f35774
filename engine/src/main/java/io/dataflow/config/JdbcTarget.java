package io.dataflow.config;

import java.util.Locale;

/**
 * A database target, reached over JDBC.
 *
 * @param url            {@code jdbc:postgresql://...}, {@code jdbc:mariadb://...} or {@code jdbc:mysql://...}
 * @param user           user name
 * @param password       password, empty for none
 * @param schema         the schema (PostgreSQL) or database (MariaDB/MySQL) every table goes to; empty keeps each
 *                       table's source schema name (PostgreSQL targets) or uses the URL's database (MariaDB/MySQL)
 * @param tablePrep      what happens to target tables before the full load
 * @param identifierCase {@code preserve} or {@code lower}
 * @param enumMode       {@code check} or {@code type} (PostgreSQL targets)
 */
public record JdbcTarget(String url, String user, String password, String schema, TablePrep tablePrep, String identifierCase,
        String enumMode) {

    /** Target table preparation, before the full load. */
    public enum TablePrep {
        /** Create every table (and schema); fail when one exists already, to never mix data. */
        CREATE,
        /** Tables exist: check their columns against the conversion, then empty them. */
        TRUNCATE,
        /** Tables exist: check their columns against the conversion, keep their rows. */
        KEEP
    }

    /** The target engine the URL names: postgres, mariadb or mysql. */
    public String engine() {
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:postgresql:")) {
            return "postgres";
        }
        if (u.startsWith("jdbc:mariadb:")) {
            return "mariadb";
        }
        if (u.startsWith("jdbc:mysql:")) {
            return "mysql";
        }
        throw new IllegalArgumentException("unsupported JDBC URL " + url);
    }

    @Override
    public String toString() {
        return url.replaceAll("password=[^&]*", "password=***");
    }
}
