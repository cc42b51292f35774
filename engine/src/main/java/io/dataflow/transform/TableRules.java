package io.dataflow.transform;

import io.dataflow.api.Column;
import io.dataflow.api.LogicalType;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.transform.Rule.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pipeline's table rules, compiled: the target name of every source table, and per source schema of a table the
 * {@link TablePlan} that turns its changes and full-load batches into the target's. Rules select by source names and
 * apply in order (see {@link Rule}). Thread-safe.
 */
public final class TableRules {
    /** No rules: every table and row as the source has it. */
    public static final TableRules NONE = new TableRules(List.of(), "", "");

    private final List<Rule> rules;
    private final Context context;
    private final Map<TableId, TablePlan> latest = new ConcurrentHashMap<>();

    public TableRules(List<Rule> rules, String pipeline, String sourceDatabase) {
        this.rules = List.copyOf(rules);
        this.context = new Context(pipeline, sourceDatabase);
    }

    public List<Rule> rules() {
        return rules;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** What expressions read besides the row: the pipeline and where its changes come from. */
    record Context(String pipeline, String sourceDatabase) {
        Object meta(Expr.Meta m, TableId table) {
            return switch (m) {
                case PIPELINE -> pipeline;
                case SOURCE_DATABASE -> sourceDatabase;
                case SOURCE_SCHEMA -> table.schema();
                case SOURCE_TABLE -> table.table();
                default -> throw new IllegalStateException(m.name());
            };
        }
    }

    /** The rules that select {@code table}, in order. */
    List<Rule> of(TableId table) {
        return rules.stream().filter(r -> r.where().matchesTable(table)).toList();
    }

    /** The name the targets give a source table. */
    public TableId target(TableId source) {
        String schema = source.schema();
        String table = source.table();
        for (Rule r : rules) {
            if (r instanceof Rule.Name n && n.where().matchesTable(source)) {
                if (n.level() == Level.SCHEMA) {
                    schema = n.action().apply(schema, n.value(), n.with());
                } else if (n.level() == Level.TABLE) {
                    table = n.action().apply(table, n.value(), n.with());
                }
            }
        }
        return schema.equals(source.schema()) && table.equals(source.table()) ? source : new TableId(schema, table);
    }

    /** The source table among {@code sources} that the targets call {@code target}; {@code target} when none. */
    public TableId sourceOf(TableId target, java.util.Collection<TableId> sources) {
        for (TableId s : sources) {
            if (target(s).equals(target)) {
                return s;
            }
        }
        return target;
    }

    /** The target name of a source column of a table (null when a rule removes it). */
    public String targetColumn(TableId table, String column) {
        String name = column;
        for (Rule r : rules) {
            if (r instanceof Rule.RemoveColumn rc && rc.where().matchesColumn(table, column)) {
                return null;
            }
            if (r instanceof Rule.Name n && n.level() == Level.COLUMN && n.where().matchesColumn(table, column)) {
                name = n.action().apply(name, n.value(), n.with());
            }
        }
        return name;
    }

    /** True when a filter selects the table (its changes then need the old row to be exact, see {@link TablePlan#apply}). */
    public boolean filters(TableId table) {
        return rules.stream().anyMatch(r -> r instanceof Rule.Filter && r.where().matchesTable(table));
    }

    /** The plan for a table's source schema: built once per schema, reused while the schema stays. */
    public TablePlan plan(TableSchema source) {
        TablePlan p = latest.get(source.id());
        if (p != null && (p.source() == source || p.source().equals(source))) {
            return p;
        }
        p = compile(source);
        latest.put(source.id(), p);
        return p;
    }

    /**
     * The filter of a table as the source database's SQL, for the full load to read only the rows it keeps; empty when
     * the table has no filter or the filter reads change metadata.
     */
    public Optional<String> filterSql(TableSchema source, ExprSql.Dialect dialect) {
        Expr f = plan(source).filter();
        return f == null ? Optional.empty() : ExprSql.render(f, dialect);
    }

    /** Builds the plan of a table's schema (without keeping it: {@link #plan} keeps the latest per table). */
    TablePlan compile(TableSchema source) {
        TableId id = source.id();
        List<Rule> mine = of(id);
        List<Column> cols = source.columns();
        List<Column> out = new ArrayList<>();
        List<Integer> from = new ArrayList<>();
        List<Expr> computed = new ArrayList<>();
        List<Masker> maskers = new ArrayList<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (int i = 0; i < cols.size(); i++) {
            Column c = cols.get(i);
            String name = targetColumn(id, c.name());
            if (name == null) {
                continue;
            }
            Rule.Mask mask = null;
            for (Rule r : mine) {
                if (r instanceof Rule.Mask m && m.where().matchesColumn(id, c.name())) {
                    mask = m;
                }
            }
            Column target = new Column(name, c.type(), c.nullable(), c.defaultValue());
            if (mask != null) {
                target = new Column(name, maskedType(mask.method(), c.type()), true, null);
            }
            claim(origins, name, "column " + c.name(), id);
            out.add(target);
            from.add(i);
            computed.add(null);
            maskers.add(mask == null ? null : new Masker(mask.method(), mask.key()));
        }
        for (Rule r : mine) {
            if (r instanceof Rule.AddColumn a) {
                Expr e = parse(a.origin(), a.expression(), cols);
                LogicalType t = a.type() != null ? a.type() : e.type();
                claim(origins, a.name(), a.origin() + " (add-column)", id);
                out.add(new Column(a.name(), t, true));
                from.add(-1);
                computed.add(e);
                maskers.add(null);
            }
        }
        List<String> key = new ArrayList<>();
        List<String> sourceKey = source.keyColumns();
        String keyOrigin = "the source's primary key";
        for (Rule r : mine) {
            if (r instanceof Rule.DefineKey k) {
                sourceKey = k.columns();
                keyOrigin = k.origin() + " (define-key)";
            }
        }
        for (String k : sourceKey) {
            String name = source.indexOf(k) >= 0 ? targetColumn(id, k) : origins.containsKey(k) ? k : null;
            if (name == null) {
                throw new IllegalArgumentException("table " + id + ": " + keyOrigin + " names column " + k + ", which "
                        + (source.indexOf(k) >= 0 ? "a remove-column rule removes; define another key with define-key" : "the table does not have"));
            }
            key.add(name);
        }
        Expr filter = null;
        List<String> filterOrigins = new ArrayList<>();
        for (Rule r : mine) {
            if (r instanceof Rule.Filter f) {
                Expr e = parse(f.origin(), f.condition(), cols);
                filter = filter == null ? e : new Expr.Logic(true, filter, e);
                filterOrigins.add(f.origin());
            }
        }
        TableSchema target = new TableSchema(target(id), out, key);
        return new TablePlan(source, target, from.stream().mapToInt(Integer::intValue).toArray(), computed.toArray(Expr[]::new),
                maskers.toArray(Masker[]::new), filter, "filter of " + String.join(", ", filterOrigins), context);
    }

    private static void claim(Map<String, String> origins, String name, String what, TableId table) {
        String before = origins.putIfAbsent(name, what);
        if (before != null) {
            throw new IllegalArgumentException("table " + table + ": " + what + " and " + before + " would both be column " + name
                    + " in the target");
        }
    }

    static Expr parse(String origin, String text, List<Column> columns) {
        try {
            return ExprParser.parse(text, columns);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
        }
    }

    /** The type a masked column has in the targets: a hash is text, digits keep a text column's type, NULL keeps the type. */
    static LogicalType maskedType(Rule.MaskMethod method, LogicalType type) {
        return switch (method) {
            case NULL -> type;
            case HASH -> LogicalType.of(LogicalType.Kind.STRING);
            case DIGITS_MASK, DIGITS_RANDOMIZE -> type.kind() == LogicalType.Kind.STRING ? type : LogicalType.of(LogicalType.Kind.STRING);
        };
    }
}
