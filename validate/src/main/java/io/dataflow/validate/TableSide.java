package io.dataflow.validate;

import java.util.Iterator;

/** One side of a comparison: a table's rows in normal form, by key range, in key order. */
interface TableSide {

    /** For the report, e.g. {@code postgres 127.0.0.1:5432/shop public.orders}. */
    String describe();

    /** The rows whose key falls in {@code range}, ordered by key; the iterator is closed when done. */
    Rows rows(KeyRange range) throws Exception;

    /** Rows being read; closing releases the connection or files. */
    interface Rows extends Iterator<Row>, AutoCloseable {
        @Override
        void close() throws Exception;
    }
}
