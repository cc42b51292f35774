package io.dataflow.config;

import io.dataflow.api.LogicalType;
import io.dataflow.transform.Expr;
import io.dataflow.transform.ExprParser;
import io.dataflow.transform.ExprSql;
import io.dataflow.transform.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pipeline's table selection and rules as an AWS DMS table-mapping document, the inverse of {@link DmsTableMappings}:
 * reading what this writes gives the same rules. What DMS cannot express (a filter that is not a conjunction of
 * per-column comparisons, a keyed hash, a NULL mask, metadata DMS has no header for) stops with the rule named.
 */
public final class DmsTableMappingsWriter {
    private static final Pattern SQL_TYPE = Pattern.compile("([a-z ]+?)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?");

    private DmsTableMappingsWriter() {}

    public static Map<String, Object> render(PipelineConfig p) {
        List<Map<String, Object>> rules = new ArrayList<>();
        int[] id = {1};
        for (String pattern : p.tables().include()) {
            rules.add(selection(id[0]++, "include", pattern));
        }
        for (String pattern : p.tables().exclude()) {
            rules.add(selection(id[0]++, "exclude", pattern));
        }
        for (Rule r : p.rules()) {
            rules.add(rule(id[0]++, r));
        }
        for (ChangeType t : p.transforms()) {
            Map<String, Object> m = transformation(id[0]++, "change-data-type", "column",
                    locator(new Rule.Where(t.table().schema(), t.table().table(), t.column()), true));
            m.put("data-type", dataType(t));
            rules.add(m);
        }
        return Map.of("rules", rules);
    }

    private static Map<String, Object> selection(int id, String action, String pattern) {
        int dot = pattern.indexOf('.');
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("rule-type", "selection");
        r.put("rule-id", String.valueOf(id));
        r.put("rule-name", action + "-" + id);
        r.put("object-locator", Map.of("schema-name", like(pattern.substring(0, dot)), "table-name", like(pattern.substring(dot + 1))));
        r.put("rule-action", action);
        return r;
    }

    private static Map<String, Object> rule(int id, Rule r) {
        if (r instanceof Rule.Name n) {
            String target = n.level().name().toLowerCase(Locale.ROOT);
            Map<String, Object> m = transformation(id, switch (n.action()) {
                case LOWERCASE -> "convert-lowercase";
                case UPPERCASE -> "convert-uppercase";
                default -> n.action().word();
            }, target, locator(n.where(), n.level() != Rule.Level.SCHEMA));
            switch (n.action()) {
                case LOWERCASE, UPPERCASE -> { }
                case REPLACE_PREFIX, REPLACE_SUFFIX -> {
                    m.put("value", n.with());
                    m.put("old-value", n.value());
                }
                default -> m.put("value", n.value());
            }
            return m;
        }
        if (r instanceof Rule.RemoveColumn c) {
            return transformation(id, "remove-column", "column", locator(c.where(), true));
        }
        if (r instanceof Rule.AddColumn a) {
            Map<String, Object> m = transformation(id, "add-column", "column", locator(a.where(), true));
            m.put("value", a.name());
            m.put("expression", dms(r, a.expression()));
            if (a.type() != null) {
                m.put("data-type", dataType(r, a.type()));
            }
            return m;
        }
        if (r instanceof Rule.DefineKey k) {
            Map<String, Object> m = transformation(id, "define-primary-key", "table", locator(k.where(), true));
            m.put("primary-key-def", Map.of("name", k.where().table().replace('*', '_') + "_pk", "columns", k.columns()));
            return m;
        }
        if (r instanceof Rule.Mask mask) {
            if (!mask.key().isEmpty() && mask.method() != Rule.MaskMethod.DIGITS_MASK) {
                throw new ConfigException(r.origin() + ": a keyed hash (secret) has no AWS DMS equivalent (DMS hashes without a key)");
            }
            String action = switch (mask.method()) {
                case HASH -> "data-masking-hash-mask";
                case DIGITS_MASK -> "data-masking-digits-mask";
                case DIGITS_RANDOMIZE -> "data-masking-digits-randomize";
                case NULL -> throw new ConfigException(r.origin() + ": mask with null has no AWS DMS equivalent (use remove-column there)");
            };
            return transformation(id, action, "column", locator(mask.where(), true));
        }
        Rule.Filter f = (Rule.Filter) r;
        Map<String, Object> m = selection(id, "include", f.where().schema() + "." + f.where().table());
        m.put("rule-name", "filter-" + id);
        m.put("filters", filters(f));
        return m;
    }

    private static Map<String, Object> transformation(int id, String action, String target, Map<String, Object> locator) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule-type", "transformation");
        m.put("rule-id", String.valueOf(id));
        m.put("rule-name", action + "-" + id);
        m.put("rule-target", target);
        m.put("object-locator", locator);
        m.put("rule-action", action);
        return m;
    }

    private static Map<String, Object> locator(Rule.Where w, boolean withTable) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema-name", like(w.schema()));
        if (withTable) {
            m.put("table-name", like(w.table()));
        }
        if (w.column() != null) {
            m.put("column-name", like(w.column()));
        }
        return m;
    }

    private static String like(String glob) {
        return glob.replace('*', '%').replace('?', '_');
    }

    private static String dms(Rule r, String expression) {
        return ExprSql.render(ExprParser.parseUnresolved(expression), ExprSql.Dialect.DMS).orElseThrow(() -> new ConfigException(r.origin()
                + ": the expression reads metadata AWS DMS has no header for (pipeline_name(), source_database())"));
    }

    /** A filter as DMS source filters: AND of per-column conditions, each an OR of comparisons of the column with values. */
    private static List<Map<String, Object>> filters(Rule.Filter f) {
        List<Expr> conjuncts = new ArrayList<>();
        split(ExprParser.parseUnresolved(f.condition()), true, conjuncts);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Expr c : conjuncts) {
            List<Expr> alternatives = new ArrayList<>();
            split(c, false, alternatives);
            String column = null;
            List<Map<String, Object>> conditions = new ArrayList<>();
            for (Expr a : alternatives) {
                Expr.ColumnRef ref = columnOf(a);
                if (ref == null || (column != null && !column.equals(ref.name()))) {
                    throw new ConfigException(f.origin() + ": the filter cannot be written as AWS DMS source filters (each part must compare "
                            + "one column with values: =, <>, >=, <=, BETWEEN, IS [NOT] NULL, joined by AND, and OR on the same column)");
                }
                column = ref.name();
                conditions.add(condition(a));
            }
            Map<String, Object> filter = new LinkedHashMap<>();
            filter.put("filter-type", "source");
            filter.put("column-name", column);
            filter.put("filter-conditions", conditions);
            out.add(filter);
        }
        return out;
    }

    private static void split(Expr e, boolean and, List<Expr> out) {
        if (e instanceof Expr.Logic l && l.and() == and) {
            split(l.left(), and, out);
            split(l.right(), and, out);
        } else {
            out.add(e);
        }
    }

    private static Expr.ColumnRef columnOf(Expr e) {
        if (e instanceof Expr.Compare c && c.left() instanceof Expr.ColumnRef ref && c.right() instanceof Expr.Literal
                && List.of("=", "<>", ">=", "<=").contains(c.op())) {
            return ref;
        }
        if (e instanceof Expr.Between b && b.operand() instanceof Expr.ColumnRef ref && b.low() instanceof Expr.Literal
                && b.high() instanceof Expr.Literal) {
            return ref;
        }
        if (e instanceof Expr.IsNull n && n.operand() instanceof Expr.ColumnRef ref) {
            return ref;
        }
        return null;
    }

    private static Map<String, Object> condition(Expr e) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (e instanceof Expr.Compare c) {
            m.put("filter-operator", switch (c.op()) {
                case "=" -> "eq";
                case "<>" -> "noteq";
                case ">=" -> "gte";
                default -> "ste";
            });
            m.put("value", text(((Expr.Literal) c.right()).value()));
        } else if (e instanceof Expr.Between b) {
            m.put("filter-operator", b.negated() ? "notbetween" : "between");
            m.put("start-value", text(((Expr.Literal) b.low()).value()));
            m.put("end-value", text(((Expr.Literal) b.high()).value()));
        } else {
            m.put("filter-operator", ((Expr.IsNull) e).negated() ? "notnull" : "null");
        }
        return m;
    }

    private static String text(Object v) {
        return v instanceof java.math.BigDecimal d ? d.toPlainString() : String.valueOf(v);
    }

    private static Map<String, Object> dataType(Rule r, LogicalType t) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (t.kind()) {
            case BOOLEAN -> m.put("type", "boolean");
            case INT16 -> m.put("type", "int2");
            case INT32 -> m.put("type", "int4");
            case INT64 -> m.put("type", "int8");
            case FLOAT32 -> m.put("type", "real4");
            case FLOAT64 -> m.put("type", "real8");
            case DECIMAL -> {
                m.put("type", "numeric");
                m.put("precision", t.precision());
                m.put("scale", Math.max(0, t.scale()));
            }
            case DATE -> m.put("type", "date");
            case TIME -> m.put("type", "time");
            case TIMESTAMP -> m.put("type", "datetime");
            case BYTES -> m.put("type", "blob");
            case STRING -> m.put("type", "string");
            default -> throw new ConfigException(r.origin() + ": type " + t.kind().name().toLowerCase(Locale.ROOT) + " has no AWS DMS data-type");
        }
        return m;
    }

    /** A change-type's SQL type as a DMS data-type. */
    private static Map<String, Object> dataType(ChangeType t) {
        Matcher m = SQL_TYPE.matcher(t.to().trim().toLowerCase(Locale.ROOT));
        Map<String, Object> out = new LinkedHashMap<>();
        String base = m.matches() ? m.group(1).trim() : "";
        switch (base) {
            case "varchar", "character varying" -> {
                out.put("type", "string");
                if (m.group(2) != null) {
                    out.put("length", Integer.parseInt(m.group(2)));
                }
            }
            case "text" -> out.put("type", "clob");
            case "smallint" -> out.put("type", "int2");
            case "integer", "int" -> out.put("type", "int4");
            case "bigint" -> out.put("type", "int8");
            case "numeric", "decimal" -> {
                out.put("type", "numeric");
                out.put("precision", m.group(2) == null ? 38 : Integer.parseInt(m.group(2)));
                out.put("scale", m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
            }
            case "real" -> out.put("type", "real4");
            case "double precision" -> out.put("type", "real8");
            case "boolean", "date", "time" -> out.put("type", base);
            case "timestamp" -> out.put("type", "datetime");
            default -> throw new ConfigException("transform: change-type to '" + t.to() + "' (" + t.table() + "." + t.column()
                    + ") has no AWS DMS data-type");
        }
        return out;
    }
}
