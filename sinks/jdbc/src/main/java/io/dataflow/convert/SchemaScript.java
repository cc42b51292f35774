package io.dataflow.convert;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The DDL of a conversion, in the order it runs: schemas and tables, then (after the full load) indexes, keys, identities. */
public final class SchemaScript {
    private SchemaScript() {}

    /** Statements that create schemas and tables (primary keys included). */
    public static List<String> tables(SchemaConverter.Conversion c) {
        return tables(c, false);
    }

    /** The same, leaving tables that exist already as they are when {@code ifNotExists}. */
    public static List<String> tables(SchemaConverter.Conversion c, boolean ifNotExists) {
        List<String> out = new ArrayList<>();
        Set<String> schemas = new LinkedHashSet<>();
        c.tables().forEach(t -> schemas.add(t.id().schema()));
        schemas.forEach(s -> out.add(c.dialect().createSchema(s)));
        c.tables().forEach(t -> out.addAll(c.dialect().createTable(t, ifNotExists)));
        return out;
    }

    /** Statements that run after the full load: secondary indexes, then foreign keys, then identity resets. */
    public static List<String> postLoad(SchemaConverter.Conversion c) {
        List<String> out = new ArrayList<>();
        c.tables().forEach(t -> t.indexes().forEach(i -> out.add(c.dialect().createIndex(t, i))));
        c.tables().forEach(t -> t.foreignKeys().forEach(fk -> out.add(c.dialect().addForeignKey(t, fk))));
        c.tables().forEach(t -> {
            String reset = c.dialect().resetIdentity(t);
            if (reset != null) {
                out.add(reset);
            }
        });
        return out;
    }

    /** The whole script as text, for {@code dataflow convert --out}. */
    public static String render(SchemaConverter.Conversion c) {
        StringBuilder sql = new StringBuilder();
        sql.append("-- DataFlow schema conversion: ").append(c.report().source()).append(" -> ").append(c.report().target())
                .append("\n-- ").append(c.tables().size()).append(" tables; see the report for every column's mapping and what was not converted.\n\n");
        sql.append("-- 1. tables (before the full load)\n\n");
        tables(c).forEach(s -> sql.append(s).append(";\n\n"));
        sql.append("-- 2. after the full load: secondary indexes, foreign keys, identity generators\n\n");
        postLoad(c).forEach(s -> sql.append(s).append(";\n\n"));
        return sql.toString();
    }
}
