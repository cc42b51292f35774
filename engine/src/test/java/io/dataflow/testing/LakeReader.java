package io.dataflow.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the raw zone back with DuckDB, an independent Parquet reader. Used by tests only.
 */
public final class LakeReader implements AutoCloseable {
    private final Connection duck;
    private final Path lake;

    public LakeReader(Path lake) throws SQLException {
        this.lake = lake;
        this.duck = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement st = duck.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
        }
    }

    /** The glob of every raw-zone file of a table. */
    public String glob(String pipeline, String schema, String table) {
        return lake.resolve("raw").resolve(pipeline).resolve(schema).resolve(table) + "/**/*.parquet";
    }

    public boolean hasFiles(String pipeline, String schema, String table) throws java.io.IOException {
        Path dir = lake.resolve("raw").resolve(pipeline).resolve(schema).resolve(table);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var s = Files.walk(dir)) {
            return s.anyMatch(p -> p.toString().endsWith(".parquet"));
        }
    }

    /** Rows of a query; {@code {raw}} in the SQL is replaced by a read of the table's raw zone files. */
    public List<Map<String, Object>> query(String sql, String pipeline, String schema, String table) throws SQLException {
        String from = "read_parquet('" + glob(pipeline, schema, table) + "', union_by_name = true)";
        return query(sql.replace("{raw}", from));
    }

    public List<Map<String, Object>> query(String sql) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    public Connection connection() {
        return duck;
    }

    @Override
    public void close() throws SQLException {
        duck.close();
    }
}
