package io.dataflow.cli.assess;

import io.dataflow.api.catalog.Engine;
import io.dataflow.api.catalog.SourceColumn;
import java.util.Set;

/**
 * How a source column's type lands in the lake (config/type-mapping.md): exactly, with a documented loss, or as
 * Debezium happens to render it (a type DataFlow's tests do not cover).
 */
final class LakeTypes {
    /** How faithfully a type lands. */
    enum Fidelity {
        EXACT,
        /** Documented loss (a time zone offset, a unit). */
        LOSSY,
        /** Not covered: written as Debezium renders it, unverified. */
        UNVERIFIED
    }

    /** A column's fidelity and, unless exact, why. */
    record Verdict(Fidelity fidelity, String why) {}

    private static final Set<String> PG_EXACT = Set.of("smallint", "integer", "bigint", "real", "double precision", "boolean",
            "character varying", "character", "text", "citext", "bytea", "date", "time without time zone",
            "timestamp without time zone", "timestamp with time zone", "uuid", "json", "jsonb", "hstore", "enum", "inet", "cidr",
            "macaddr", "macaddr8", "oid", "numeric", "point", "name");
    private static final Set<String> MARIADB_EXACT = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint",
            "decimal", "numeric", "float", "double", "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "binary",
            "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "enum", "year", "date", "datetime", "timestamp", "json",
            "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection");

    private LakeTypes() {}

    static Verdict of(Engine engine, SourceColumn c) {
        String t = c.dataType();
        if (engine == Engine.POSTGRES) {
            return switch (t) {
                case "time with time zone" -> lossy("normalized to UTC: the original offset is not kept");
                case "interval" -> lossy("written as ISO-8601 duration text");
                case "money" -> lossy("read as decimal(19,2): assumes lc_monetary with 2 fraction digits");
                case "bit" -> c.length() == 1 ? exact() : unverified("bit(" + c.length() + ")");
                case "array" -> c.elementType() != null && !PG_EXACT.contains(c.elementType()) && !isPgShortName(c.elementType())
                        ? unverified("array of " + c.elementType()) : exact();
                default -> PG_EXACT.contains(t) ? exact() : unverified(c.columnType());
            };
        }
        return switch (t) {
            case "time" -> lossy("written as text [-]H:MM:SS[.ffffff] (MySQL's TIME is a duration)");
            case "set" -> lossy("written as the labels, comma-separated");
            case "bit" -> c.length() <= 1 ? exact() : unverified("bit(" + c.length() + ")");
            default -> MARIADB_EXACT.contains(t) ? exact() : unverified(c.columnType());
        };
    }

    /** Array element types come as PostgreSQL's internal names (int4, text, ...). */
    private static boolean isPgShortName(String element) {
        return Set.of("int2", "int4", "int8", "float4", "float8", "bool", "varchar", "bpchar", "text", "numeric", "date",
                "timestamp", "timestamptz", "uuid", "json", "jsonb", "bytea").contains(element);
    }

    private static Verdict exact() {
        return new Verdict(Fidelity.EXACT, "");
    }

    private static Verdict lossy(String why) {
        return new Verdict(Fidelity.LOSSY, why);
    }

    private static Verdict unverified(String type) {
        return new Verdict(Fidelity.UNVERIFIED, type + " is not covered by DataFlow's type mapping: it would land as Debezium "
                + "renders it (text or bytes), unverified");
    }

    /** Types whose values can be large (held whole in memory per row). */
    static boolean isLob(Engine engine, SourceColumn c) {
        String t = c.dataType();
        if (engine == Engine.POSTGRES) {
            return Set.of("text", "bytea", "json", "jsonb", "xml", "citext", "hstore").contains(t)
                    || (t.equals("character varying") && (c.length() < 0 || c.length() > 65_535)) || t.equals("array");
        }
        return Set.of("text", "mediumtext", "longtext", "blob", "mediumblob", "longblob", "json").contains(t);
    }
}
