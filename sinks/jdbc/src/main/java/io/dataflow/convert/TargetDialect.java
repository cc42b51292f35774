package io.dataflow.convert;

import io.dataflow.api.catalog.Engine;
import io.dataflow.api.TableId;
import java.util.List;
import java.util.stream.Collectors;

/** How a target engine spells DDL: quoting, CREATE TABLE, indexes, foreign keys, identity. */
public interface TargetDialect {

    Engine engine();

    /** Longest identifier the engine accepts. */
    int maxIdentifierLength();

    String quote(String identifier);

    default String qualified(TableId id) {
        return quote(id.schema()) + "." + quote(id.table());
    }

    default String columnList(List<String> columns) {
        return columns.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    /** A string literal. */
    String literal(String value);

    String createSchema(String schema);

    /**
     * Statements that create the table with its columns and primary key (and enum types it needs); with
     * {@code ifNotExists}, a table that exists already is left as it is.
     */
    List<String> createTable(TargetTable t, boolean ifNotExists);

    default List<String> createTable(TargetTable t) {
        return createTable(t, false);
    }

    /** {@code CREATE TABLE} with every column, the primary key and {@code extraParts}, then {@code suffix}. */
    default String tableStatement(TargetTable t, boolean ifNotExists, List<String> extraParts, String suffix) {
        List<String> parts = new java.util.ArrayList<>();
        t.columns().forEach(c -> parts.add("  " + columnDefinition(c)));
        if (!t.primaryKey().isEmpty()) {
            parts.add("  PRIMARY KEY (" + columnList(t.primaryKey()) + ")");
        }
        extraParts.forEach(p -> parts.add("  " + p));
        return "CREATE TABLE " + (ifNotExists ? "IF NOT EXISTS " : "") + qualified(t.id()) + " (\n" + String.join(",\n", parts) + "\n)" + suffix;
    }

    String createIndex(TargetTable t, TargetTable.TargetIndex index);

    default String addForeignKey(TargetTable t, TargetTable.TargetForeignKey fk) {
        return "ALTER TABLE " + qualified(t.id()) + " ADD CONSTRAINT " + quote(fk.name()) + " FOREIGN KEY (" + columnList(fk.columns())
                + ") REFERENCES " + qualified(fk.references()) + " (" + columnList(fk.referencedColumns()) + ") ON DELETE " + fk.onDelete()
                + " ON UPDATE " + fk.onUpdate();
    }

    /** Moves the table's identity generator past the largest value present; null when the engine does it itself. */
    String resetIdentity(TargetTable t);

    String truncate(TargetTable t);

    /** The identity clause appended to a column definition. */
    String identityClause();

    static TargetDialect of(Engine target) {
        return switch (target) {
            case POSTGRES -> new PostgresTarget();
            case MARIADB, MYSQL -> new MariaDbTarget(target);
            default -> throw new IllegalArgumentException(target.id() + " is not a supported target; use postgres, mariadb or mysql");
        };
    }

    /** Column definitions shared by both engines: name, type, identity, NOT NULL, DEFAULT, CHECK. */
    default String columnDefinition(TargetTable.TargetColumn c) {
        StringBuilder d = new StringBuilder(quote(c.name())).append(' ').append(c.enumType() != null ? c.enumType() : c.type());
        if (c.identity()) {
            d.append(' ').append(identityClause());
        }
        if (!c.nullable()) {
            d.append(" NOT NULL");
        }
        if (c.defaultExpr() != null && !c.identity()) {
            d.append(" DEFAULT ").append(c.defaultExpr());
        }
        String check = check(c);
        if (check != null) {
            d.append(" CHECK (").append(check).append(')');
        }
        return d.toString();
    }

    /** A CHECK expression that keeps a column's enum or set labels; null when none is needed. */
    String check(TargetTable.TargetColumn c);
}
