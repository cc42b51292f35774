package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DataFlow's lake sink plugin on a real Kafka Connect worker: a KRaft broker started here (Kafka's own test kit), a
 * Connect worker in its own JVM with the plugin folder the build made on its {@code plugin.path}, Debezium's
 * PostgreSQL connector on the same worker reading this machine's PostgreSQL into a three-partition topic, and two
 * sink connectors, one into a local lake and one into the S3 test server. The connector's snapshot of the table's
 * first rows lands as full-load rows; then random inserts, updates and deletes run
 * while the worker is killed (SIGKILL) and started again and while the local sink goes from one task to three; then
 * both lakes replay to exactly the source table with every committed change once, and their streamed rows are the
 * rows {@code dataflow run} writes from the same changes (its own slot), column for column; and both lakes' processed
 * zones (one Iceberg table, committed to by every task at once) equal the source table.
 */
class ConnectSinkIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int INITIAL_ROWS = 300;

    @TempDir
    Path dir;

    @Test
    void connectSinkWritesWhatDataflowRunWritesExactlyOnceThroughCrashAndRebalance() throws Exception {
        Path plugin = Path.of(System.getProperty("dataflow.connect.plugin", "../connect/target/plugin"));
        assertThat(plugin.resolve("dataflow-connect")).as("the plugin folder (built by mvn package in connect/)").isDirectory();
        Path jar = Path.of(System.getProperty("dataflow.jar", "target/dataflow.jar"));
        Path lake = dir.resolve("lake");
        Path runLake = dir.resolve("run-lake");
        try (TestDatabase db = TestDatabase.create(); Workload workload = new Workload(db, INITIAL_ROWS, 3);
                KafkaClusterTestKit kafka = kafka(); S3Server s3 = new S3Server(dir.resolve("s3"));
                LakeReader reader = new LakeReader(lake); LakeReader runReader = new LakeReader(runLake)) {
            // the reference: dataflow run on its own slot, from the same point of the stream
            Path config = dir.resolve("run.yaml");
            Files.writeString(config, db.pipelineYaml("connect", "full-load-and-cdc", runLake.toString(), "public.accounts"));
            Process run = JarProcess.run(jar, config, dir.resolve("run.log"));
            s3.createBucket("connect");
            // the worker's log stays in target/ for a failure's diagnosis
            Worker worker = new Worker(Path.of("target", "connect-sink-it-" + System.currentTimeMillis()), kafka.bootstrapServers(), plugin);
            try {
                worker.start();
                worker.put("pg", source(db));
                worker.put("lake", sink(lake.toString(), 1, Map.of()));
                worker.put("s3lake", sink("s3://connect/lake", 2, Map.of("s3.endpoint", s3.endpoint(), "s3.region", "us-east-1",
                        "s3.path-style", "true", "s3.access-key-id", S3Server.KEY, "s3.secret-access-key", S3Server.SECRET,
                        "processed.commit-interval", "5s")));
                RunningPipeline.await(Duration.ofSeconds(120), () -> slotsActive(db) == 2 || !run.isAlive(), "both readers streaming");
                assertThat(run.isAlive()).as("dataflow run; log:\n%s", JarProcess.tail(dir.resolve("run.log"))).isTrue();

                workload.start();
                awaitMore(workload, 300);
                // killed before the source connector records a streaming offset, Debezium would snapshot the table again
                // on restart (snapshot.mode initial): changes made meanwhile would arrive as snapshot rows, not changes
                RunningPipeline.await(Duration.ofSeconds(60), () -> worker.sourceStreamingOffsetCommitted("pg"),
                        "the source connector's first streaming offset");
                worker.kill();
                awaitMore(workload, 100);
                worker.start();
                // the restarted worker's sink caught up with what was committed while it was down, then one task becomes three
                long committed = workload.committed();
                RunningPipeline.await(Duration.ofSeconds(120), () -> streamed(reader) >= committed, "the sink after the restart");
                awaitMore(workload, 300);
                worker.put("lake", sink(lake.toString(), 3, Map.of()));
                RunningPipeline.await(Duration.ofSeconds(60), () -> worker.runningTasks("lake") == 3, "three sink tasks");
                awaitMore(workload, 300);
                workload.stop();

                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (!(workload.caughtUp(reader, "connect") && workload.caughtUp(runReader, "connect"))) {
                    if (System.nanoTime() >= deadline) {
                        worker.dumpThreads(); // what the tasks were doing, beside the worker log
                    }
                    assertThat(System.nanoTime()).as("both lakes caught up (%d changes committed; Connect lake %d, dataflow run %d); "
                            + "worker log in %s", workload.log().size(), streamed(reader), streamed(runReader), worker.log()).isLessThan(deadline);
                    Thread.sleep(200);
                }
                workload.assertLakeExact(reader, "connect", INITIAL_ROWS);
                workload.assertLakeExact(runReader, "connect", INITIAL_ROWS);
                String rows = "select * from {raw} where _position like '1-%' order by _position";
                List<Map<String, Object>> connect = reader.query(rows, "connect", "public", "accounts");
                assertThat(connect).as("the Connect sink's rows vs dataflow run's").hasSize(workload.log().size())
                        .isEqualTo(runReader.query(rows, "connect", "public", "accounts"));

                Path copy = dir.resolve("s3-copy");
                RunningPipeline.await(Duration.ofSeconds(60), () -> s3Rows(s3, copy) >= workload.log().size(), "the S3 lake caught up");
                try (LakeReader s3Reader = new LakeReader(copy)) {
                    workload.assertLakeExact(s3Reader, "connect", INITIAL_ROWS);
                    assertThat(s3Reader.query(rows, "connect", "public", "accounts")).isEqualTo(connect);
                }
                // the processed zones: written by three tasks (local) and two (S3) at once, each equal to the source table
                List<String> source = workload.source();
                RunningPipeline.await(Duration.ofSeconds(60), () -> source.equals(ProcessedZoneIT.rows(lake, "connect", db)),
                        "the local processed zone to equal the source");
                RunningPipeline.await(Duration.ofSeconds(60), () -> s3Rows(s3, copy) >= 0
                        && source.equals(ProcessedZoneIT.rows(copy, "s3://connect/lake", "connect", db)), "the S3 processed zone to equal the source");
                System.out.printf("connect sink: %d changes, worker killed once, 1 -> 3 tasks: exact in the local and the S3 lake, raw and processed zones%n",
                        workload.log().size());
            } finally {
                worker.stop();
                run.destroy();
                run.waitFor();
            }
        }
    }

    private static KafkaClusterTestKit kafka() throws Exception {
        KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
        return kafka;
    }

    /** Debezium's PostgreSQL connector with the settings DataFlow gives its embedded one (exact types, source types). */
    private static Map<String, String> source(TestDatabase db) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        c.put("database.hostname", TestDatabase.HOST);
        c.put("database.port", "" + TestDatabase.PORT);
        c.put("database.user", TestDatabase.USER);
        c.put("database.password", "");
        c.put("database.dbname", db.name());
        c.put("plugin.name", "pgoutput");
        c.put("slot.name", db.slot() + "_connect");
        c.put("publication.name", db.name() + "_connect");
        c.put("publication.autocreate.mode", "filtered");
        c.put("table.include.list", "public.accounts");
        c.put("topic.prefix", "pg");
        c.put("snapshot.mode", "initial");
        c.put("decimal.handling.mode", "precise");
        c.put("time.precision.mode", "adaptive_time_microseconds");
        c.put("binary.handling.mode", "bytes");
        c.put("include.unknown.datatypes", "true");
        c.put("column.propagate.source.type", ".*");
        c.put("tombstones.on.delete", "false");
        c.put("topic.creation.default.partitions", "3");
        c.put("topic.creation.default.replication.factor", "1");
        return c;
    }

    private static Map<String, String> sink(String uri, int tasks, Map<String, String> more) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.dataflow.connect.LakeSinkConnector");
        c.put("tasks.max", "" + tasks);
        c.put("topics.regex", "pg\\.public\\..*");
        c.put("dataflow.name", "connect");
        c.put("lake.uri", uri);
        c.put("flush.interval", "300ms");
        c.put("processed.enabled", "true");
        c.put("processed.commit-interval", "2s");
        c.put("processed.maintenance.interval", "10s");
        c.put("processed.maintenance.max-delete-files", "8");
        c.put("processed.maintenance.max-small-files", "8");
        c.putAll(more);
        return c;
    }

    private static void awaitMore(Workload workload, int changes) {
        long target = workload.committed() + changes;
        RunningPipeline.await(Duration.ofSeconds(60), () -> workload.committed() >= target, "changes committed");
    }

    private static long streamed(LakeReader reader) {
        try {
            return ((Number) reader.query("select count(*) n from {raw} where _position like '1-%'", "connect", "public", "accounts")
                    .get(0).get("n")).longValue();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int slotsActive(TestDatabase db) {
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from pg_replication_slots where database = '" + db.name() + "' and active")) {
            rs.next();
            return rs.getInt(1);
        } catch (Exception e) {
            return 0;
        }
    }

    /** Copies the S3 lake into {@code copy} (afresh) and counts its streamed rows. */
    private static long s3Rows(S3Server s3, Path copy) {
        try {
            if (Files.exists(copy)) {
                try (var walk = Files.walk(copy)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            s3.download("connect", "lake/", copy);
            return Files.isDirectory(copy.resolve("raw")) ? streamed(copy) : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    private static long streamed(Path lake) throws Exception {
        try (LakeReader r = new LakeReader(lake)) {
            return streamed(r);
        }
    }

    /** A Kafka Connect worker (distributed mode) in its own JVM, killed with SIGKILL and started again by the test. */
    private static final class Worker {
        private final Path dir;
        private final String bootstrap;
        private final Path plugin;
        private final int port;
        private Process process;

        Worker(Path dir, String bootstrap, Path plugin) throws Exception {
            this.dir = Files.createDirectories(dir);
            this.bootstrap = bootstrap;
            this.plugin = plugin;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                this.port = s.getLocalPort();
            }
        }

        void start() throws Exception {
            Path props = dir.resolve("worker.properties");
            Files.writeString(props, String.join("\n",
                    "bootstrap.servers=" + bootstrap,
                    "group.id=dataflow-it",
                    "config.storage.topic=connect-configs",
                    "offset.storage.topic=connect-offsets",
                    "status.storage.topic=connect-status",
                    "config.storage.replication.factor=1",
                    "offset.storage.replication.factor=1",
                    "status.storage.replication.factor=1",
                    "key.converter=org.apache.kafka.connect.json.JsonConverter",
                    "value.converter=org.apache.kafka.connect.json.JsonConverter",
                    "key.converter.schemas.enable=true",
                    "value.converter.schemas.enable=true",
                    // a null stays null: by default the JSON converter puts a column's default in its place (a delete's
                    // before image holds only the key; its other columns would read as their defaults)
                    "value.converter.replace.null.with.default=false",
                    "offset.flush.interval.ms=1000",
                    "scheduled.rebalance.max.delay.ms=1000",
                    // a worker that cannot read the config topic to its end within the sync timeout leaves the group
                    // and waits the unsync backoff (5 minutes by default) before it joins again: on a busy machine
                    // after a restart that outlasts the test
                    "worker.sync.timeout.ms=30000",
                    "worker.unsync.backoff.ms=1000",
                    // every plugin here has ServiceLoader manifests: no reflective scan of the class path (40 s a start)
                    "plugin.discovery=service_load",
                    // the sink consumers of a killed worker leave their group after 6 s, not 45 (a rebalance waits for them)
                    "consumer.session.timeout.ms=6000",
                    "consumer.heartbeat.interval.ms=1000",
                    "consumer.max.poll.interval.ms=60000",
                    "task.shutdown.graceful.timeout.ms=30000",
                    "listeners=http://127.0.0.1:" + port,
                    "plugin.path=" + plugin.toAbsolutePath()) + "\n");
            // Connect's, Debezium's and DataFlow's own INFO lines, for a failure's diagnosis
            Path logback = dir.resolve("logback.xml");
            Files.writeString(logback, """
                    <configuration>
                      <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d{HH:mm:ss.SSS} %level [%thread] %logger{0} - %msg%n</pattern></encoder>
                      </appender>
                      <logger name="org.apache.kafka.clients" level="WARN"/>
                      <logger name="org.apache.kafka.common" level="WARN"/>
                      <root level="INFO"><appender-ref ref="OUT"/></root>
                    </configuration>
                    """);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(List.of(java, "-Xmx768m", "-Dlogback.configurationFile=" + logback.toAbsolutePath(),
                    "-cp", System.getProperty("java.class.path"),
                    "org.apache.kafka.connect.cli.ConnectDistributed", props.toString()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("worker.log").toFile())).start();
            RunningPipeline.await(Duration.ofSeconds(120), () -> get("/connectors") != null || !process.isAlive(), "the Connect worker");
            assertThat(process.isAlive()).as("worker alive; log:\n%s", tail()).isTrue();
        }

        /** Creates or updates a connector. */
        void put(String name, Map<String, String> config) throws Exception {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/connectors/" + name + "/config"))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("PUT connector %s: %s; worker log:\n%s", name, r.body(), tail()).isBetween(200, 201);
        }

        /** Whether Connect holds a committed offset of the source connector from its streaming phase (not its snapshot). */
        boolean sourceStreamingOffsetCommitted(String connector) {
            JsonNode offsets = get("/connectors/" + connector + "/offsets");
            if (offsets == null) {
                return false;
            }
            for (JsonNode o : offsets.path("offsets")) {
                JsonNode offset = o.path("offset");
                JsonNode snapshot = offset.get("snapshot");
                boolean inSnapshot = snapshot != null && !snapshot.asText().equalsIgnoreCase("false");
                if (offset.has("lsn_proc") && !inSnapshot && !offset.has("last_snapshot_record")) {
                    System.out.println("source connector's streaming offset: " + offset);
                    return true;
                }
            }
            return false;
        }

        int runningTasks(String connector) {
            JsonNode status = get("/connectors/" + connector + "/status");
            int n = 0;
            if (status != null) {
                for (JsonNode t : status.path("tasks")) {
                    n += t.path("state").asText().equals("RUNNING") ? 1 : 0;
                }
            }
            return n;
        }

        private JsonNode get(String path) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
            } catch (Exception e) {
                return null;
            }
        }

        /** The worker's threads (jcmd Thread.print) into threads.txt beside its log. */
        void dumpThreads() {
            try {
                new ProcessBuilder("jcmd", "" + process.pid(), "Thread.print").redirectErrorStream(true)
                        .redirectOutput(dir.resolve("threads.txt").toFile()).start().waitFor();
            } catch (Exception e) {
                System.err.println("no thread dump: " + e);
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }

        void stop() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }

        String tail() {
            return JarProcess.tail(log());
        }

        Path log() {
            return dir.resolve("worker.log").toAbsolutePath();
        }
    }
}
