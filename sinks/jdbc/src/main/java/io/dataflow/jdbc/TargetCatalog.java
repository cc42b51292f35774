package io.dataflow.jdbc;

import io.dataflow.api.TableId;
import io.dataflow.api.catalog.Engine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What a database target's catalog says about one table's columns. */
final class TargetCatalog {
    private TargetCatalog() {}

    /** A target column: its name, its type as the engine spells it, and whether it takes NULL. */
    record ColumnInfo(String name, String type, boolean nullable) {}

    /** The table's columns in their order; empty when the table does not exist. */
    static List<ColumnInfo> columns(Connection c, Engine engine, TableId id) throws SQLException {
        String sql = engine == Engine.POSTGRES
                ? "SELECT a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull FROM pg_attribute a "
                        + "JOIN pg_class t ON t.oid = a.attrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
                        + "WHERE n.nspname = ? AND t.relname = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"
                : "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE = 'YES' FROM information_schema.COLUMNS "
                        + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";
        List<ColumnInfo> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ColumnInfo(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
                }
            }
        }
        return out;
    }

    /** The names of the table's indexes (primary key and unique constraints included). */
    static java.util.Set<String> indexNames(Connection c, Engine engine, TableId id) throws SQLException {
        String sql = engine == Engine.POSTGRES ? "SELECT indexname FROM pg_indexes WHERE schemaname = ? AND tablename = ?"
                : "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";
        java.util.Set<String> out = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
