package io.dataflow.transform;

import io.dataflow.api.LogicalType;
import io.dataflow.api.TableId;
import java.util.List;
import java.util.Locale;

/**
 * One table rule of a pipeline ({@code transform:} in the pipeline file, or a rule of an AWS DMS table mapping). Every
 * rule selects by the source's names (schema, table, column; {@code *} and {@code ?} wildcards), whatever other rules
 * rename; the effects of the rules that select the same thing apply in the order the rules are written.
 */
public sealed interface Rule {

    /** Where the rule was written, for errors: {@code transform[3]} or {@code DMS rule 7 (rename-orders)}. */
    String origin();

    Where where();

    /** The tables (and columns) a rule selects, by source names. */
    record Where(String schema, String table, String column) {
        public static Where table(TableId t) {
            return new Where(t.schema(), t.table(), null);
        }

        public boolean matchesTable(TableId t) {
            return glob(schema, t.schema()) && glob(table, t.table());
        }

        public boolean matchesColumn(TableId t, String c) {
            return matchesTable(t) && column != null && glob(column, c);
        }

        /** True when a name has no wildcard, so the rule names one thing that must exist. */
        public static boolean literal(String pattern) {
            return pattern != null && pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
        }

        static boolean glob(String pattern, String name) {
            if (pattern == null || pattern.equals("*")) {
                return true;
            }
            if (literal(pattern)) {
                return pattern.equals(name);
            }
            return io.dataflow.config.TableSelection.glob(pattern).matcher(name).matches();
        }

        @Override
        public String toString() {
            return schema + "." + table + (column == null ? "" : "." + column);
        }
    }

    /** What a name rule names: a schema, a table or a column. */
    enum Level { SCHEMA, TABLE, COLUMN }

    /** How a name rule changes a name. */
    enum NameAction {
        RENAME, LOWERCASE, UPPERCASE, ADD_PREFIX, REMOVE_PREFIX, REPLACE_PREFIX, ADD_SUFFIX, REMOVE_SUFFIX, REPLACE_SUFFIX;

        /** The name as this action leaves it ({@code value}: the new name, prefix or suffix; {@code with}: its replacement). */
        String apply(String name, String value, String with) {
            return switch (this) {
                case RENAME -> value;
                case LOWERCASE -> name.toLowerCase(Locale.ROOT);
                case UPPERCASE -> name.toUpperCase(Locale.ROOT);
                case ADD_PREFIX -> value + name;
                case REMOVE_PREFIX -> name.startsWith(value) ? name.substring(value.length()) : name;
                case REPLACE_PREFIX -> name.startsWith(value) ? with + name.substring(value.length()) : name;
                case ADD_SUFFIX -> name + value;
                case REMOVE_SUFFIX -> name.endsWith(value) ? name.substring(0, name.length() - value.length()) : name;
                case REPLACE_SUFFIX -> name.endsWith(value) ? name.substring(0, name.length() - value.length()) + with : name;
            };
        }

        /** The pipeline file's word for it ({@code add-prefix}). */
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Renames, re-cases or re-fixes the schema, table or column names it selects. */
    record Name(String origin, Level level, Where where, NameAction action, String value, String with) implements Rule {}

    /** Leaves a column out of every target. */
    record RemoveColumn(String origin, Where where) implements Rule {}

    /** Adds a column computed from the row and the change's metadata ({@code type} null: the expression's type). */
    record AddColumn(String origin, Where where, String name, String expression, LogicalType type) implements Rule {}

    /** The key of the tables it selects (for tables without a primary key), by source column names. */
    record DefineKey(String origin, Where where, List<String> columns) implements Rule {
        public DefineKey {
            columns = List.copyOf(columns);
        }
    }

    /** Keeps only the rows for which {@code where} is true, in the full load and in every change. */
    record Filter(String origin, Where where, String condition) implements Rule {}

    /** How a masked column's values are replaced. */
    enum MaskMethod {
        /** A keyed hash (HMAC-SHA-256, hex) of the value: equal values stay equal, so masked columns still join. */
        HASH,
        /** Every digit replaced by {@code #}. */
        DIGITS_MASK,
        /** Every digit replaced by a digit drawn from a keyed hash of the value: the same value gives the same digits. */
        DIGITS_RANDOMIZE,
        /** NULL. */
        NULL;

        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Replaces a column's values ({@code key}: the hash key, a secret; empty for an unkeyed SHA-256). */
    record Mask(String origin, Where where, MaskMethod method, String key) implements Rule {
        @Override
        public String toString() {
            return "Mask[origin=" + origin + ", where=" + where + ", method=" + method + (key.isEmpty() ? "" : ", key=***") + "]";
        }
    }
}
