package io.dataflow.validate;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * A table of the lake's processed zone, read with Iceberg's own generic reader (deletes applied). Iceberg files are not
 * in one key order, so each key range is read whole and sorted in memory: the validator sizes ranges for that.
 */
class IcebergSide implements TableSide {
    private final Table table;
    private final Columns columns;

    IcebergSide(Table table, Columns columns) {
        this.table = table;
        this.columns = columns;
    }

    @Override
    public NotHeld.Store store() {
        return NotHeld.Store.LAKE;
    }

    @Override
    public String describe() {
        return "processed zone " + table.location();
    }

    @Override
    public Rows rows(KeyRange range) throws Exception {
        table.refresh();
        Expression filter = Expressions.alwaysTrue();
        String k = columns.target().get(0);
        if (range.from() != null) {
            filter = Expressions.and(filter, Expressions.greaterThanOrEqual(k, range.from().longValueExact()));
        }
        if (range.to() != null) {
            filter = Expressions.and(filter, Expressions.lessThan(k, range.to().longValueExact()));
        }
        List<Row> rows = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).where(filter).select(columns.target()).build()) {
            for (Record r : records) {
                Object[] values = new Object[columns.size()];
                List<Comparable<?>> key = new ArrayList<>(columns.keys());
                for (int i = 0; i < values.length; i++) {
                    Object v = r.getField(columns.target().get(i));
                    values[i] = v;
                    if (i < columns.keys()) {
                        key.add(v == null ? null : ValueForm.keyOf(v, columns.hints().get(i)));
                    }
                }
                rows.add(new Row(key, values));
            }
        }
        rows.sort((a, b) -> ValueForm.compareKeys(a.key(), b.key()));
        Iterator<Row> it = rows.iterator();
        return new Rows() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Row next() {
                return it.next();
            }

            @Override
            public void close() {}
        };
    }
}
