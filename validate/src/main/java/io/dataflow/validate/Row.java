package io.dataflow.validate;

import java.util.List;

/**
 * One row: its key (ordered as {@link ValueForm#compareKeys} orders) and its values as read, by compared column; values
 * are put in normal form only when they are not already equal as read ({@link ValueForm#same}).
 */
record Row(List<Comparable<?>> key, Object[] values) {}
