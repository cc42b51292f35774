package io.dataflow.source.binlog;

import io.dataflow.api.LogicalType.Kind;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.source.load.FullLoadState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Primary-key ranges of a MariaDB/MySQL table: the chunk plan, and the SQL that reads one range. */
final class KeyRanges {
    private KeyRanges() {}

    /**
     * Primary-key ranges of about {@code chunkRows} rows each, skew-safe for any key shape: one streaming pass over
     * the key in key order takes every {@code chunkRows}-th key as a boundary. Tables without a primary key (or with
     * a binary one) are one chunk.
     */
    static List<FullLoadState.Chunk> plan(Connection c, TableId t, TableSchema schema, long chunkRows, int fetchSize) throws SQLException {
        List<FullLoadState.Chunk> out = new ArrayList<>();
        List<String> keys = schema.keyColumns();
        boolean chunkable = !keys.isEmpty() && keys.stream().map(k -> schema.columns().get(schema.indexOf(k)).type().kind())
                .noneMatch(k -> k == Kind.BYTES || k == Kind.FLOAT32 || k == Kind.FLOAT64);
        if (chunkable) {
            String cols = keys.stream().map(KeyRanges::q).collect(Collectors.joining(", "));
            List<List<String>> bounds = new ArrayList<>();
            try (Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                st.setFetchSize(fetchSize);
                try (ResultSet rs = st.executeQuery("SELECT " + cols + " FROM " + q(t) + " ORDER BY " + cols)) {
                    long n = 0;
                    while (rs.next()) {
                        if (++n % chunkRows == 1 && n > 1) {
                            List<String> b = new ArrayList<>();
                            for (int i = 1; i <= keys.size(); i++) {
                                b.add(rs.getString(i));
                            }
                            bounds.add(b);
                        }
                    }
                }
            }
            if (!bounds.isEmpty()) {
                for (int i = 0; i <= bounds.size(); i++) {
                    out.add(new FullLoadState.Chunk(t.schema(), t.table(), i + 1, 0, 0, i == 0 ? null : bounds.get(i - 1),
                            i == bounds.size() ? null : bounds.get(i)));
                }
                return out;
            }
        }
        out.add(new FullLoadState.Chunk(t.schema(), t.table(), 1, -1, -1));
        return out;
    }

    /** {@code (k1, k2, ...) >= (v1, v2, ...)} (or {@code <}) spelled out so every MySQL-family optimizer uses the key. */
    static String rowCompare(List<String> keys, int from, boolean lower) {
        String k = q(keys.get(from));
        if (from == keys.size() - 1) {
            return k + (lower ? " >= ?" : " < ?");
        }
        return "(" + k + (lower ? " > ?" : " < ?") + " OR (" + k + " = ? AND " + rowCompare(keys, from + 1, lower) + "))";
    }

    /** The values to bind for {@link #rowCompare}, in the order the placeholders appear. */
    static List<String> rowCompareValues(List<String> values, int from) {
        List<String> out = new ArrayList<>();
        out.add(values.get(from));
        if (from < values.size() - 1) {
            out.add(values.get(from));
            out.addAll(rowCompareValues(values, from + 1));
        }
        return out;
    }

    static String q(String ident) {
        return "`" + ident.replace("`", "``") + "`";
    }

    static String q(TableId t) {
        return q(t.schema()) + "." + q(t.table());
    }

}
