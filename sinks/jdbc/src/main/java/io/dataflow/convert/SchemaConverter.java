package io.dataflow.convert;

import io.dataflow.api.catalog.Engine;
import io.dataflow.api.catalog.SourceObject;
import io.dataflow.api.catalog.SourceColumn;
import io.dataflow.api.catalog.SourceTable;
import io.dataflow.api.catalog.Catalog;
import io.dataflow.api.TableId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Converts a source {@link Catalog} into target tables and a {@link ConversionReport}: types by the
 * {@link TypeMappings} of the direction (or a {@code change-type} override), names by the identifier rule,
 * defaults, identities, keys, indexes and foreign keys; everything it cannot convert is reported with an action.
 */
public final class SchemaConverter {
    private final TypeMappings mappings;
    private final TargetDialect dialect;
    private final ConversionOptions options;

    public SchemaConverter(Engine source, ConversionOptions options) {
        this.mappings = TypeMappings.load(source, options.target());
        this.dialect = TargetDialect.of(options.target());
        this.options = options;
    }

    /** The result: tables in source order, and the report. */
    public record Conversion(List<TargetTable> tables, ConversionReport report, TargetDialect dialect) {
        public java.util.Optional<TargetTable> bySource(TableId source) {
            return tables.stream().filter(t -> t.source().equals(source)).findFirst();
        }
    }

    public TargetDialect dialect() {
        return dialect;
    }

    public Conversion convert(Catalog catalog) {
        List<ConversionReport.ColumnEntry> columns = new ArrayList<>();
        List<ConversionReport.Item> notConverted = new ArrayList<>();
        List<ConversionReport.Item> warnings = new ArrayList<>();
        for (io.dataflow.config.ChangeType o : options.unmatched(catalog)) {
            throw new ConversionException("transform change-type: table " + o.table() + " has no column '" + o.column()
                    + "' among the selected tables; check the table and column names (they are case-sensitive)");
        }
        Map<TableId, TableId> names = targetNames(catalog);
        Set<String> indexNames = new HashSet<>();
        Set<String> constraintNames = new HashSet<>();
        List<TargetTable> tables = new ArrayList<>();
        for (SourceTable t : catalog.tables()) {
            TableId id = names.get(t.id());
            String where = t.id().toString();
            List<TargetTable.TargetColumn> cols = new ArrayList<>();
            Set<String> keyCols = new HashSet<>(t.primaryKey());
            t.indexes().stream().filter(SourceTable.Index::unique).forEach(i -> keyCols.addAll(i.columns()));
            Set<String> seen = new HashSet<>();
            Set<String> unsent = new HashSet<>();
            for (SourceColumn c : t.columns()) {
                if (c.generated() != null && catalog.engine() == io.dataflow.api.catalog.Engine.POSTGRES) {
                    // pgoutput leaves generated columns out of every change: the full load leaves them out too
                    unsent.add(c.name());
                    notConverted.add(new ConversionReport.Item("generated column", where + "." + c.name(),
                            "not replicated: PostgreSQL's logical replication does not send generated columns",
                            "after cutover, add it to the target as a generated column: " + c.generated()));
                    continue;
                }
                TargetTable.TargetColumn tc = column(catalog.engine(), t, c, keyCols.contains(c.name()), warnings);
                if (!seen.add(tc.name().toLowerCase(Locale.ROOT))) {
                    throw new ConversionException("table " + where + ": two columns become '" + tc.name()
                            + "' in the target; use identifier-case: preserve or rename one");
                }
                cols.add(tc);
                columns.add(new ConversionReport.ColumnEntry(where, c.name(), c.columnType(), columnTypeShown(tc),
                        tc.mapping().fidelity().name().toLowerCase(Locale.ROOT), tc.mapping().why(), tc.mapping().origin()));
                if (c.generated() != null) {
                    warnings.add(new ConversionReport.Item("generated column", where + "." + c.name(),
                            "created as a plain column filled from the source (" + c.generated() + ")",
                            "after cutover, redefine it as a generated column if the target should compute it"));
                }
            }
            List<String> pk = t.primaryKey().stream().map(options.identifierCase()::apply).toList();
            List<String> applyKey = t.applyKey().stream().map(options.identifierCase()::apply).toList();
            if (applyKey.isEmpty()) {
                warnings.add(new ConversionReport.Item("table", where, "no primary key and no unique NOT NULL key",
                        "CDC cannot apply updates and deletes by key: add a primary key to the source, or exclude the table"));
            }
            List<TargetTable.TargetIndex> indexes = new ArrayList<>();
            for (SourceTable.Index i : t.indexes()) {
                if (i.columns().stream().anyMatch(unsent::contains)) {
                    notConverted.add(new ConversionReport.Item("index", where + "." + i.name(), "on a generated column that is not replicated",
                            "after cutover, create it with the generated column"));
                    continue;
                }
                if (i.expression() != null) {
                    notConverted.add(new ConversionReport.Item("index", where + "." + i.name(), i.expression(), indexAction(i.expression())));
                    continue;
                }
                String name = indexName(id, options.identifierCase().apply(i.name()), indexNames);
                indexes.add(new TargetTable.TargetIndex(name, i.columns().stream().map(options.identifierCase()::apply).toList(), i.unique()));
            }
            List<TargetTable.TargetForeignKey> fks = new ArrayList<>();
            for (SourceTable.ForeignKey fk : t.foreignKeys()) {
                TableId ref = names.get(fk.references());
                if (ref == null) {
                    notConverted.add(new ConversionReport.Item("foreign key", where + "." + fk.name(),
                            "references " + fk.references() + ", which is not among the selected tables",
                            "include " + fk.references() + " or create the key by hand after its table exists"));
                    continue;
                }
                fks.add(new TargetTable.TargetForeignKey(indexName(id, options.identifierCase().apply(fk.name()), constraintNames),
                        fk.columns().stream().map(options.identifierCase()::apply).toList(), ref,
                        fk.referencedColumns().stream().map(options.identifierCase()::apply).toList(), fk.onDelete(), fk.onUpdate()));
            }
            for (SourceTable.Check ck : t.checks()) {
                notConverted.add(new ConversionReport.Item("check constraint", where + "." + ck.name(), ck.expression(),
                        "translate the expression and add it with ALTER TABLE ... ADD CHECK"));
            }
            for (String note : t.notes()) {
                warnings.add(new ConversionReport.Item("table", where, note, noteAction(note)));
            }
            tables.add(new TargetTable(t.id(), id, cols, pk, applyKey, indexes, fks));
        }
        for (SourceObject o : catalog.others()) {
            notConverted.add(new ConversionReport.Item(o.kind(), o.schema() + "." + o.name(),
                    o.definition().isEmpty() ? "" : abbreviate(o.definition()), action(o.kind())));
        }
        return new Conversion(tables, new ConversionReport(catalog.engine().id(), options.target().id(), columns, notConverted, warnings), dialect);
    }

    private TargetTable.TargetColumn column(Engine source, SourceTable t, SourceColumn c, boolean key, List<ConversionReport.Item> warnings) {
        String where = t.id() + "." + c.name();
        TypeMappings.Mapping m = mappings.map(c);
        java.util.Optional<String> override = options.overrideFor(t.id(), c.name());
        if (override.isPresent()) {
            m = new TypeMappings.Mapping(override.get(), TypeMappings.Fidelity.EXACT, "change-type transform (was " + m.targetType() + ")",
                    "transform");
        }
        String type = m.targetType();
        if (dialect.engine().mysqlFamily() && key && type.matches("(?i)longtext|text|json")) {
            warnings.add(new ConversionReport.Item("column", where, "a key column of type " + type + "; MariaDB cannot index it whole",
                    "created as varchar(768) (3072 bytes of utf8mb4, InnoDB's key limit); longer values fail to load"));
            type = "varchar(768)";
        } else if (dialect.engine().mysqlFamily() && key && type.matches("(?i)longblob|blob")) {
            warnings.add(new ConversionReport.Item("column", where, "a key column of type " + type, "created as varbinary(3072)"));
            type = "varbinary(3072)";
        }
        String name = options.identifierCase().apply(c.name());
        boolean identity = c.autoIncrement() && type.matches("(?i)(smallint|integer|int|bigint|mediumint|tinyint)( unsigned)?");
        if (c.autoIncrement() && !identity) {
            warnings.add(new ConversionReport.Item("column", where, "auto-increment on type " + type + " cannot be an identity",
                    "values are copied; add a sequence by hand if the target must generate them"));
        }
        List<String> labels = c.dataType().equals("enum") || c.dataType().equals("set") ? c.enumLabels() : List.of();
        String enumType = null;
        if (dialect.engine() == Engine.POSTGRES && c.dataType().equals("enum") && options.enumMode() == ConversionOptions.EnumMode.TYPE
                && source.mysqlFamily() && override.isEmpty()) {
            enumType = dialect.quote(options.targetSchema().isEmpty() ? t.id().schema() : options.targetSchema()) + "."
                    + dialect.quote(options.identifierCase().apply(t.id().table() + "_" + c.name()));
        }
        if (override.isPresent() || !(type.equals("text") || type.equals("text[]") || type.equals("enum"))) {
            labels = type.equals("enum") ? labels : List.of();
        }
        boolean nullable = c.nullable();
        if (!nullable && source.mysqlFamily() && List.of("date", "datetime", "timestamp").contains(c.dataType())) {
            nullable = true;
            warnings.add(new ConversionReport.Item("column", where, "NOT NULL dropped: a zero date (0000-00-00) arrives as NULL",
                    "after cutover, fix such rows and add NOT NULL back"));
        }
        TargetTable.TargetColumn draft = new TargetTable.TargetColumn(c.name(), name, type, nullable, null, identity, labels, enumType, m, c);
        DefaultValues.Result d = DefaultValues.convert(source, dialect, c, draft);
        if (d.problem() != null) {
            warnings.add(new ConversionReport.Item("default", where, d.problem(), "the column is created without a default"));
        }
        return new TargetTable.TargetColumn(c.name(), name, type, nullable, d.expression().orElse(null), identity, labels, enumType, m, c);
    }

    private static String columnTypeShown(TargetTable.TargetColumn c) {
        return (c.enumType() != null ? c.enumType() : c.type()) + (c.identity() ? " (identity)" : "");
    }

    private Map<TableId, TableId> targetNames(Catalog catalog) {
        Map<TableId, TableId> out = new HashMap<>();
        Map<String, TableId> taken = new HashMap<>();
        for (SourceTable t : catalog.tables()) {
            String schema = options.targetSchema().isEmpty() ? options.identifierCase().apply(t.id().schema()) : options.targetSchema();
            TableId id = new TableId(schema, options.identifierCase().apply(t.id().table()));
            if (id.table().length() > dialect.maxIdentifierLength()) {
                throw new ConversionException("table " + t.id() + ": the name is longer than " + dialect.engine().id() + "'s limit of "
                        + dialect.maxIdentifierLength() + " characters; exclude the table or rename it");
            }
            TableId clash = taken.putIfAbsent(id.toString().toLowerCase(Locale.ROOT), t.id());
            if (clash != null) {
                throw new ConversionException("tables " + clash + " and " + t.id() + " both become " + id
                        + " in the target; set a different target schema or identifier-case: preserve");
            }
            out.put(t.id(), id);
        }
        return out;
    }

    /** Index and constraint names are per schema in PostgreSQL: prefix them with the table's name, keep them unique. */
    private String indexName(TableId table, String name, Set<String> used) {
        String base = dialect.engine() == Engine.POSTGRES ? table.table() + "_" + name : name;
        base = base.length() > dialect.maxIdentifierLength() - 4 ? base.substring(0, dialect.maxIdentifierLength() - 4) : base;
        String scope = dialect.engine() == Engine.POSTGRES ? table.schema() + "." : table + ".";
        String candidate = base;
        for (int i = 2; !used.add((scope + candidate).toLowerCase(Locale.ROOT)); i++) {
            candidate = base + "_" + i;
        }
        return candidate;
    }

    private String indexAction(String expression) {
        boolean pg = dialect.engine() == Engine.POSTGRES;
        if (expression.startsWith("FULLTEXT")) {
            return pg ? "create a GIN index on to_tsvector(...) of the columns (or use pg_trgm)" : "create a FULLTEXT index by hand";
        }
        if (expression.startsWith("SPATIAL")) {
            return pg ? "with PostGIS, add a geometry column from the WKB (ST_GeomFromWKB) and a GiST index on it" : "create a SPATIAL index by hand";
        }
        return "create an equivalent index on the expression by hand";
    }

    private static String noteAction(String note) {
        if (note.contains("partition")) {
            return "created unpartitioned; partition the target table by hand if it needs it";
        }
        if (note.contains("MyISAM") || note.contains("Aria")) {
            return "the target table is transactional; nothing to do unless the application relied on MyISAM behaviour";
        }
        if (note.contains("collation")) {
            return "comparisons and unique keys may behave differently; use citext or a nondeterministic ICU collation where case must not matter";
        }
        return "review";
    }

    private static String action(String kind) {
        return switch (kind) {
            case "view", "materialized view" -> "rewrite the view in the target's SQL dialect and create it after the load";
            case "trigger" -> "rewrite the trigger; during CDC keep it disabled on the target, since the source's trigger effects arrive as changes";
            case "procedure", "function" -> "rewrite the routine in the target's language";
            case "event" -> "schedule the job in the target (pg_cron, an external scheduler)";
            case "sequence" -> "create the sequence and set it past the source's current value at cutover";
            default -> "convert by hand";
        };
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() > 200 ? one.substring(0, 197) + "..." : one;
    }

    /** A conversion that cannot proceed; the message says what to change. */
    public static final class ConversionException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConversionException(String message) {
            super(message);
        }
    }
}
