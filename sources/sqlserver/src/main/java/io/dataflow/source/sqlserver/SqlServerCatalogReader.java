package io.dataflow.source.sqlserver;

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
import java.util.List;
import java.util.Locale;

/**
 * Reads a SQL Server table from INFORMATION_SCHEMA and sys views into the catalog model the schema conversion maps with
 * {@code sqlserver-*.map}. Written to SQL Server's documented catalog; not run against a server in DataFlow's CI:
 * {@link #column} is unit-tested on catalog rows.
 */
public final class SqlServerCatalogReader implements CatalogReader {

    @Override
    public Engine engine() {
        return Engine.SQLSERVER;
    }

    @Override
    public SourceTable table(Connection c, TableId id) throws SQLException {
        List<SourceColumn> columns = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("""
                select c.column_name, c.data_type, c.character_maximum_length, c.numeric_precision, c.numeric_scale,
                       c.datetime_precision, c.is_nullable, c.column_default,
                       columnproperty(object_id(quotename(c.table_schema) + '.' + quotename(c.table_name)), c.column_name, 'IsIdentity'),
                       columnproperty(object_id(quotename(c.table_schema) + '.' + quotename(c.table_name)), c.column_name, 'IsComputed')
                  from information_schema.columns c where c.table_schema = ? and c.table_name = ? order by c.ordinal_position""")) {
            st.setString(1, id.schema());
            st.setString(2, id.table());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    columns.add(column(rs.getString(1), rs.getString(2), rs.getObject(3) == null ? null : rs.getLong(3),
                            rs.getObject(4) == null ? null : rs.getInt(4), rs.getObject(5) == null ? null : rs.getInt(5),
                            rs.getObject(6) == null ? null : rs.getInt(6), "YES".equals(rs.getString(7)), rs.getString(8), rs.getInt(9) == 1)
                            .withGenerated(rs.getInt(10) == 1 ? "computed" : null));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new SQLException("table " + id + " not found (or not visible to this user) in INFORMATION_SCHEMA.COLUMNS");
        }
        List<String> primaryKey = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("""
                select k.column_name from information_schema.table_constraints t
                  join information_schema.key_column_usage k on k.constraint_name = t.constraint_name and k.table_schema = t.table_schema
                 where t.table_schema = ? and t.table_name = ? and t.constraint_type = 'PRIMARY KEY' order by k.ordinal_position""")) {
            st.setString(1, id.schema());
            st.setString(2, id.table());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    primaryKey.add(rs.getString(1));
                }
            }
        }
        return new SourceTable(id, columns, primaryKey, List.of(), List.of(), List.of(), List.of(), -1);
    }

    /**
     * One INFORMATION_SCHEMA.COLUMNS row as a catalog column: a length of -1 ({@code varchar(max)}) is unbounded; the
     * precision of {@code datetime2}, {@code datetimeoffset} and {@code time} is their fractional digits (0..7); a
     * default arrives wrapped in parentheses, which are removed.
     */
    static SourceColumn column(String name, String dataType, Long length, Integer precision, Integer scale, Integer datetimePrecision,
            boolean nullable, String defaultExpr, boolean identity) {
        String type = dataType.toLowerCase(Locale.ROOT);
        long len = length == null ? -1 : length;
        boolean sized = type.endsWith("char") || type.endsWith("binary");
        int fsp = switch (type) {
            case "datetime2", "datetimeoffset", "time" -> datetimePrecision == null ? 7 : datetimePrecision;
            default -> -1;
        };
        int p = (type.equals("decimal") || type.equals("numeric") || type.equals("float")) && precision != null ? precision : -1;
        int s = (type.equals("decimal") || type.equals("numeric")) && scale != null ? scale : -1;
        String shown = type + (sized ? "(" + (len < 0 ? "max" : len) + ")" : p >= 0 && s >= 0 ? "(" + p + "," + s + ")" : fsp >= 0 ? "(" + fsp + ")" : "");
        String def = defaultExpr;
        while (def != null && def.length() >= 2 && def.startsWith("(") && def.endsWith(")")) {
            def = def.substring(1, def.length() - 1);
        }
        return new SourceColumn(name, type, shown, sized ? len : -1, p, s, fsp, false, nullable, def, identity, List.of(), null, null);
    }

    @Override
    public List<SourceObject> objects(Connection c, String schema) throws SQLException {
        List<SourceObject> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("""
                select o.type_desc, o.name from sys.objects o join sys.schemas s on s.schema_id = o.schema_id
                 where s.name = ? and o.type in ('V', 'TR', 'P', 'FN', 'IF', 'TF', 'SO') and o.is_ms_shipped = 0 order by 1, 2""")) {
            st.setString(1, schema);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new SourceObject(rs.getString(1).toLowerCase(Locale.ROOT).replace('_', ' '), schema, rs.getString(2), ""));
                }
            }
        }
        return out;
    }
}
