package io.dataflow.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflow.api.TableId;
import io.dataflow.transform.Rule;
import io.dataflow.transform.Rule.Level;
import io.dataflow.transform.Rule.NameAction;
import io.dataflow.transform.Rule.Where;
import io.dataflow.transform.TypeWords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads an AWS DMS table-mapping document into DataFlow's table selection and rules. Selection rules become include
 * and exclude patterns ({@code %} is DMS's wildcard) and their source filters become {@code filter} rules; transformation
 * rules become the rules of the same name; {@code table-settings} with {@code parallel-load} are honoured by DataFlow's
 * own chunked full load. Rules apply in {@code rule-id} order. Anything else stops with the rule's id and why.
 */
public final class DmsTableMappings {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RULE_KEYS = Set.of("rule-type", "rule-id", "rule-name", "object-locator", "rule-action", "rule-target",
            "value", "old-value", "filters", "expression", "data-type", "primary-key-def", "load-order", "parallel-load", "lob-settings",
            "before-image-def");

    private DmsTableMappings() {}

    /** What a document holds. */
    public record Read(TableSelection tables, List<Rule> rules, List<ChangeType> changeTypes) {}

    /** Reads the file at {@code file}; {@code path} names where it was given, for errors. */
    public static Read read(Path file, String path) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read " + file + " as JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return read(root, path);
    }

    static Read read(JsonNode root, String path) {
        if (root == null || !root.isObject() || !root.path("rules").isArray()) {
            throw new ConfigException(path + ": not an AWS DMS table mapping: expected {\"rules\": [...]}");
        }
        List<JsonNode> rules = new ArrayList<>();
        root.path("rules").forEach(rules::add);
        rules.forEach(DmsTableMappings::ruleId);
        rules.sort(Comparator.comparingLong(DmsTableMappings::ruleId));
        List<String> include = new ArrayList<>();
        List<String> exclude = new ArrayList<>();
        List<Rule> out = new ArrayList<>();
        List<ChangeType> changeTypes = new ArrayList<>();
        for (JsonNode r : rules) {
            String origin = "DMS rule " + r.path("rule-id").asText("?")
                    + (r.path("rule-name").asText("").isEmpty() ? "" : " (" + r.path("rule-name").asText() + ")");
            for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!RULE_KEYS.contains(f)) {
                    throw new ConfigException(origin + ": unknown key " + f);
                }
            }
            String type = r.path("rule-type").asText("");
            switch (type) {
                case "selection" -> selection(origin, r, include, exclude, out);
                case "transformation" -> transformation(origin, r, out, changeTypes);
                case "table-settings" -> tableSettings(origin, r);
                default -> throw new ConfigException(origin + ": rule-type '" + type + "' is not supported (selection, transformation, table-settings)");
            }
        }
        if (include.isEmpty()) {
            throw new ConfigException(path + ": no selection rule includes a table");
        }
        return new Read(new TableSelection(include, exclude), out, changeTypes);
    }

    private static long ruleId(JsonNode r) {
        try {
            return Long.parseLong(r.path("rule-id").asText());
        } catch (NumberFormatException e) {
            throw new ConfigException("DMS rule '" + r.path("rule-id").asText() + "': rule-id must be a number");
        }
    }

    private static void selection(String origin, JsonNode r, List<String> include, List<String> exclude, List<Rule> out) {
        String action = r.path("rule-action").asText("");
        String schema = glob(origin, r.path("object-locator"), "schema-name", true);
        String table = glob(origin, r.path("object-locator"), "table-name", true);
        if (r.path("object-locator").has("table-type") && !r.path("object-locator").path("table-type").asText().equals("table")
                && !r.path("object-locator").path("table-type").asText().equals("all")) {
            throw new ConfigException(origin + ": table-type " + r.path("object-locator").path("table-type").asText()
                    + " is not supported (DataFlow replicates tables)");
        }
        switch (action) {
            case "include", "explicit" -> include.add(schema + "." + table);
            case "exclude" -> exclude.add(schema + "." + table);
            default -> throw new ConfigException(origin + ": selection rule-action '" + action + "' is not supported (include, explicit, exclude)");
        }
        JsonNode filters = r.path("filters");
        if (filters.isArray() && !filters.isEmpty()) {
            if (!action.equals("include") && !action.equals("explicit")) {
                throw new ConfigException(origin + ": filters belong to include rules");
            }
            List<String> conditions = new ArrayList<>();
            for (JsonNode f : filters) {
                conditions.add(filter(origin, f));
            }
            out.add(new Rule.Filter(origin, new Where(schema, table, null), String.join(" AND ", conditions)));
        }
    }

    /** One DMS source filter as a condition: its conditions on the one column, OR-ed. */
    private static String filter(String origin, JsonNode f) {
        String kind = f.path("filter-type").asText("source");
        if (!kind.equals("source")) {
            throw new ConfigException(origin + ": filter-type '" + kind + "' is not supported (source)");
        }
        String column = f.path("column-name").asText("");
        if (column.isEmpty()) {
            throw new ConfigException(origin + ": a filter needs column-name");
        }
        String c = "\"" + column.replace("\"", "\"\"") + "\"";
        List<String> any = new ArrayList<>();
        for (JsonNode cond : f.path("filter-conditions")) {
            String op = cond.path("filter-operator").asText("");
            any.add(switch (op) {
                case "eq" -> c + " = " + literal(origin, cond, "value");
                case "noteq" -> c + " <> " + literal(origin, cond, "value");
                case "gte" -> c + " >= " + literal(origin, cond, "value");
                case "ste", "lte" -> c + " <= " + literal(origin, cond, "value");
                case "between" -> c + " BETWEEN " + literal(origin, cond, "start-value") + " AND " + literal(origin, cond, "end-value");
                case "notbetween" -> c + " NOT BETWEEN " + literal(origin, cond, "start-value") + " AND " + literal(origin, cond, "end-value");
                case "null" -> c + " IS NULL";
                case "notnull" -> c + " IS NOT NULL";
                default -> throw new ConfigException(origin + ": filter-operator '" + op
                        + "' is not supported (eq, noteq, gte, ste, lte, between, notbetween, null, notnull)");
            });
        }
        if (any.isEmpty()) {
            throw new ConfigException(origin + ": the filter on " + column + " has no filter-conditions");
        }
        return any.size() == 1 ? any.get(0) : "(" + String.join(" OR ", any) + ")";
    }

    /** A filter value as a literal: a number as written, anything else quoted (a date column reads it as a date). */
    private static String literal(String origin, JsonNode cond, String key) {
        JsonNode v = cond.get(key);
        if (v == null || v.isNull()) {
            throw new ConfigException(origin + ": filter condition " + cond.path("filter-operator").asText() + " needs " + key);
        }
        String s = v.asText();
        return v.isNumber() || s.matches("-?\\d+(\\.\\d+)?") ? s : "'" + s.replace("'", "''") + "'";
    }

    private static void transformation(String origin, JsonNode r, List<Rule> out, List<ChangeType> changeTypes) {
        String action = r.path("rule-action").asText("");
        String target = r.path("rule-target").asText("");
        JsonNode loc = r.path("object-locator");
        Level level = switch (target) {
            case "schema" -> Level.SCHEMA;
            case "table" -> Level.TABLE;
            case "column" -> Level.COLUMN;
            default -> throw new ConfigException(origin + ": rule-target '" + target + "' is not supported (schema, table, column)");
        };
        String schema = glob(origin, loc, "schema-name", true);
        String table = level == Level.SCHEMA ? "*" : glob(origin, loc, "table-name", true);
        String column = level == Level.COLUMN ? glob(origin, loc, "column-name", !action.equals("add-column")) : null;
        Where where = new Where(schema, table, action.equals("add-column") ? null : column);
        String value = r.path("value").asText(null);
        switch (action) {
            case "rename" -> out.add(new Rule.Name(origin, level, where, NameAction.RENAME, required(origin, value, "value"), ""));
            case "convert-lowercase" -> out.add(new Rule.Name(origin, level, where, NameAction.LOWERCASE, "", ""));
            case "convert-uppercase" -> out.add(new Rule.Name(origin, level, where, NameAction.UPPERCASE, "", ""));
            case "add-prefix", "remove-prefix", "add-suffix", "remove-suffix" -> out.add(new Rule.Name(origin, level, where,
                    NameAction.valueOf(action.toUpperCase(Locale.ROOT).replace('-', '_')), required(origin, value, "value"), ""));
            case "replace-prefix", "replace-suffix" -> out.add(new Rule.Name(origin, level, where,
                    NameAction.valueOf(action.toUpperCase(Locale.ROOT).replace('-', '_')),
                    required(origin, r.path("old-value").asText(null), "old-value"), required(origin, value, "value")));
            case "remove-column" -> {
                need(origin, level, Level.COLUMN, action);
                out.add(new Rule.RemoveColumn(origin, where));
            }
            case "add-column" -> {
                need(origin, level, Level.COLUMN, action);
                String expression = required(origin, r.path("expression").asText(null), "expression");
                out.add(new Rule.AddColumn(origin, where, required(origin, value, "value"), expression, dataType(origin, r.path("data-type"))));
            }
            case "define-primary-key" -> {
                need(origin, level, Level.TABLE, action);
                List<String> cols = new ArrayList<>();
                r.path("primary-key-def").path("columns").forEach(c -> cols.add(c.asText()));
                if (cols.isEmpty()) {
                    throw new ConfigException(origin + ": define-primary-key needs primary-key-def.columns");
                }
                out.add(new Rule.DefineKey(origin, where, cols));
            }
            case "change-data-type" -> {
                need(origin, level, Level.COLUMN, action);
                if (!Where.literal(schema) || !Where.literal(table) || !Where.literal(column)) {
                    throw new ConfigException(origin + ": change-data-type must name one table and column (no %)");
                }
                changeTypes.add(new ChangeType(new TableId(schema, table), column, sqlType(origin, r.path("data-type"))));
            }
            case "data-masking-digits-mask", "data-masking-digits-randomize", "data-masking-hash-mask" -> {
                need(origin, level, Level.COLUMN, action);
                Rule.MaskMethod m = switch (action) {
                    case "data-masking-digits-mask" -> Rule.MaskMethod.DIGITS_MASK;
                    case "data-masking-digits-randomize" -> Rule.MaskMethod.DIGITS_RANDOMIZE;
                    default -> Rule.MaskMethod.HASH;
                };
                out.add(new Rule.Mask(origin, where, m, ""));
            }
            default -> throw new ConfigException(origin + ": rule-action '" + action + "' is not supported (rename, convert-lowercase, "
                    + "convert-uppercase, add-prefix, remove-prefix, replace-prefix, add-suffix, remove-suffix, replace-suffix, "
                    + "remove-column, add-column, define-primary-key, change-data-type, data-masking-*)");
        }
    }

    private static void tableSettings(String origin, JsonNode r) {
        for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("rule-type", "rule-id", "rule-name", "object-locator", "parallel-load", "lob-settings").contains(f)) {
                throw new ConfigException(origin + ": table-settings " + f + " is not supported (parallel-load, lob-settings)");
            }
        }
        String lob = r.path("lob-settings").path("mode").asText("");
        if (!lob.isEmpty() && !lob.equals("unlimited") && !lob.equals("limited")) {
            throw new ConfigException(origin + ": lob-settings mode '" + lob + "' is not supported");
        }
        // parallel-load: DataFlow reads every table in chunks by key range with full-load.threads readers;
        // lob-settings: DataFlow always replicates whole LOBs (what DMS calls full LOB mode)
    }

    private static void need(String origin, Level level, Level wanted, String action) {
        if (level != wanted) {
            throw new ConfigException(origin + ": " + action + " needs rule-target " + wanted.name().toLowerCase(Locale.ROOT));
        }
    }

    private static String required(String origin, String value, String key) {
        if (value == null) {
            throw new ConfigException(origin + ": missing " + key);
        }
        return value;
    }

    /** An object-locator name with DMS's {@code %} wildcard as DataFlow's {@code *}. */
    private static String glob(String origin, JsonNode loc, String key, boolean required) {
        String v = loc.path(key).asText(null);
        if (v == null || v.isEmpty()) {
            if (required) {
                throw new ConfigException(origin + ": object-locator needs " + key);
            }
            return null;
        }
        if (v.contains("*") || v.contains("?")) {
            throw new ConfigException(origin + ": " + key + " '" + v + "' has * or ?, which DMS does not use; % is its wildcard");
        }
        return v.replace('%', '*');
    }

    /** A DMS data-type ({@code {"type": "string", "length": 50}}) as a type word. */
    private static io.dataflow.api.LogicalType dataType(String origin, JsonNode dt) {
        if (dt.isMissingNode()) {
            return null;
        }
        String type = dt.path("type").asText("");
        try {
            return TypeWords.parse(type.equals("numeric") && dt.has("precision")
                    ? "numeric(" + dt.path("precision").asInt() + "," + dt.path("scale").asInt(0) + ")" : type);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(origin + ": data-type: " + e.getMessage());
        }
    }

    /** A DMS data-type as the SQL type a database target creates. */
    private static String sqlType(String origin, JsonNode dt) {
        String type = dt.path("type").asText("");
        int length = dt.path("length").asInt(-1);
        return switch (type) {
            case "string", "wstring" -> length > 0 ? "varchar(" + length + ")" : "text";
            case "clob", "nclob" -> "text";
            case "boolean" -> "boolean";
            case "int1", "int2", "uint1" -> "smallint";
            case "int4", "uint2" -> "integer";
            case "int8", "uint4" -> "bigint";
            case "uint8" -> "numeric(20,0)";
            case "numeric" -> "numeric(" + dt.path("precision").asInt(38) + "," + dt.path("scale").asInt(0) + ")";
            case "real4" -> "real";
            case "real8" -> "double precision";
            case "date" -> "date";
            case "time" -> "time";
            case "datetime" -> "timestamp";
            default -> throw new ConfigException(origin + ": data-type '" + type + "' is not supported (string, wstring, clob, boolean, "
                    + "int1-int8, uint1-uint8, numeric, real4, real8, date, time, datetime)");
        };
    }
}
