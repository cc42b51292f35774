package io.dataflow.validate;

import java.util.Iterator;

/** One side of a comparison: a table's rows in normal form, by key range, in key order. */
interface TableSide {

    /** For the report, e.g. {@code postgres 127.0.0.1:5432/shop public.orders}. */
    String describe();

    /** What kind of store holds this side, for the conversion rules of values it cannot hold ({@link NotHeld}). */
    NotHeld.Store store();

    /** The rows whose key falls in {@code range}, ordered by key; the iterator is closed when done. */
    Rows rows(KeyRange range) throws Exception;

    /** Rows being read; closing releases the connection or files. */
    interface Rows extends Iterator<Row>, AutoCloseable {
        @Override
        void close() throws Exception;
    }
}
