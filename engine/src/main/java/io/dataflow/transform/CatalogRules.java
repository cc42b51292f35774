package io.dataflow.transform;

import io.dataflow.api.Column;
import io.dataflow.api.LogicalType;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.api.catalog.Catalog;
import io.dataflow.api.catalog.Engine;
import io.dataflow.api.catalog.SourceColumn;
import io.dataflow.api.catalog.SourceTable;
import io.dataflow.config.ConfigException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table rules against the source catalog: {@link #check} proves at start-up that every rule names what exists and
 * that no two things get the same target name; {@link #apply} gives the catalog as the targets see it (renamed,
 * removed, added and masked columns, defined keys), from which database targets create their tables.
 */
public final class CatalogRules {
    private CatalogRules() {}

    /** Fails with one line (a {@link ConfigException}) naming the first rule that cannot apply to these tables. */
    public static void check(TableRules rules, Catalog catalog) {
        if (rules.isEmpty()) {
            return;
        }
        List<SourceTable> tables = catalog.tables();
        for (Rule r : rules.rules()) {
            Rule.Where w = r.where();
            List<SourceTable> selected = tables.stream().filter(t -> w.matchesTable(t.id())).toList();
            if (selected.isEmpty() && (Rule.Where.literal(w.schema()) || Rule.Where.literal(w.table()))) {
                throw new ConfigException(r.origin() + ": no table of the pipeline matches " + w.schema() + "." + w.table()
                        + " (tables: " + String.join(", ", tables.stream().map(t -> t.id().toString()).limit(20).toList()) + ")");
            }
            if (w.column() != null && Rule.Where.literal(w.column()) && !selected.isEmpty()
                    && selected.stream().noneMatch(t -> t.column(w.column()).isPresent())) {
                throw new ConfigException(r.origin() + ": table " + selected.get(0).id() + " has no column " + w.column() + " (columns: "
                        + String.join(", ", selected.get(0).columns().stream().map(SourceColumn::name).toList()) + ")");
            }
            if (r instanceof Rule.DefineKey k) {
                for (SourceTable t : selected) {
                    for (String c : k.columns()) {
                        if (t.column(c).isEmpty()) {
                            throw new ConfigException(r.origin() + ": table " + t.id() + " has no column " + c + " for its key");
                        }
                    }
                }
            }
        }
        Map<TableId, TableId> targets = new HashMap<>();
        for (SourceTable t : tables) {
            TableId target = rules.target(t.id());
            TableId before = targets.put(target, t.id());
            if (before != null) {
                throw new ConfigException("transform: tables " + before + " and " + t.id() + " would both be " + target + " in the targets");
            }
            try {
                rules.compile(schema(t));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("transform: " + e.getMessage());
            }
        }
    }

    /** The catalog as the targets see it: tables and columns under their target names, with the rules' effects. */
    public static Catalog apply(TableRules rules, Catalog catalog) {
        if (rules.isEmpty()) {
            return catalog;
        }
        List<SourceTable> out = new ArrayList<>();
        for (SourceTable t : catalog.tables()) {
            out.add(apply(rules, t, catalog.engine()));
        }
        return new Catalog(catalog.engine(), out, catalog.others());
    }

    private static SourceTable apply(TableRules rules, SourceTable t, Engine engine) {
        TablePlan plan = rules.compile(schema(t));
        TableSchema target = plan.target();
        List<SourceColumn> columns = new ArrayList<>();
        boolean reshaped = false;
        for (int c = 0; c < target.columns().size(); c++) {
            Column col = target.columns().get(c);
            if (plan.sourceIndex(c) < 0) {
                columns.add(added(col.name(), col.type(), engine));
                reshaped = true;
                continue;
            }
            SourceColumn s = t.columns().get(plan.sourceIndex(c));
            reshaped |= !s.name().equals(col.name());
            Rule.MaskMethod mask = plan.mask(c);
            if (mask == Rule.MaskMethod.NULL) {
                columns.add(renamed(s, col.name()).withNullable(true).withDefault(null));
            } else if (mask == Rule.MaskMethod.HASH || (mask != null && col.type().kind() != LogicalType.Kind.STRING)
                    || (mask != null && s.length() >= 0)) {
                columns.add(added(col.name(), LogicalType.of(LogicalType.Kind.STRING), engine)); // masked values may be longer
            } else {
                columns.add(renamed(s, col.name()));
            }
        }
        reshaped |= columns.size() != t.columns().size();
        List<SourceTable.Index> indexes = new ArrayList<>();
        for (SourceTable.Index i : t.indexes()) {
            List<String> mapped = mapped(plan, i.columns());
            if (mapped != null && (i.expression() == null || !reshaped)) {
                indexes.add(new SourceTable.Index(i.name(), mapped, i.unique(), i.expression()));
            }
        }
        List<SourceTable.ForeignKey> fks = new ArrayList<>();
        for (SourceTable.ForeignKey fk : t.foreignKeys()) {
            List<String> mine = mapped(plan, fk.columns());
            List<String> theirs = new ArrayList<>();
            for (String c : fk.referencedColumns()) {
                theirs.add(rules.targetColumn(fk.references(), c));
            }
            if (mine != null && !theirs.contains(null)) {
                fks.add(new SourceTable.ForeignKey(fk.name(), mine, rules.target(fk.references()), theirs, fk.onDelete(), fk.onUpdate()));
            }
        }
        // CHECK expressions name source columns: kept only while every column keeps its name
        List<SourceTable.Check> checks = reshaped ? List.of() : t.checks();
        return new SourceTable(target.id(), columns, target.keyColumns(), indexes, fks, checks, t.notes(), t.autoIncrementNext());
    }

    private static List<String> mapped(TablePlan plan, List<String> columns) {
        List<String> out = new ArrayList<>();
        for (String c : columns) {
            String n = plan.targetName(c);
            if (n == null) {
                return null;
            }
            out.add(n);
        }
        return out;
    }

    private static SourceColumn renamed(SourceColumn s, String name) {
        return new SourceColumn(name, s.dataType(), s.columnType(), s.length(), s.precision(), s.scale(), s.fsp(), s.unsigned(),
                s.nullable(), s.defaultExpr(), s.autoIncrement(), s.enumLabels(), s.generated(), s.elementType());
    }

    /** A nullable column of a logical type, spelled as the source engine's catalog spells that type. */
    static SourceColumn added(String name, LogicalType t, Engine engine) {
        boolean my = engine.mysqlFamily();
        return switch (t.kind()) {
            case BOOLEAN -> my ? typed(name, "tinyint", "tinyint(1)").withSize(1, -1, -1) : typed(name, "boolean", "boolean");
            case INT16 -> typed(name, "smallint", "smallint");
            case INT32 -> typed(name, my ? "int" : "integer", my ? "int" : "integer");
            case INT64 -> typed(name, "bigint", "bigint");
            case DECIMAL -> typed(name, my ? "decimal" : "numeric", (my ? "decimal(" : "numeric(") + t.precision() + "," + Math.max(0, t.scale()) + ")")
                    .withSize(-1, t.precision(), Math.max(0, t.scale()));
            case FLOAT32 -> typed(name, my ? "float" : "real", my ? "float" : "real");
            case FLOAT64 -> typed(name, my ? "double" : "double precision", my ? "double" : "double precision");
            case BYTES -> typed(name, my ? "longblob" : "bytea", my ? "longblob" : "bytea");
            case DATE -> typed(name, "date", "date");
            case TIME, TIME_TZ -> (my ? typed(name, "time", "time(6)") : typed(name, "time without time zone", "time(6) without time zone")).withFsp(6);
            case TIMESTAMP -> (my ? typed(name, "datetime", "datetime(6)") : typed(name, "timestamp without time zone", "timestamp(6) without time zone")).withFsp(6);
            case TIMESTAMP_TZ -> (my ? typed(name, "timestamp", "timestamp(6)") : typed(name, "timestamp with time zone", "timestamp(6) with time zone")).withFsp(6);
            default -> typed(name, my ? "longtext" : "text", my ? "longtext" : "text");
        };
    }

    private static SourceColumn typed(String name, String dataType, String columnType) {
        return SourceColumn.of(name, dataType).withColumnType(columnType);
    }

    /** A catalog table as a schema, with each column's kind guessed from its declared type (for checking rules). */
    public static TableSchema schema(SourceTable t) {
        List<Column> cols = new ArrayList<>();
        for (SourceColumn c : t.columns()) {
            cols.add(new Column(c.name(), kind(c), c.nullable()));
        }
        return new TableSchema(t.id(), cols, t.applyKey());
    }

    private static LogicalType kind(SourceColumn c) {
        String d = c.dataType().toLowerCase(Locale.ROOT);
        LogicalType.Kind k;
        if (d.equals("boolean") || d.equals("bool") || (d.equals("tinyint") && c.length() == 1)) {
            k = LogicalType.Kind.BOOLEAN;
        } else if (d.contains("int") && !d.contains("interval") && !d.contains("point")) {
            k = LogicalType.Kind.INT64;
        } else if (d.equals("numeric") || d.equals("decimal") || d.equals("number") || d.equals("money")) {
            return LogicalType.decimal(Math.max(1, c.precision()), Math.max(0, c.scale()));
        } else if (d.equals("real") || d.equals("float") || d.startsWith("double") || d.startsWith("binary_")) {
            k = LogicalType.Kind.FLOAT64;
        } else if (d.equals("date")) {
            k = LogicalType.Kind.DATE;
        } else if (d.contains("timestamp") && (d.contains("with time zone") || d.equals("timestamptz"))) {
            k = LogicalType.Kind.TIMESTAMP_TZ;
        } else if (d.contains("timestamp") || d.contains("datetime")) {
            k = LogicalType.Kind.TIMESTAMP;
        } else if (d.startsWith("time")) {
            k = LogicalType.Kind.TIME;
        } else if (d.contains("blob") || d.contains("binary") || d.equals("bytea") || d.equals("raw")) {
            k = LogicalType.Kind.BYTES;
        } else {
            k = LogicalType.Kind.STRING;
        }
        return LogicalType.of(k);
    }
}
