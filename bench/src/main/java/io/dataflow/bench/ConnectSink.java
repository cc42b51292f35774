package io.dataflow.bench;

import io.dataflow.connect.LakeSinkTask;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * The Kafka Connect sink's throughput per task: {@code changes} Debezium change events of a {@code pgbench_accounts}
 * update backlog (PostgreSQL connector envelopes, as Kafka's JSON converter writes them with schemas) are turned
 * back into records by the JSON converter and put into one {@link LakeSinkTask} writing a local lake, in Connect's
 * batches of 500, until the last offset is durable (flush interval 100 ms). Measured three times in one run: the
 * converter and the task together (what a worker's task thread does per record after the fetch), the task alone on
 * converted records, and the task alone writing the processed zone too (commit interval 1 s). The Kafka
 * fetch itself is not in it (no broker here; ConnectSinkIT runs the sink on a real worker and broker).
 */
final class ConnectSink {
    private static final String TOPIC = "bench.public.pgbench_accounts";
    private final Path work;

    ConnectSink(Settings settings) {
        this.work = settings.work();
    }

    Map<String, Object> measure(int changes) throws Exception {
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "true"), false);
        JsonConverter keys = new JsonConverter();
        keys.configure(Map.of("schemas.enable", "true"), true);
        List<byte[]> values = new ArrayList<>(changes);
        List<byte[]> keyBytes = new ArrayList<>(changes);
        Envelope env = new Envelope();
        for (int i = 0; i < changes; i++) {
            Struct key = new Struct(env.key).put("aid", 1 + i % 2_000_000);
            keyBytes.add(keys.fromConnectData(TOPIC, env.key, key));
            values.add(json.fromConnectData(TOPIC, env.envelope, env.update(i)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scenario", "connect-sink");
        out.put("changes", changes);
        out.put("json_bytes_per_change", values.get(0).length);
        List<Map<String, Object>> runs = new ArrayList<>();
        runs.add(run("JSON converter + sink task", changes, Map.of(), i -> {
            SchemaAndValue k = keys.toConnectData(TOPIC, keyBytes.get(i));
            SchemaAndValue v = json.toConnectData(TOPIC, values.get(i));
            return new SinkRecord(TOPIC, 0, k.schema(), k.value(), v.schema(), v.value(), i);
        }));
        List<SinkRecord> converted = new ArrayList<>(changes);
        for (int i = 0; i < changes; i++) {
            SchemaAndValue k = keys.toConnectData(TOPIC, keyBytes.get(i));
            SchemaAndValue v = json.toConnectData(TOPIC, values.get(i));
            converted.add(new SinkRecord(TOPIC, 0, k.schema(), k.value(), v.schema(), v.value(), i));
        }
        values.clear();
        runs.add(run("sink task alone", changes, Map.of(), converted::get));
        runs.add(run("sink task alone, + processed", changes, Map.of("processed.enabled", "true", "processed.commit-interval", "1s"),
                converted::get));
        out.put("runs", runs);
        for (Map<String, Object> r : runs) {
            System.out.printf(Locale.ROOT, "connect-sink: %-28s %7.2f s  %,9.0f changes/s  %7.4f CPU s per 1,000 changes%n", r.get("what"),
                    (Double) r.get("seconds"), (Double) r.get("changes_per_second"), (Double) r.get("cpu_seconds_per_1000"));
        }
        return out;
    }

    private interface RecordAt {
        SinkRecord get(int i) throws Exception;
    }

    private Map<String, Object> run(String what, int changes, Map<String, String> settings, RecordAt records) throws Exception {
        Path lake = work.resolve("lake-connect-sink");
        Results.deleteTree(lake);
        LakeSinkTask task = new LakeSinkTask();
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        task.initialize(new Context());
        Map<String, String> config = new java.util.HashMap<>(settings);
        config.putAll(Map.of("dataflow.name", "benchconnect", "lake.uri", lake.toString(), "flush.interval", "100ms"));
        task.start(config);
        task.open(List.of(tp));
        var threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        List<SinkRecord> batch = new ArrayList<>(500);
        for (int i = 0; i < changes; i++) {
            batch.add(records.get(i));
            if (batch.size() == 500 || i == changes - 1) {
                task.put(batch);
                batch = new ArrayList<>(500);
            }
        }
        // the last files published (and processed commits made) once the intervals have passed
        while (true) {
            task.put(List.of()); // as a worker does after every poll, records or not
            var committed = task.preCommit(Map.of());
            if (committed.containsKey(tp) && committed.get(tp).offset() == changes) {
                break;
            }
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        task.close(List.of(tp));
        task.stop();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("what", what);
        r.put("seconds", seconds);
        r.put("changes_per_second", changes / seconds);
        r.put("task_thread_cpu_seconds", cpu);
        r.put("cpu_seconds_per_1000", cpu / changes * 1000);
        return r;
    }

    /** Debezium's PostgreSQL envelope of a pgbench_accounts row (int4 x3, bpchar(84)) and its update events. */
    private static final class Envelope {
        final Schema key = SchemaBuilder.struct().name("bench.public.pgbench_accounts.Key").field("aid", Schema.INT32_SCHEMA).build();
        final Schema row = SchemaBuilder.struct().name("bench.public.pgbench_accounts.Value").optional()
                .field("aid", Schema.INT32_SCHEMA).field("bid", Schema.OPTIONAL_INT32_SCHEMA).field("abalance", Schema.OPTIONAL_INT32_SCHEMA)
                .field("filler", Schema.OPTIONAL_STRING_SCHEMA).build();
        final Schema source = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
                .field("version", Schema.STRING_SCHEMA).field("connector", Schema.STRING_SCHEMA).field("name", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.INT64_SCHEMA).field("snapshot", Schema.OPTIONAL_STRING_SCHEMA).field("db", Schema.STRING_SCHEMA)
                .field("sequence", Schema.OPTIONAL_STRING_SCHEMA).field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
                .field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA).field("schema", Schema.STRING_SCHEMA).field("table", Schema.STRING_SCHEMA)
                .field("txId", Schema.OPTIONAL_INT64_SCHEMA).field("lsn", Schema.OPTIONAL_INT64_SCHEMA).field("xmin", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
        final Schema envelope = SchemaBuilder.struct().name("bench.public.pgbench_accounts.Envelope")
                .field("before", row).field("after", row).field("source", source).field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).field("ts_us", Schema.OPTIONAL_INT64_SCHEMA).field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
        private final String filler = " ".repeat(84);

        /** Update {@code i}: 5,000 per transaction, one WAL record each. */
        Struct update(int i) {
            long tx = 1000 + i / 5000;
            long lsn = 0x10000000L + i * 200L;
            long commitLsn = 0x10000000L + (i / 5000) * 5000 * 200L - 8;
            long ms = 1_764_460_800_000L + i / 50;
            Struct src = new Struct(source).put("version", "3.5.0.Final").put("connector", "postgresql").put("name", "bench")
                    .put("ts_ms", ms).put("snapshot", "false").put("db", "dataflow_bench")
                    .put("sequence", "[\"" + commitLsn + "\",\"" + lsn + "\"]").put("ts_us", ms * 1000).put("ts_ns", ms * 1_000_000)
                    .put("schema", "public").put("table", "pgbench_accounts").put("txId", tx).put("lsn", lsn);
            Struct after = new Struct(row).put("aid", 1 + i % 2_000_000).put("bid", 1 + (i % 2_000_000) / 100_000).put("abalance", i % 5000 - 2500)
                    .put("filler", filler);
            return new Struct(envelope).put("after", after).put("source", src).put("op", "u").put("ts_ms", ms + 3);
        }
    }

    /** The task's view of Connect: offsets to rewind to are applied by the harness's own loop (none here). */
    private static final class Context implements SinkTaskContext {
        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {}

        @Override
        public void offset(TopicPartition tp, long offset) {}

        @Override
        public void timeout(long timeoutMs) {}

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of(new TopicPartition(TOPIC, 0));
        }

        @Override
        public void pause(TopicPartition... partitions) {}

        @Override
        public void resume(TopicPartition... partitions) {}

        @Override
        public void requestCommit() {}

        @Override
        public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
            return null;
        }
    }
}
