package io.dataflow.api.catalog;

import java.util.Locale;

/** Database engines that schema conversion knows, as sources and (PostgreSQL, MariaDB/MySQL) as targets. */
public enum Engine {
    POSTGRES("postgres"),
    MARIADB("mariadb"),
    MYSQL("mysql"),
    ORACLE("oracle"),
    SQLSERVER("sqlserver");

    private final String id;

    Engine(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** MariaDB and MySQL share type names and DDL. */
    public boolean mysqlFamily() {
        return this == MARIADB || this == MYSQL;
    }

    /** The engine whose mapping tables this one uses (MySQL shares MariaDB's). */
    public Engine mappingFamily() {
        return this == MYSQL ? MARIADB : this;
    }

    public static Engine of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
