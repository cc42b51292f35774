package io.dataflow.convert;

import io.dataflow.api.catalog.Engine;
import java.util.List;
import java.util.stream.Collectors;

/** MariaDB / MySQL DDL (InnoDB, utf8mb4). */
public final class MariaDbTarget implements TargetDialect {
    private final Engine engine;

    public MariaDbTarget(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Engine engine() {
        return engine;
    }

    @Override
    public int maxIdentifierLength() {
        return 64;
    }

    @Override
    public String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    @Override
    public String createSchema(String schema) {
        return "CREATE DATABASE IF NOT EXISTS " + quote(schema) + " CHARACTER SET utf8mb4";
    }

    @Override
    public List<String> createTable(TargetTable t, boolean ifNotExists) {
        // MariaDB requires an auto-increment column to lead some key
        List<String> identityKey = t.identity().filter(c -> t.primaryKey().isEmpty() || !t.primaryKey().get(0).equals(c.name()))
                .map(c -> List.of("KEY (" + quote(c.name()) + ")")).orElse(List.of());
        return List.of(tableStatement(t, ifNotExists, identityKey, " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"));
    }

    @Override
    public String columnDefinition(TargetTable.TargetColumn c) {
        if (c.type().equals("enum")) {
            String labels = c.enumLabels().stream().map(this::literal).collect(Collectors.joining(","));
            return TargetDialect.super.columnDefinition(new TargetTable.TargetColumn(c.sourceName(), c.name(), "enum(" + labels + ")",
                    c.nullable(), c.defaultExpr(), c.identity(), List.of(), null, c.mapping(), c.source()));
        }
        return TargetDialect.super.columnDefinition(c);
    }

    @Override
    public String check(TargetTable.TargetColumn c) {
        return null;
    }

    @Override
    public String createIndex(TargetTable t, TargetTable.TargetIndex index) {
        return "CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX IF NOT EXISTS " + quote(index.name()) + " ON " + qualified(t.id())
                + " (" + index.columns().stream().map(c -> quote(c) + prefix(t, c)).collect(Collectors.joining(", ")) + ")";
    }

    /** Text and blob columns can only be indexed by a prefix. */
    private static String prefix(TargetTable t, String column) {
        return t.columns().stream().filter(c -> c.name().equals(column)).findFirst()
                .map(c -> c.type().matches("(?i)(long|medium|tiny)?(text|blob)|json") ? "(191)" : "").orElse("");
    }


    @Override
    public String resetIdentity(TargetTable t) {
        return null; // InnoDB moves AUTO_INCREMENT past explicitly inserted values by itself
    }

    @Override
    public String truncate(TargetTable t) {
        return "DELETE FROM " + qualified(t.id()); // TRUNCATE fails on tables that foreign keys reference
    }

    @Override
    public String identityClause() {
        return "AUTO_INCREMENT";
    }
}
