package io.dataflow.source.binlog;

import io.dataflow.api.catalog.Engine;
import io.dataflow.api.catalog.SourceObject;
import io.dataflow.api.catalog.SourceColumn;
import io.dataflow.api.catalog.SourceTable;
import io.dataflow.api.catalog.CatalogReader;
import io.dataflow.api.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads tables, keys, indexes, foreign keys and the objects conversion skips from MariaDB's or MySQL's information_schema. */
public final class MariaDbCatalogReader implements CatalogReader {
    private static final Pattern DISPLAY_WIDTH = Pattern.compile("^\\w+\\((\\d+)\\)");
    private static final Pattern LABEL = Pattern.compile("'((?:[^']|'')*)'");

    private final Engine engine;

    public MariaDbCatalogReader(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Engine engine() {
        return engine;
    }


    @Override
    public SourceTable table(Connection c, TableId id) throws SQLException {
        Set<String> jsonColumns = jsonColumns(c, id);
        List<SourceColumn> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_MAXIMUM_LENGTH, "
                + "NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION "
                + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(column(rs, jsonColumns));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new SQLException("table " + id + " not found in information_schema");
        }
        List<String> pk = new ArrayList<>();
        Map<String, SourceTable.Index> indexes = new LinkedHashMap<>();
        Map<String, List<String>> indexColumns = new LinkedHashMap<>();
        Map<String, String> indexKinds = new LinkedHashMap<>();
        Map<String, Boolean> unique = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, INDEX_TYPE FROM information_schema.STATISTICS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX")) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    if (name.equals("PRIMARY")) {
                        pk.add(rs.getString(3));
                        continue;
                    }
                    indexColumns.computeIfAbsent(name, k -> new ArrayList<>()).add(rs.getString(3));
                    unique.put(name, rs.getInt(2) == 0);
                    indexKinds.put(name, rs.getString(4));
                }
            }
        }
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : indexColumns.entrySet()) {
            String kind = indexKinds.get(e.getKey());
            if (kind.equals("FULLTEXT") || kind.equals("SPATIAL")) {
                indexes.put(e.getKey(), new SourceTable.Index(e.getKey(), List.of(), false, kind + " index on " + e.getValue()));
            } else if (e.getValue().contains(null)) {
                indexes.put(e.getKey(), new SourceTable.Index(e.getKey(), List.of(), unique.get(e.getKey()), "functional index"));
            } else {
                indexes.put(e.getKey(), new SourceTable.Index(e.getKey(), e.getValue(), unique.get(e.getKey()), null));
            }
        }
        List<SourceTable.ForeignKey> fks = foreignKeys(c, id);
        List<SourceTable.Check> checks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
                + "WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getString(2).matches("json_valid\\(`[^`]+`\\)")) {
                        checks.add(new SourceTable.Check(rs.getString(1), rs.getString(2)));
                    }
                }
            }
        } catch (SQLException e) {
            // MySQL before 8.0.16 has no CHECK_CONSTRAINTS
        }
        long next = -1;
        try (PreparedStatement ps = c.prepareStatement("SELECT ENGINE, AUTO_INCREMENT, CREATE_OPTIONS, TABLE_COLLATION "
                + "FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    String storage = rs.getString(1);
                    if (storage != null && !storage.equalsIgnoreCase("InnoDB")) {
                        notes.add("storage engine " + storage + " (not transactional in the source)");
                    }
                    next = rs.getLong(2);
                    String options = rs.getString(3);
                    if (options != null && options.contains("partitioned")) {
                        notes.add("partitioned table");
                    }
                    String collation = rs.getString(4);
                    if (collation != null && collation.endsWith("_ci")) {
                        notes.add("case-insensitive collation " + collation + " (comparisons in PostgreSQL are case-sensitive)");
                    }
                }
            }
        }
        if (engine.mysqlFamily() && next == 0) {
            next = -1;
        }
        return new SourceTable(id, columns, pk, List.copyOf(indexes.values()), fks, checks, notes, next);
    }

    private SourceColumn column(ResultSet rs, Set<String> jsonColumns) throws SQLException {
        String name = rs.getString(1);
        String dataType = rs.getString(2).toLowerCase(Locale.ROOT);
        String columnType = rs.getString(3);
        boolean unsigned = columnType.toLowerCase(Locale.ROOT).contains("unsigned");
        long length = rs.getObject(4) == null ? -1 : rs.getLong(4);
        int precision = rs.getObject(5) == null ? -1 : rs.getInt(5);
        int scale = rs.getObject(6) == null ? -1 : rs.getInt(6);
        int fsp = rs.getObject(7) == null ? -1 : rs.getInt(7);
        if (jsonColumns.contains(name) && dataType.equals("longtext")) {
            dataType = "json"; // MariaDB's json is longtext with a json_valid check
        }
        List<String> labels = List.of();
        switch (dataType) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint" -> {
                Matcher m = DISPLAY_WIDTH.matcher(columnType);
                length = m.find() ? Long.parseLong(m.group(1)) : -1;
                precision = -1;
                scale = -1;
            }
            case "bit" -> {
                length = precision;
                precision = -1;
            }
            case "enum", "set" -> labels = labels(columnType);
            case "float", "double" -> {
                precision = -1;
                scale = -1;
            }
            case "text", "tinytext", "mediumtext", "longtext", "blob", "tinyblob", "mediumblob", "longblob", "json" -> length = -1;
            default -> { }
        }
        String extra = rs.getString(10) == null ? "" : rs.getString(10).toLowerCase(Locale.ROOT);
        String generated = rs.getString(11);
        if (generated == null || generated.isBlank() || !(extra.contains("generated") || extra.contains("virtual") || extra.contains("stored"))) {
            generated = null;
        }
        String def = rs.getString(9);
        if (engine == Engine.MYSQL && def != null && !extra.contains("default_generated") && !def.equalsIgnoreCase("null")) {
            def = "'" + def.replace("'", "''") + "'"; // MySQL prints literal defaults unquoted
        }
        return new SourceColumn(name, dataType, columnType, length, precision, scale, fsp, unsigned, "YES".equals(rs.getString(8)),
                def, extra.contains("auto_increment"), labels, generated, null);
    }

    static List<String> labels(String columnType) {
        int open = columnType.indexOf('(');
        int close = columnType.lastIndexOf(')');
        List<String> out = new ArrayList<>();
        Matcher m = LABEL.matcher(columnType.substring(open + 1, close));
        while (m.find()) {
            out.add(m.group(1).replace("''", "'"));
        }
        return out;
    }

    private static Set<String> jsonColumns(Connection c, TableId id) {
        Set<String> out = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
                + "WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Matcher m = Pattern.compile("json_valid\\(`([^`]+)`\\)").matcher(rs.getString(1));
                    if (m.matches()) {
                        out.add(m.group(1));
                    }
                }
            }
        } catch (SQLException e) {
            // no CHECK_CONSTRAINTS (MySQL 5.7): json is a real type there
        }
        return out;
    }

    private static List<SourceTable.ForeignKey> foreignKeys(Connection c, TableId id) throws SQLException {
        Map<String, List<String[]>> cols = new LinkedHashMap<>();
        Map<String, String[]> meta = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, "
                + "k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE "
                + "FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r "
                + "ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME "
                + "WHERE k.TABLE_SCHEMA = ? AND k.TABLE_NAME = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL "
                + "ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION")) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new String[] {rs.getString(2), rs.getString(5)});
                    meta.put(rs.getString(1), new String[] {rs.getString(3), rs.getString(4), rs.getString(6), rs.getString(7)});
                }
            }
        }
        List<SourceTable.ForeignKey> out = new ArrayList<>();
        cols.forEach((name, pairs) -> {
            String[] m = meta.get(name);
            out.add(new SourceTable.ForeignKey(name, pairs.stream().map(p -> p[0]).toList(), new TableId(m[0], m[1]),
                    pairs.stream().map(p -> p[1]).toList(), action(m[2]), action(m[3])));
        });
        return out;
    }

    private static String action(String rule) {
        return rule == null || rule.equals("RESTRICT") ? "NO ACTION" : rule;
    }

    @Override
    public List<SourceObject> objects(Connection c, String schema) throws SQLException {
        List<SourceObject> out = new ArrayList<>();
        query(c, "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?", schema, "view", out);
        query(c, "SELECT TRIGGER_NAME, CONCAT(ACTION_TIMING, ' ', EVENT_MANIPULATION, ' ON ', EVENT_OBJECT_TABLE, ': ', ACTION_STATEMENT) "
                + "FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?", schema, "trigger", out);
        try (PreparedStatement ps = c.prepareStatement("SELECT ROUTINE_NAME, LOWER(ROUTINE_TYPE), ROUTINE_DEFINITION FROM information_schema.ROUTINES "
                + "WHERE ROUTINE_SCHEMA = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SourceObject(rs.getString(2), schema, rs.getString(1), rs.getString(3) == null ? "" : rs.getString(3)));
                }
            }
        }
        query(c, "SELECT EVENT_NAME, EVENT_DEFINITION FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?", schema, "event", out);
        if (engine == Engine.MARIADB) {
            query(c, "SELECT TABLE_NAME, '' FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'SEQUENCE'", schema,
                    "sequence", out);
        }
        return out;
    }

    private static void query(Connection c, String sql, String schema, String kind, List<SourceObject> out) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SourceObject(kind, schema, rs.getString(1), rs.getString(2) == null ? "" : rs.getString(2)));
                }
            }
        }
    }
}
