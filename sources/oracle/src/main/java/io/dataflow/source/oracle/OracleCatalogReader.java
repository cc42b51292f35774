package io.dataflow.source.oracle;

import io.dataflow.api.TableId;
import io.dataflow.api.catalog.CatalogReader;
import io.dataflow.api.catalog.Engine;
import io.dataflow.api.catalog.SourceColumn;
import io.dataflow.api.catalog.SourceObject;
import io.dataflow.api.catalog.SourceTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an Oracle table from the data dictionary (ALL_TAB_COLUMNS, ALL_CONSTRAINTS, ALL_INDEXES) into the catalog model
 * the schema conversion maps with {@code oracle-*.map}. Written to Oracle's documented dictionary; not run against a
 * server in DataFlow's CI (no Oracle server can run there): {@link #column} is unit-tested on dictionary rows.
 */
public final class OracleCatalogReader implements CatalogReader {
    private static final Pattern SIZE = Pattern.compile("\\(\\d+\\)");

    @Override
    public Engine engine() {
        return Engine.ORACLE;
    }

    @Override
    public SourceTable table(Connection c, TableId id) throws SQLException {
        List<SourceColumn> columns = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("""
                select column_name, data_type, char_length, data_precision, data_scale, nullable, data_default, identity_column,
                       virtual_column, data_length
                  from all_tab_cols where owner = ? and table_name = ? and hidden_column = 'NO' order by column_id""")) {
            st.setString(1, id.schema());
            st.setString(2, id.table());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2);
                    long length = "RAW".equals(type) ? rs.getLong(10) : rs.getLong(3);
                    Integer precision = rs.getObject(4) == null ? null : rs.getInt(4);
                    Integer scale = rs.getObject(5) == null ? null : rs.getInt(5);
                    String def = rs.getString(7);
                    columns.add(column(rs.getString(1), type, length, precision, scale, "Y".equals(rs.getString(6)),
                            def == null || def.isBlank() || "YES".equals(rs.getString(9)) ? null : def.trim(), "YES".equals(rs.getString(8)))
                            .withGenerated("YES".equals(rs.getString(9)) ? (def == null ? "" : def.trim()) : null));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new SQLException("table " + id + " not found (or not visible to this user) in ALL_TAB_COLS");
        }
        Map<String, List<String>> constraints = new LinkedHashMap<>();
        List<String> primaryKey = new ArrayList<>();
        List<SourceTable.Index> indexes = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("""
                select k.constraint_name, k.constraint_type, cc.column_name
                  from all_constraints k join all_cons_columns cc on cc.owner = k.owner and cc.constraint_name = k.constraint_name
                 where k.owner = ? and k.table_name = ? and k.constraint_type in ('P', 'U')
                 order by k.constraint_name, cc.position""")) {
            st.setString(1, id.schema());
            st.setString(2, id.table());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    if ("P".equals(rs.getString(2))) {
                        primaryKey.add(rs.getString(3));
                    } else {
                        constraints.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(3));
                    }
                }
            }
        }
        constraints.forEach((name, cols) -> indexes.add(new SourceTable.Index(name, cols, true, null)));
        return new SourceTable(id, columns, primaryKey, indexes, List.of(), List.of(), List.of(), -1);
    }

    /**
     * One dictionary row as a catalog column: {@code data_type} lower-cased without its size ({@code TIMESTAMP(6) WITH
     * TIME ZONE} is {@code timestamp with time zone} with 6 fractional digits), {@code NUMBER} without precision kept
     * apart (no-precision), {@code FLOAT} as such.
     */
    static SourceColumn column(String name, String dataType, long charLength, Integer precision, Integer scale, boolean nullable,
            String defaultExpr, boolean identity) {
        String upper = dataType.toUpperCase(Locale.ROOT);
        int fsp = -1;
        Matcher m = Pattern.compile("\\((\\d+)\\)").matcher(upper);
        if (upper.startsWith("TIMESTAMP") && m.find()) {
            fsp = Integer.parseInt(m.group(1));
        } else if (upper.startsWith("INTERVAL DAY")) {
            Matcher last = Pattern.compile("SECOND\\((\\d+)\\)").matcher(upper);
            fsp = last.find() ? Integer.parseInt(last.group(1)) : 6;
        } else if (upper.startsWith("TIMESTAMP")) {
            fsp = 6;
        }
        String base = SIZE.matcher(upper).replaceAll("").replaceAll("\\s+", " ").trim().toLowerCase(Locale.ROOT);
        long length = base.equals("varchar2") || base.equals("nvarchar2") || base.equals("char") || base.equals("nchar")
                || base.equals("raw") || base.equals("varchar") ? charLength : -1;
        int p = base.equals("number") && precision != null ? precision : base.equals("float") && precision != null ? precision : -1;
        int s = base.equals("number") && precision != null && scale != null ? scale : -1;
        String shown = dataType.toLowerCase(Locale.ROOT) + (length > 0 && !dataType.contains("(") ? "(" + length + ")" : "")
                + (base.equals("number") && precision != null ? "(" + precision + "," + (scale == null ? 0 : scale) + ")" : "");
        return new SourceColumn(name, base, shown, length, p, s, fsp, false, nullable, defaultExpr, identity, List.of(), null, null);
    }

    @Override
    public List<SourceObject> objects(Connection c, String schema) throws SQLException {
        List<SourceObject> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("""
                select object_type, object_name from all_objects
                 where owner = ? and object_type in ('VIEW', 'TRIGGER', 'SEQUENCE', 'PROCEDURE', 'FUNCTION', 'PACKAGE', 'TYPE',
                       'MATERIALIZED VIEW', 'SYNONYM')
                 order by 1, 2""")) {
            st.setString(1, schema);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new SourceObject(rs.getString(1).toLowerCase(Locale.ROOT), schema, rs.getString(2), ""));
                }
            }
        }
        return out;
    }
}
