package io.dataflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DataFlow's benchmark harness: runs one scenario, prints its JSON report and writes it to {@code --out}. Run by
 * bench/run.sh, which prepares the databases and the baselines; it measures and reports, and asserts nothing about
 * speed.
 *
 * <pre>
 *   java -cp ... io.dataflow.bench.Bench SCENARIO [--db DB] [--repeats N] [--out FILE] [--work DIR] [...]
 * </pre>
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println("usage: Bench fullload|fullload-mariadb|migrate-mariadb-to-postgres|migrate-postgres-to-mariadb|"
                    + "throughput|latency|latency-database|connect-sink [--db DB] [--repeats N] [--out FILE] [--work DIR] [--table T] "
                    + "[--rates 100,1000] [--seconds S] [--flush 500ms] [--clients N] [--heap 512m] [--streaming-engine debezium|native]");
            return;
        }
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Settings settings = Settings.from(opt);
        Path out = Path.of(opt.getOrDefault("out", "bench/results/out.json"));
        String scenario = args[0];
        if (!scenario.equals("connect-sink")) {
            new FullLoadPostgres(settings).ensureClassArchive(
                scenario.equals("fullload-mariadb") || scenario.equals("migrate-mariadb-to-postgres") || scenario.equals("validate-mariadb")
                        ? "mariadb" : "postgres");
        }
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", scenario.equals("throughput") ? "30" : "10"));
        String rates = opt.getOrDefault("rates", "100,1000");
        String flush = opt.getOrDefault("flush", "500ms");
        Map<String, Object> result = switch (scenario) {
            case "fullload" -> new FullLoadPostgres(settings).fullLoad(opt.getOrDefault("table", "pgbench_accounts"));
            case "fullload-mariadb" -> new FullLoadMariaDb(settings).fullLoadMariaDb(opt.getOrDefault("table", "accounts"));
            case "migrate-mariadb-to-postgres" -> new Migrate(settings).migrateMariaDbToPostgres();
            case "migrate-postgres-to-mariadb" -> new Migrate(settings).migratePostgresToMariaDb();
            case "reload" -> new Reload(settings).reload();
            case "rules" -> new Rules(settings).rules(opt.getOrDefault("table", "pgbench_accounts"));
            case "cdc-drain-mariadb" -> new CdcDrain(settings).drainMariaDb(Integer.parseInt(opt.getOrDefault("changes", "400000")),
                    Integer.parseInt(opt.getOrDefault("per-tx", "5000")));
            case "cdc-drain" -> new CdcDrain(settings).drain(Integer.parseInt(opt.getOrDefault("changes", "400000")),
                    Integer.parseInt(opt.getOrDefault("per-tx", "5000")));
            case "throughput" -> new Throughput(settings).throughput(seconds, Integer.parseInt(opt.getOrDefault("clients", "4")));
            case "latency-database" -> new Latency(settings).latencyDatabase(rates, seconds, flush);
            case "latency" -> new Latency(settings).latency(rates, seconds, flush);
            case "latency-processed" -> new Latency(settings).latencyProcessed(rates, seconds, flush, opt.getOrDefault("commit", "1s"));
            case "processed-merge" -> new ProcessedMerge(settings).merge(Long.parseLong(opt.getOrDefault("rows", "10000000")),
                    Integer.parseInt(opt.getOrDefault("batches", "5")), Integer.parseInt(opt.getOrDefault("batch", "50000")));
            case "processed-hour" -> new ProcessedMerge(settings).hour(Long.parseLong(opt.getOrDefault("rows", "1000000")),
                    Integer.parseInt(opt.getOrDefault("commits", "120")), Integer.parseInt(opt.getOrDefault("batch", "3000")));
            case "validate" -> new Validate(settings).validate(opt.getOrDefault("table", "pgbench_accounts"));
            case "validate-mariadb" -> new Validate(settings).validateMariaDb(opt.getOrDefault("table", "accounts"));
            case "large-values" -> new LargeValues(settings).measure(java.util.Arrays.stream(opt.getOrDefault("sizes", "1,64,256").split(","))
                    .map(Integer::parseInt).toList());
            case "large-transaction" -> new LargeTransaction(settings, opt.getOrDefault("tx-heap", "512m")).measure(Integer.parseInt(opt.getOrDefault("rows", "1000000")));
            case "assess" -> new AssessEstimate(settings).estimate(opt.getOrDefault("table", "pgbench_accounts"), "accounts");
            case "connect-sink" -> new ConnectSink(settings).measure(Integer.parseInt(opt.getOrDefault("changes", "100000")));
            case "fullload-processed" -> new FullLoadPostgres(settings).fullLoadProcessed(opt.getOrDefault("table", "pgbench_accounts"));
            default -> throw new IllegalArgumentException("unknown scenario " + scenario + " (see --help)");
        };
        if (!settings.streamingEngine().equals("debezium") && !scenario.startsWith("cdc-drain")) {
            result = new LinkedHashMap<>(result);
            result.put("streaming_engine", settings.streamingEngine());
        }
        Files.writeString(out, Results.json(result) + "\n");
        System.out.println(Results.json(result));
    }
}
