package io.dataflow.transform;

import io.dataflow.api.Column;
import io.dataflow.api.TableSchema;
import io.dataflow.api.catalog.Catalog;
import io.dataflow.api.catalog.SourceTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the table rules do to each source table, one line per table, for {@code check} and {@code convert}. */
public final class RuleEffects {
    private RuleEffects() {}

    /** One line per table that a rule changes; none for the others. */
    public static List<String> describe(TableRules rules, Catalog catalog) {
        List<String> out = new ArrayList<>();
        if (rules.isEmpty()) {
            return out;
        }
        for (SourceTable t : catalog.tables()) {
            TableSchema source = CatalogRules.schema(t);
            TablePlan plan = rules.compile(source);
            if (plan.identity()) {
                continue;
            }
            TableSchema target = plan.target();
            List<String> parts = new ArrayList<>();
            List<String> renamed = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            for (Column c : source.columns()) {
                String to = plan.targetName(c.name());
                if (to == null) {
                    removed.add(c.name());
                } else if (!to.equals(c.name())) {
                    renamed.add(c.name() + " -> " + to);
                }
            }
            List<String> added = new ArrayList<>();
            List<String> masked = new ArrayList<>();
            for (int c = 0; c < target.columns().size(); c++) {
                Column col = target.columns().get(c);
                if (plan.sourceIndex(c) < 0) {
                    added.add(col.name() + " (" + col.type().kind().name().toLowerCase(Locale.ROOT) + ")");
                }
                if (plan.mask(c) != null) {
                    masked.add(col.name() + " (" + plan.mask(c).word() + ")");
                }
            }
            if (!renamed.isEmpty()) {
                parts.add("columns " + String.join(", ", renamed));
            }
            if (!removed.isEmpty()) {
                parts.add("removed " + String.join(", ", removed));
            }
            if (!added.isEmpty()) {
                parts.add("added " + String.join(", ", added));
            }
            if (!masked.isEmpty()) {
                parts.add("masked " + String.join(", ", masked));
            }
            if (!target.keyColumns().equals(source.keyColumns().stream().map(plan::targetName).toList())) {
                parts.add("key (" + String.join(", ", target.keyColumns()) + ")");
            }
            for (Rule r : rules.of(t.id())) {
                if (r instanceof Rule.Filter f) {
                    parts.add("filter " + f.condition());
                }
            }
            out.add(t.id() + " -> " + target.id() + (parts.isEmpty() ? "" : ": " + String.join("; ", parts)));
        }
        return out;
    }
}
