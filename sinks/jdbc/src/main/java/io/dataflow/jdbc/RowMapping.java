package io.dataflow.jdbc;

import io.dataflow.api.TableSchema;
import io.dataflow.convert.TargetTable;
import io.dataflow.api.StorageException;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Rows of one event schema as the values of every column of a target table, in target column order, rendered by
 * {@link ValueRenderer}: what the bulk paths (COPY, batched INSERT) write.
 */
final class RowMapping {
    private final TableSchema schema;
    private final ValueRenderer renderer;
    private final TargetTable.TargetColumn[] columns;
    private final int[] sourceIndexes;
    private final String[] labels;

    RowMapping(TargetTable table, TableSchema schema, ValueRenderer renderer) throws StorageException {
        this.schema = schema;
        this.renderer = renderer;
        columns = table.columns().toArray(TargetTable.TargetColumn[]::new);
        sourceIndexes = new int[columns.length];
        labels = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            sourceIndexes[i] = schema.indexOf(columns[i].sourceName());
            labels[i] = schema.id() + "." + columns[i].sourceName();
            if (sourceIndexes[i] < 0) {
                throw new StorageException("column " + labels[i] + " is missing from the source's rows", true, null);
            }
        }
    }

    TableSchema schema() {
        return schema;
    }

    int size() {
        return columns.length;
    }

    /**
     * Target column {@code i}'s value of {@code row} when it is binary that {@link #value} would render as PostgreSQL's
     * hex text ({@code \\x...}); null otherwise. Lets a writer stream a large value's hex instead of building it.
     */
    byte[] hexBytes(Object[] row, int i) {
        Object v = row[sourceIndexes[i]];
        return v instanceof byte[] b && renderer.pg() && schema.columns().get(sourceIndexes[i]).type().kind() == io.dataflow.api.LogicalType.Kind.BYTES
                ? b : null;
    }

    /** Target column {@code i}'s value of {@code row}: text, bytes, or null. */
    Object value(Object[] row, int i) {
        return renderer.render(row[sourceIndexes[i]], schema.columns().get(sourceIndexes[i]).type(), columns[i], labels[i]);
    }

    /** Binds a rendered value; returns its size in bytes (characters for text), for progress. */
    static long bind(PreparedStatement ps, int index, Object rendered) throws SQLException {
        if (rendered == null) {
            ps.setNull(index, java.sql.Types.NULL);
            return 0;
        }
        if (rendered instanceof byte[] b) {
            ps.setBytes(index, b);
            return b.length;
        }
        ps.setString(index, (String) rendered);
        return ((String) rendered).length();
    }
}
