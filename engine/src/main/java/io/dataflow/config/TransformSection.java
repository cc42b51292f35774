package io.dataflow.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflow.api.LogicalType;
import io.dataflow.transform.Rule;
import io.dataflow.transform.Rule.Level;
import io.dataflow.transform.Rule.NameAction;
import io.dataflow.transform.Rule.Where;
import io.dataflow.transform.TypeWords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code transform:} list of a pipeline file: each item one rule, a mapping with one key naming its kind. Rules
 * select by the source's names ({@code *}, {@code ?} wildcards) and apply in the order written.
 *
 * <pre>
 * transform:
 *   - rename: {table: shop.orders, to: purchase_orders}          # schema: / table: / table: + column:
 *   - lowercase: {table: "shop.*", column: "*"}                  # uppercase, add-prefix, remove-prefix, replace-prefix,
 *   - add-prefix: {table: "shop.*", value: raw_}                 #   add-suffix, remove-suffix, replace-suffix (value, with)
 *   - remove-column: {table: shop.customers, column: notes}
 *   - add-column: {table: shop.orders, column: total, expression: "price * qty", type: "decimal(12,2)"}
 *   - define-key: {table: shop.events, columns: [device, ts]}
 *   - filter: {table: shop.orders, where: "region = 'EU' and amount >= 0"}
 *   - mask: {table: shop.customers, column: email, with: hash, secret: ${env:MASK_KEY}}
 *   - change-type: {table: shop.orders, column: note, to: text}   # database targets only
 * </pre>
 */
final class TransformSection {
    private TransformSection() {}

    /** What the list holds: the rules in order, and the change-type transforms (database targets) apart. */
    record Read(List<Rule> rules, List<ChangeType> changeTypes) {}

    // --- the keys of each rule kind
    static final Key<String> SCHEMA = Key.optional("schema", "pattern", Values::nonEmptyString, null,
            "the source schema (database, for mariadb/mysql) the rule selects; * and ? wildcards");
    static final Key<String> TABLE = Key.optional("table", "schema.table pattern", PipelineConfigReader::tableName, null,
            "the source tables the rule selects; * and ? wildcards");
    static final Key<String> COLUMN = Key.optional("column", "pattern", Values::nonEmptyString, null,
            "the source columns the rule selects; * and ? wildcards");
    static final Key<String> TO = Key.required("to", "string", Values::nonEmptyString, "the new name");
    static final Key<String> VALUE = Key.required("value", "string", Values::string, "the prefix or suffix");
    static final Key<String> WITH = Key.required("with", "string", Values::string, "replace-prefix, replace-suffix: what replaces it");
    static final Key<String> TABLE_REQUIRED = Key.required("table", "schema.table pattern", PipelineConfigReader::tableName,
            "the source tables the rule selects; * and ? wildcards");
    static final Key<String> COLUMN_REQUIRED = Key.required("column", "pattern", Values::nonEmptyString,
            "the source columns the rule selects; * and ? wildcards");
    static final Key<String> NEW_COLUMN = Key.required("column", "string", Values::nonEmptyString, "the added column's name");
    static final Key<String> EXPRESSION = Key.required("expression", "expression",
            Values::nonEmptyString, "SQL-like, over the source row's columns and the change's metadata (see README, Table rules)");
    static final Key<String> TYPE = Key.optional("type", "type", Values::nonEmptyString, null,
            "string, boolean, int16, int32, int64, float32, float64, decimal(p,s), date, time, timestamp, timestamptz, bytes "
                    + "(default: the expression's type)");
    static final Key<List<String>> KEY_COLUMNS = Key.required("columns", "list of strings", Values::stringList, "the key's source columns, in order");
    static final Key<String> WHERE = Key.required("where", "expression", Values::nonEmptyString,
            "the rows to keep: a SQL-like condition over the source row (see README, Table rules)");
    static final Key<Rule.MaskMethod> MASK_WITH = Key.required("with", "hash | digits-mask | digits-randomize | null",
            (p, v) -> Values.choice(p, v, Rule.MaskMethod.class), "how values are replaced");
    static final Key<String> MASK_SECRET = Key.optional("secret", "string (secret)", Values::string, "",
            "hash, digits-randomize: the key of the keyed hash (HMAC-SHA-256), e.g. ${env:MASK_KEY}; empty: plain SHA-256");

    static final List<Key<?>> RENAME_KEYS = List.of(SCHEMA, TABLE, COLUMN, TO);
    static final List<Key<?>> CASE_KEYS = List.of(SCHEMA, TABLE, COLUMN);
    static final List<Key<?>> FIX_KEYS = List.of(SCHEMA, TABLE, COLUMN, VALUE);
    static final List<Key<?>> REPLACE_KEYS = List.of(SCHEMA, TABLE, COLUMN, VALUE, WITH);
    static final List<Key<?>> REMOVE_COLUMN_KEYS = List.of(TABLE_REQUIRED, COLUMN_REQUIRED);
    static final List<Key<?>> ADD_COLUMN_KEYS = List.of(TABLE_REQUIRED, NEW_COLUMN, EXPRESSION, TYPE);
    static final List<Key<?>> DEFINE_KEY_KEYS = List.of(TABLE_REQUIRED, KEY_COLUMNS);
    static final List<Key<?>> FILTER_KEYS = List.of(TABLE_REQUIRED, WHERE);
    static final List<Key<?>> MASK_KEYS = List.of(TABLE_REQUIRED, COLUMN_REQUIRED, MASK_WITH, MASK_SECRET);

    /** Every rule kind, its keys, in the order the reference lists them. */
    static final Map<String, List<Key<?>>> KINDS = kinds();

    private static Map<String, List<Key<?>>> kinds() {
        Map<String, List<Key<?>>> m = new LinkedHashMap<>();
        m.put("rename", RENAME_KEYS);
        m.put("lowercase", CASE_KEYS);
        m.put("uppercase", CASE_KEYS);
        m.put("add-prefix", FIX_KEYS);
        m.put("remove-prefix", FIX_KEYS);
        m.put("replace-prefix", REPLACE_KEYS);
        m.put("add-suffix", FIX_KEYS);
        m.put("remove-suffix", FIX_KEYS);
        m.put("replace-suffix", REPLACE_KEYS);
        m.put("remove-column", REMOVE_COLUMN_KEYS);
        m.put("add-column", ADD_COLUMN_KEYS);
        m.put("define-key", DEFINE_KEY_KEYS);
        m.put("filter", FILTER_KEYS);
        m.put("mask", MASK_KEYS);
        m.put("change-type", PipelineConfigReader.CHANGE_TYPE_KEYS);
        return m;
    }

    static Read read(JsonNode list) {
        if (!list.isArray()) {
            throw new ConfigException("transform: " + Values.show("transform", list) + " is not a list; expected e.g. "
                    + "[{rename: {table: shop.orders, to: purchase_orders}}]");
        }
        List<Rule> rules = new ArrayList<>();
        List<ChangeType> changeTypes = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "transform[" + i + "]";
            JsonNode item = list.get(i);
            if (!item.isObject() || item.size() != 1) {
                throw new ConfigException(path + ": expected a mapping with one key, the rule's kind (" + String.join(", ", KINDS.keySet()) + ")");
            }
            String kind = item.fieldNames().next();
            List<Key<?>> keys = KINDS.get(kind);
            if (keys == null) {
                throw new ConfigException(path + "." + kind + ": unknown rule; allowed: " + String.join(", ", KINDS.keySet()));
            }
            Section s = new Section(path + "." + kind, item.get(kind), keys);
            if (kind.equals("change-type")) {
                changeTypes.add(new ChangeType(io.dataflow.api.TableId.parse(s.get(PipelineConfigReader.CT_TABLE)),
                        s.get(PipelineConfigReader.CT_COLUMN), s.get(PipelineConfigReader.CT_TO)));
                continue;
            }
            rules.add(rule(path, kind, s));
        }
        return new Read(rules, changeTypes);
    }

    private static Rule rule(String path, String kind, Section s) {
        return switch (kind) {
            case "remove-column" -> new Rule.RemoveColumn(path, where(s.get(TABLE_REQUIRED), s.get(COLUMN_REQUIRED)));
            case "add-column" -> new Rule.AddColumn(path, where(s.get(TABLE_REQUIRED), null), s.get(NEW_COLUMN), s.get(EXPRESSION),
                    type(path + ".add-column.type", s.get(TYPE)));
            case "define-key" -> {
                List<String> columns = s.get(KEY_COLUMNS);
                if (columns.isEmpty()) {
                    throw new ConfigException(path + ".define-key.columns: empty; name the key's columns");
                }
                yield new Rule.DefineKey(path, where(s.get(TABLE_REQUIRED), null), columns);
            }
            case "filter" -> new Rule.Filter(path, where(s.get(TABLE_REQUIRED), null), s.get(WHERE));
            case "mask" -> new Rule.Mask(path, where(s.get(TABLE_REQUIRED), s.get(COLUMN_REQUIRED)), s.get(MASK_WITH), s.get(MASK_SECRET));
            default -> name(path, kind, s);
        };
    }

    private static Rule name(String path, String kind, Section s) {
        NameAction action = switch (kind) {
            case "rename" -> NameAction.RENAME;
            case "lowercase" -> NameAction.LOWERCASE;
            case "uppercase" -> NameAction.UPPERCASE;
            default -> NameAction.valueOf(kind.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        };
        String schema = s.get(SCHEMA);
        String table = s.get(TABLE);
        String column = s.get(COLUMN);
        Level level;
        Where where;
        if (column != null) {
            if (table == null) {
                throw new ConfigException(path + "." + kind + ": column needs table (schema.table) too");
            }
            level = Level.COLUMN;
            where = where(table, column);
        } else if (table != null) {
            level = Level.TABLE;
            where = where(table, null);
        } else if (schema != null) {
            level = Level.SCHEMA;
            where = new Where(schema, "*", null);
        } else {
            throw new ConfigException(path + "." + kind + ": name what it changes: schema, table, or table and column");
        }
        if (schema != null && table != null) {
            throw new ConfigException(path + "." + kind + ": give schema or table (schema.table), not both");
        }
        String value = switch (action) {
            case RENAME -> s.get(TO);
            case LOWERCASE, UPPERCASE -> "";
            default -> s.get(VALUE);
        };
        String with = action == NameAction.REPLACE_PREFIX || action == NameAction.REPLACE_SUFFIX ? s.get(WITH) : "";
        if (action == NameAction.RENAME && (level == Level.COLUMN ? !Where.literal(column) : level == Level.TABLE ? !Where.literal(table)
                : !Where.literal(schema))) {
            throw new ConfigException(path + ".rename: a rename names one thing; wildcards belong to lowercase, add-prefix and the like");
        }
        return new Rule.Name(path, level, where, action, value, with);
    }

    private static Where where(String table, String column) {
        io.dataflow.api.TableId t = io.dataflow.api.TableId.parse(table);
        return new Where(t.schema(), t.table(), column);
    }

    private static LogicalType type(String path, String word) {
        if (word == null) {
            return null;
        }
        try {
            return TypeWords.parse(word);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ": " + e.getMessage());
        }
    }
}
