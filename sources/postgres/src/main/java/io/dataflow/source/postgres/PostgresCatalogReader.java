package io.dataflow.source.postgres;

import io.dataflow.api.catalog.Engine;
import io.dataflow.api.catalog.SourceObject;
import io.dataflow.api.catalog.SourceColumn;
import io.dataflow.api.catalog.SourceTable;
import io.dataflow.api.catalog.CatalogReader;
import io.dataflow.api.TableId;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Reads tables, keys, indexes, foreign keys and the objects conversion skips from PostgreSQL's catalogs. */
public final class PostgresCatalogReader implements CatalogReader {

    @Override
    public Engine engine() {
        return Engine.POSTGRES;
    }

    private static final String COLUMNS = """
            SELECT a.attname,
                   CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) ELSE format_type(a.atttypid, a.atttypmod) END,
                   col.data_type, col.character_maximum_length,
                   col.numeric_precision, col.numeric_scale, col.datetime_precision, NOT a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid), a.attidentity <> '' OR COALESCE(pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%',
                   CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END,
                   et.typname, bt.typtype, t.typtype,
                   (SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = bt.oid),
                   bt.typname
            FROM pg_attribute a
            JOIN pg_class r ON r.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = r.relnamespace
            JOIN pg_type t ON t.oid = a.atttypid
            JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
            LEFT JOIN pg_type et ON et.oid = bt.typelem AND bt.typcategory = 'A'
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            LEFT JOIN information_schema.columns col ON col.table_schema = n.nspname AND col.table_name = r.relname AND col.column_name = a.attname
            WHERE n.nspname = ? AND r.relname = ? AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum""";

    /** The primary-key columns of a table, in key order; empty when it has none. */
    public static List<String> primaryKey(Connection c, TableId t) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                select array_agg(a.attname order by array_position(i.indkey, a.attnum))
                from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
                join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                where n.nspname = ? and c.relname = ? and i.indisprimary""")) {
            st.setString(1, t.schema());
            st.setString(2, t.table());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getArray(1) != null ? List.of((String[]) rs.getArray(1).getArray()) : List.of();
            }
        }
    }

    @Override
    public SourceTable table(Connection c, TableId id) throws SQLException {
        List<SourceColumn> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(column(rs));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new SQLException("table " + id + " not found in pg_catalog");
        }
        String rel = id.quoted();
        List<String> pk = new ArrayList<>();
        List<SourceTable.Index> indexes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT ic.relname, i.indisprimary, i.indisunique, i.indexprs IS NOT NULL OR i.indpred IS NOT NULL,
                       ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord),
                       pg_get_indexdef(i.indexrelid)
                FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                WHERE i.indrelid = ?::regclass ORDER BY ic.relname""")) {
            ps.setString(1, rel);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> cols = strings(rs.getArray(5));
                    if (rs.getBoolean(2)) {
                        pk.addAll(cols);
                    } else if (rs.getBoolean(4)) {
                        indexes.add(new SourceTable.Index(rs.getString(1), List.of(), rs.getBoolean(3), rs.getString(6)));
                    } else {
                        indexes.add(new SourceTable.Index(rs.getString(1), cols, rs.getBoolean(3), null));
                    }
                }
            }
        }
        List<SourceTable.ForeignKey> fks = new ArrayList<>();
        List<SourceTable.Check> checks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT con.conname, con.contype,
                       ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord),
                       fn.nspname, fc.relname,
                       ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord),
                       con.confdeltype, con.confupdtype, pg_get_constraintdef(con.oid)
                FROM pg_constraint con
                LEFT JOIN pg_class fc ON fc.oid = con.confrelid
                LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
                WHERE con.conrelid = ?::regclass AND con.contype IN ('f', 'c') ORDER BY con.conname""")) {
            ps.setString(1, rel);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(2).equals("f")) {
                        fks.add(new SourceTable.ForeignKey(rs.getString(1), strings(rs.getArray(3)), new TableId(rs.getString(4), rs.getString(5)),
                                strings(rs.getArray(6)), action(rs.getString(7)), action(rs.getString(8))));
                    } else {
                        checks.add(new SourceTable.Check(rs.getString(1), rs.getString(9)));
                    }
                }
            }
        }
        List<String> notes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT relkind, relispartition FROM pg_class WHERE oid = ?::regclass")) {
            ps.setString(1, rel);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getString(1).equals("p")) {
                    notes.add("partitioned table (its partitions' rows are moved into one table)");
                }
            }
        }
        return new SourceTable(id, columns, pk, indexes, fks, checks, notes, -1);
    }

    private static SourceColumn column(ResultSet rs) throws SQLException {
        String formatted = rs.getString(2);
        String infoType = rs.getString(3);
        String element = rs.getString(12);
        String baseKind = rs.getString(13);
        String base = rs.getString(16);
        String dataType;
        if (element != null) {
            dataType = "array";
        } else if ("e".equals(baseKind)) {
            dataType = "enum";
        } else if (infoType != null && !infoType.equals("USER-DEFINED") && !infoType.equals("ARRAY")) {
            dataType = infoType.toLowerCase(Locale.ROOT);
        } else {
            dataType = base;
        }
        long length = rs.getObject(4) == null ? -1 : rs.getLong(4);
        int precision = -1;
        int scale = -1;
        if (dataType.equals("numeric")) {
            precision = rs.getObject(5) == null ? -1 : rs.getInt(5);
            scale = rs.getObject(6) == null ? -1 : rs.getInt(6);
        }
        int fsp = dataType.startsWith("time") || dataType.equals("interval") ? (rs.getObject(7) == null ? 6 : rs.getInt(7)) : -1;
        if (dataType.equals("bit") || dataType.equals("bit varying")) {
            length = rs.getObject(4) == null ? -1 : rs.getLong(4);
        }
        Array labels = rs.getArray(15);
        String generated = rs.getString(11);
        String def = generated == null ? rs.getString(9) : null;
        return new SourceColumn(rs.getString(1), dataType, formatted, length, precision, scale, fsp, false, rs.getBoolean(8), def,
                rs.getBoolean(10), labels == null ? List.of() : strings(labels), generated, element);
    }

    private static List<String> strings(Array a) throws SQLException {
        return a == null ? List.of() : Arrays.stream((Object[]) a.getArray()).map(String::valueOf).toList();
    }

    private static String action(String code) {
        return switch (code == null ? "a" : code) {
            case "c" -> "CASCADE";
            case "n" -> "SET NULL";
            case "d" -> "SET DEFAULT";
            case "r" -> "RESTRICT";
            default -> "NO ACTION";
        };
    }

    @Override
    public List<SourceObject> objects(Connection c, String schema) throws SQLException {
        List<SourceObject> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT CASE cl.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'sequence' END, cl.relname,
                       CASE WHEN cl.relkind IN ('v', 'm') THEN pg_get_viewdef(cl.oid) ELSE '' END
                FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace
                LEFT JOIN pg_depend dep ON dep.objid = cl.oid AND dep.deptype IN ('a', 'i') AND cl.relkind = 'S'
                WHERE n.nspname = ? AND cl.relkind IN ('v', 'm', 'S') AND dep.objid IS NULL ORDER BY 1, 2""")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SourceObject(rs.getString(1), schema, rs.getString(2), rs.getString(3)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT t.tgname || ' on ' || cl.relname, pg_get_triggerdef(t.oid)
                FROM pg_trigger t JOIN pg_class cl ON cl.oid = t.tgrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
                WHERE n.nspname = ? AND NOT t.tgisinternal ORDER BY 1""")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SourceObject("trigger", schema, rs.getString(1), rs.getString(2)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                LEFT JOIN pg_depend dep ON dep.objid = p.oid AND dep.deptype = 'e'
                WHERE n.nspname = ? AND p.prokind IN ('f', 'p') AND dep.objid IS NULL ORDER BY 2""")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SourceObject(rs.getString(1), schema, rs.getString(2), ""));
                }
            }
        }
        return out;
    }
}
