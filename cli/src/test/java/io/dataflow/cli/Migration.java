package io.dataflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflow.testing.TestDb;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Helpers for database-to-database tests: pipeline files with a jdbc target, and value-by-value comparison. */
final class Migration {
    private Migration() {}

    static String uniqueName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    /** A pipeline from {@code source} into {@code target} as a jdbc target, with extra target keys and top-level YAML. */
    static String pipeline(TestDb source, TestDb target, String name, String mode, String include, String targetExtra, String topExtra) {
        String yaml = source.pipelineYaml(name, mode, "unused", include);
        yaml = yaml.substring(0, yaml.indexOf("targets:"));
        String user = target.type().equals("postgres") ? io.dataflow.testing.TestDatabase.USER : io.dataflow.testing.TestMariaDb.USER;
        return yaml + "targets:\n  - type: jdbc\n    url: " + target.jdbcUrl() + "\n    user: " + user
                + "\n    flush: {interval: 200ms, rows: 100000, bytes: 64MB}\n" + targetExtra + topExtra;
    }

    /** How a column's text from both sides is compared. */
    enum Compare {
        TEXT,
        DECIMAL,
        DOUBLE,
        JSON,
        INTERVAL
    }

    /** One column: a source expression and a target expression that give comparable text, and how to compare. */
    record Check(String name, String sourceExpr, String targetExpr, Compare compare) {
        static Check text(String name, String sourceExpr, String targetExpr) {
            return new Check(name, sourceExpr, targetExpr, Compare.TEXT);
        }
    }

    /** Rows keyed by {@code key}, each a list of the checks' values as text. */
    static Map<String, List<String>> read(TestDb db, String table, String key, List<Check> checks, boolean source) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(key);
        for (Check c : checks) {
            sql.append(", ").append(source ? c.sourceExpr() : c.targetExpr());
        }
        sql.append(" FROM ").append(table);
        Map<String, List<String>> out = new TreeMap<>();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            if (db.type().equals("postgres")) {
                st.execute("SET TIME ZONE 'UTC'");
                st.execute("SET intervalstyle = 'iso_8601'");
            }
            try (ResultSet rs = st.executeQuery(sql.toString())) {
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 0; i < checks.size(); i++) {
                        row.add(rs.getString(i + 2));
                    }
                    out.put(rs.getString(1), row);
                }
            }
        }
        return out;
    }

    /** Differences between source and target rows, one line per differing value; empty when they agree. */
    static List<String> differences(Map<String, List<String>> source, Map<String, List<String>> target, List<Check> checks) {
        List<String> out = new ArrayList<>();
        for (String key : source.keySet()) {
            if (!target.containsKey(key)) {
                out.add("row " + key + ": missing in the target");
            }
        }
        for (String key : target.keySet()) {
            if (!source.containsKey(key)) {
                out.add("row " + key + ": in the target only");
            }
        }
        source.forEach((key, row) -> {
            List<String> t = target.get(key);
            if (t == null) {
                return;
            }
            for (int i = 0; i < checks.size(); i++) {
                if (!same(row.get(i), t.get(i), checks.get(i).compare())) {
                    out.add("row " + key + " column " + checks.get(i).name() + ": source " + row.get(i) + " -> target " + t.get(i));
                }
            }
        });
        return out;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static boolean same(String a, String b, Compare how) {
        if (a == null || b == null) {
            return a == null && b == null;
        }
        try {
            return switch (how) {
                case TEXT -> a.equals(b);
                case DECIMAL -> new BigDecimal(a).compareTo(new BigDecimal(b)) == 0;
                case DOUBLE -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)) == 0
                        || Math.abs(Double.parseDouble(a) - Double.parseDouble(b)) <= 1e-6 * Math.abs(Double.parseDouble(a));
                case JSON -> JSON.readTree(a).equals(JSON.readTree(b));
                case INTERVAL -> interval(a).equals(interval(b));
            };
        } catch (Exception e) {
            return false;
        }
    }

    /** ISO-8601 durations without their zero components: P1Y0M2DT3H0M5S and P1Y2DT3H5S are equal. */
    static String interval(String iso) {
        String s = iso.replaceAll("(?<![\\d.])0+(\\.0+)?[YMDHS]", "");
        return s.endsWith("T") ? s.substring(0, s.length() - 1) : s;
    }
}
