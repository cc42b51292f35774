package io.dataflow.validate;

import java.util.List;

/** One row in normal form: its key (ordered as {@link ValueForm#compareKeys} orders) and its values, by compared column. */
record Row(List<Comparable<?>> key, String[] values) {}
