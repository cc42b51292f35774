package io.dataflow.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What a conversion did: every column's source type, target type and the rule that chose it; every object it did
 * not convert with the action to take; and warnings about what converted with a caveat.
 */
public record ConversionReport(String source, String target, List<ColumnEntry> columns, List<Item> notConverted, List<Item> warnings) {

    public ConversionReport {
        columns = List.copyOf(columns);
        notConverted = List.copyOf(notConverted);
        warnings = List.copyOf(warnings);
    }

    /** One converted column. */
    public record ColumnEntry(String table, String column, String sourceType, String targetType, String fidelity, String why, String rule) {}

    /** An object not converted, or a caveat: what it is, what happened, what to do. */
    public record Item(String kind, String object, String what, String action) {}

    public long lossyColumns() {
        return columns.stream().filter(c -> c.fidelity().equals("lossy")).count();
    }

    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Schema conversion report: ").append(source).append(" -> ").append(target).append("\n\n");
        md.append(columns.size()).append(" columns converted, ").append(lossyColumns()).append(" of them lossy; ")
                .append(notConverted.size()).append(" objects not converted; ").append(warnings.size()).append(" warnings.\n\n");
        if (!notConverted.isEmpty()) {
            md.append("## Not converted\n\n| kind | object | what | action |\n|---|---|---|---|\n");
            notConverted.forEach(i -> row(md, i.kind(), i.object(), i.what(), i.action()));
            md.append('\n');
        }
        if (!warnings.isEmpty()) {
            md.append("## Warnings\n\n| kind | object | what | action |\n|---|---|---|---|\n");
            warnings.forEach(i -> row(md, i.kind(), i.object(), i.what(), i.action()));
            md.append('\n');
        }
        md.append("## Columns\n\n| table | column | source type | target type | fidelity | why | rule |\n|---|---|---|---|---|---|---|\n");
        columns.forEach(c -> row(md, c.table(), c.column(), c.sourceType(), c.targetType(), c.fidelity(), c.why(), c.rule()));
        return md.toString();
    }

    private static void row(StringBuilder md, String... cells) {
        md.append('|');
        for (String c : cells) {
            md.append(' ').append(c == null ? "" : c.replace("|", "\\|").replace("\n", " ")).append(" |");
        }
        md.append('\n');
    }
}
