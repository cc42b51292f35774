package io.dataflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How good {@code dataflow assess}'s full-load estimate is: assess's estimate for a table, next to the measured full
 * load of the same table into a local lake (the loader's own "full load done in" time, and the whole process), on
 * PostgreSQL and on MariaDB.
 */
final class AssessEstimate extends Scenario {
    private static final ObjectMapper JSON = new ObjectMapper();

    AssessEstimate(Settings settings) {
        super(settings);
    }

    Map<String, Object> estimate(String pgTable, String mariaTable) throws Exception {
        List<Map<String, Object>> engines = new ArrayList<>();
        ensureClassArchive("postgres");
        engines.add(one("postgres", pgTable, pipeline("benchas", "full-load", work.resolve("lake-assess"), "public." + pgTable, "500ms")));
        ensureClassArchive("mariadb");
        engines.add(one("mariadb", mariaTable, mariaPipeline("benchasm", "full-load", mariaTable, work.resolve("lake-assess"))));
        Map<String, Object> m = Results.header("assess-estimate", pgTable + " / " + mariaTable, scalar("select count(*) from " + pgTable), repeats);
        m.put("engines", engines);
        return m;
    }

    private Map<String, Object> one(String engine, String table, Path config) throws Exception {
        List<Double> estimates = new ArrayList<>();
        List<Double> assessSeconds = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        List<Double> processes = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            Path json = work.resolve("assess-" + engine + ".json");
            assessSeconds.add(Results.seconds(() -> runAllowingNoGo(dataflow("assess", "--config", config.toString(), "--json", json.toString()))));
            JsonNode load = JSON.readTree(json.toFile()).at("/assessment/load");
            estimates.add(load.get("estimatedSeconds").asDouble());
            Results.deleteTree(work.resolve("lake-assess"));
            processes.add(Results.seconds(() -> runDataflow(config)));
            Matcher lm = Pattern.compile("full load done: [\\d,]+ rows in ([\\d.]+) s").matcher(Files.readString(work.resolve("fullload-run.log")));
            if (lm.find()) {
                loads.add(Double.parseDouble(lm.group(1)));
            }
            Results.deleteTree(work.resolve("lake-assess"));
            System.err.printf(Locale.ROOT, "%s repeat %d: assess estimated %.1fs (assess took %.1fs); full load %.1fs (process %.1fs)%n", engine,
                    r + 1, estimates.get(r), assessSeconds.get(r), loads.isEmpty() ? -1 : loads.get(loads.size() - 1), processes.get(r));
        }
        if (engine.equals("postgres")) {
            scalar("select count(pg_drop_replication_slot(slot_name)) from pg_replication_slots where slot_name = 'dataflow_benchas' and not active");
        }
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("engine", engine);
        m.put("table", table);
        m.put("estimate_s", Results.stats(estimates));
        m.put("assess_s", Results.stats(assessSeconds));
        m.put("full_load_s", Results.stats(loads));
        m.put("process_s", Results.stats(processes));
        m.put("estimate_over_full_load", Results.round(Results.median(estimates) / Results.median(loads)));
        return m;
    }

    /** Runs a command that exits 0 (GO) or 1 (NO-GO): both are results here. */
    private void runAllowingNoGo(List<String> cmd) {
        try {
            Path log = work.resolve("assess-run.log");
            int code = env(new ProcessBuilder(cmd)).redirectErrorStream(true).redirectOutput(log.toFile()).start().waitFor();
            if (code > 1) {
                throw new IllegalStateException(cmd + " exited " + code + "; see " + log);
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new RuntimeException(e);
        }
    }
}
