package io.dataflow.validate;

import java.util.List;

/**
 * The columns a table is compared on, by source name, with the name each side knows them by and how to read them.
 *
 * @param source the source's column names, in order; the key columns first
 * @param target the target's name for each
 * @param hints  how each column's values are read
 * @param keys   how many of the leading columns form the key
 * @param textKey whether each key column is text (ordered by code point, which the SQL must ask for)
 */
record Columns(List<String> source, List<String> target, List<ValueForm.Hint> hints, int keys, List<Boolean> textKey) {
    Columns {
        source = List.copyOf(source);
        target = List.copyOf(target);
        hints = List.copyOf(hints);
        textKey = List.copyOf(textKey);
    }

    int size() {
        return source.size();
    }
}
