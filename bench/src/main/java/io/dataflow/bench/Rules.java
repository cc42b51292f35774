package io.dataflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What table rules cost: `dataflow run` in mode full-load of pgbench_accounts into a fresh local lake with no rules,
 * with renames only (the batches are passed on under the new names), with a column removed and one added from an
 * expression (every batch rebuilt), with one column masked by a keyed hash, and with a row filter (read in the
 * database), in the same run.
 */
final class Rules extends Scenario {
    private static final Map<String, String> VARIANTS = variants();

    Rules(Settings settings) {
        super(settings);
    }

    private static Map<String, String> variants() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("none", "");
        v.put("renames", """
                transform:
                  - rename: {table: public.pgbench_accounts, to: accounts}
                  - rename: {table: public.pgbench_accounts, column: abalance, to: balance}
                  - uppercase: {table: public.pgbench_accounts, column: "*"}
                """);
        v.put("remove-add", """
                transform:
                  - remove-column: {table: public.pgbench_accounts, column: filler}
                  - add-column: {table: public.pgbench_accounts, column: score, expression: "abalance * 2 + bid"}
                """);
        v.put("mask-hash", """
                transform:
                  - mask: {table: public.pgbench_accounts, column: aid, with: hash, secret: bench}
                """);
        v.put("filter-half", """
                transform:
                  - filter: {table: public.pgbench_accounts, where: "bid % 2 = 0"}
                """);
        return v;
    }

    Map<String, Object> rules(String table) throws Exception {
        long rows = scalar("select count(*) from " + table);
        long kept = scalar("select count(*) from " + table + " where bid % 2 = 0");
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        VARIANTS.keySet().forEach(k -> seconds.put(k, new ArrayList<>()));
        for (int r = 0; r < repeats; r++) {
            for (Map.Entry<String, String> v : VARIANTS.entrySet()) {
                Path lake = work.resolve("lake-rules");
                Results.deleteTree(lake);
                Path config = pipeline("benchrules", "full-load", lake, "public." + table, "500ms");
                Files.writeString(config, v.getValue(), StandardOpenOption.APPEND);
                double s = Results.seconds(() -> runDataflow(config));
                if (!Files.readString(work.resolve("fullload-run.log")).contains("full load done")) {
                    throw new IllegalStateException("the run with rules '" + v.getKey() + "' failed; see " + work.resolve("fullload-run.log"));
                }
                seconds.get(v.getKey()).add(s);
                System.err.printf(Locale.ROOT, "repeat %d, rules %s: %.2fs%n", r + 1, v.getKey(), s);
            }
        }
        Map<String, Object> m = Results.header("rules-fullload-postgres-to-local-lake", table, rows, repeats);
        m.put("rows_kept_by_filter", kept);
        double none = Results.median(seconds.get("none"));
        for (Map.Entry<String, List<Double>> e : seconds.entrySet()) {
            String k = e.getKey().replace('-', '_');
            m.put(k + "_s", Results.stats(e.getValue()));
            m.put(k + "_rows_per_s", Math.round(rows / Results.median(e.getValue())));
            m.put(k + "_ratio_to_none", Results.round(none / Results.median(e.getValue())));
        }
        return m;
    }
}
