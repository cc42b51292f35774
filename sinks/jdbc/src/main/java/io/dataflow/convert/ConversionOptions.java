package io.dataflow.convert;

import io.dataflow.api.catalog.Engine;
import io.dataflow.api.catalog.Catalog;
import io.dataflow.api.TableId;
import io.dataflow.config.ChangeType;
import java.util.List;
import java.util.Locale;

/**
 * Choices that shape a conversion.
 *
 * @param target         the target engine
 * @param targetSchema   the schema (PostgreSQL) or database (MariaDB/MySQL) every table goes to; empty keeps each
 *                       table's source schema name
 * @param identifierCase how table, column and index names are spelled in the target
 * @param enumMode       PostgreSQL targets: how a MySQL enum is kept
 * @param overrides      per-column target types that replace the mapping rule's choice
 */
public record ConversionOptions(Engine target, String targetSchema, IdentifierCase identifierCase, EnumMode enumMode,
        List<ChangeType> overrides) {

    public ConversionOptions {
        overrides = List.copyOf(overrides);
        targetSchema = targetSchema == null ? "" : targetSchema;
    }

    public static ConversionOptions defaults(Engine target) {
        return new ConversionOptions(target, "", IdentifierCase.PRESERVE, EnumMode.CHECK, List.of());
    }

    /** Names keep the source's spelling (quoted where needed), or are lower-cased. */
    public enum IdentifierCase {
        PRESERVE,
        LOWER;

        public String apply(String name) {
            return this == LOWER ? name.toLowerCase(Locale.ROOT) : name;
        }
    }

    /** An enum becomes text with a CHECK constraint, or a PostgreSQL enum type. */
    public enum EnumMode {
        CHECK,
        TYPE
    }

    /** The override for a column, if any. */
    public java.util.Optional<String> overrideFor(TableId table, String column) {
        return overrides.stream().filter(o -> o.table().equals(table) && o.column().equals(column)).map(ChangeType::to).findFirst();
    }

    /** Every override must name a table and column that exist; returns the ones that do not. */
    public List<ChangeType> unmatched(Catalog catalog) {
        return overrides.stream().filter(o -> catalog.table(o.table()).flatMap(t -> t.column(o.column())).isEmpty()).toList();
    }
}
