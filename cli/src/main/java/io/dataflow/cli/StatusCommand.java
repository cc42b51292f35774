package io.dataflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dataflow.api.Checkpoint;
import io.dataflow.api.ObjectStore;
import io.dataflow.config.PipelineConfig;
import io.dataflow.source.SourceInspector;
import io.dataflow.source.Sources;
import io.dataflow.state.CheckpointStore;
import io.dataflow.state.PipelineLease;
import io.dataflow.target.Targets;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dataflow status}: where a pipeline stands, from its state and, when it runs, from its own /status. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows where a pipeline stands: whether a process runs it (its owner record: host, pid, heartbeat), the "
                + "last checkpoint and its age, the source's change log held beyond it (PostgreSQL slot bytes behind, binlog "
                + "bytes after the checkpoint), and, when the running process serves /status (run --http-port or http.port), its "
                + "phase, lag and per-table counts. Works on lake (local or S3) and database-target state alike."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the status was read", "1:the state could not be read", "2:the pipeline file or the command line is wrong"})
final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    PipelineFileOption pipelineFile;

    @Option(names = "--url", paramLabel = "URL",
            description = "the running instance's status endpoint (default: the one its owner record advertises)")
    String url;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PipelineConfig pipeline = pipelineFile.read();
        PrintWriter out = pipelineFile.out();
        Map<String, Object> status = read(pipeline, url, Clock.systemUTC());
        if (json) {
            out.println(JSON.writeValueAsString(status));
        } else {
            out.print(text(status));
        }
        out.flush();
        return 0;
    }

    /** Everything status shows, as JSON-ready maps. */
    static Map<String, Object> read(PipelineConfig pipeline, String url, Clock clock) throws Exception {
        long now = clock.millis();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pipeline", pipeline.name());
        Checkpoint checkpoint;
        Optional<PipelineLease.Owner> owner;
        try (ObjectStore store = Targets.stateStore(pipeline)) {
            m.put("state", store.describe());
            CheckpointStore checkpoints = new CheckpointStore(store, pipeline.name());
            checkpoint = checkpoints.load();
            long savedAt = checkpoints.savedAtMillis();
            owner = PipelineLease.owner(store, pipeline.name());
            Map<String, Object> cp = new LinkedHashMap<>();
            cp.put("sequence", checkpoint.sequence());
            cp.put("fullLoadDone", checkpoint.fullLoadDone());
            cp.put("position", checkpoint.position());
            cp.put("savedAt", savedAt);
            cp.put("ageMillis", savedAt < 0 ? -1 : now - savedAt);
            m.put("checkpoint", checkpoint.isNone() ? null : cp);
        }
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("running", owner.isPresent() && !owner.get().stale(now));
        owner.ifPresent(o -> {
            process.put("host", o.host());
            process.put("pid", o.pid());
            process.put("startedAt", o.startedAt());
            process.put("heartbeatAgeMillis", now - o.heartbeatAt());
            process.put("endpoint", o.endpoint());
        });
        m.put("process", process);
        m.put("sourceBacklogBytes", backlog(pipeline, checkpoint));
        String endpoint = url != null ? url : owner.filter(o -> !o.stale(now)).map(PipelineLease.Owner::endpoint).orElse("");
        m.put("instance", endpoint.isEmpty() ? null : instance(endpoint));
        return m;
    }

    /** The change log the source holds beyond the pipeline's position, or a line saying why it is unknown. */
    private static Object backlog(PipelineConfig pipeline, Checkpoint checkpoint) {
        if (!pipeline.mode().streams()) {
            return null;
        }
        SourceInspector inspector = Sources.inspector(pipeline.source());
        try (Connection c = inspector.connect()) {
            OptionalLong bytes = inspector.backlogBytes(c, pipeline, checkpoint.sourceOffset());
            return bytes.isPresent() ? (Object) bytes.getAsLong() : "unknown (no replication slot or checkpoint yet)";
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** The running instance's own /status, or a line saying why it could not be read. */
    static Object instance(String endpoint) {
        String base = endpoint.endsWith("/") ? endpoint : endpoint + "/";
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
                    .send(HttpRequest.newBuilder(URI.create(base + "status")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return "unreachable (" + base + "status answered HTTP " + r.statusCode() + ")";
            }
            return JSON.readTree(r.body());
        } catch (Exception e) {
            return "unreachable (" + base + "status: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
        } 
    }

    static String text(Map<String, Object> s) {
        StringBuilder b = new StringBuilder();
        b.append("pipeline '").append(s.get("pipeline")).append("' (state in ").append(s.get("state")).append(")\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) s.get("process");
        if (Boolean.TRUE.equals(p.get("running"))) {
            b.append("  process:    running on ").append(p.get("host")).append(", pid ").append(p.get("pid")).append(", since ")
                    .append(Instant.ofEpochMilli((Long) p.get("startedAt"))).append(", heartbeat ").append(Units.millis((Long) p.get("heartbeatAgeMillis")))
                    .append(" ago").append(String.valueOf(p.get("endpoint")).isEmpty() ? "" : "; status page " + p.get("endpoint")).append('\n');
        } else if (p.containsKey("host")) {
            b.append("  process:    not running (last heartbeat ").append(Units.millis((Long) p.get("heartbeatAgeMillis"))).append(" ago from ")
                    .append(p.get("host")).append(", pid ").append(p.get("pid")).append(": it died or was killed; run resumes from the checkpoint)\n");
        } else {
            b.append("  process:    not running\n");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> cp = (Map<String, Object>) s.get("checkpoint");
        if (cp == null) {
            b.append("  checkpoint: none (the pipeline has not run, or its state was deleted)\n");
        } else {
            long savedAt = (Long) cp.get("savedAt");
            b.append("  checkpoint: #").append(cp.get("sequence")).append(savedAt < 0 ? "" : ", saved " + Units.millis((Long) cp.get("ageMillis"))
                    + " ago (" + Instant.ofEpochMilli(savedAt) + ")").append(Boolean.TRUE.equals(cp.get("fullLoadDone")) ? ", full load done"
                    : ", full load not done").append(String.valueOf(cp.get("position")).isEmpty() ? "" : ", position " + cp.get("position")).append('\n');
        }
        Object backlog = s.get("sourceBacklogBytes");
        if (backlog != null) {
            b.append("  source:     ").append(backlog instanceof Long n ? Units.bytes(n) + " of change log held beyond the pipeline's "
                    + "confirmed position" : backlog).append('\n');
        }
        Object instance = s.get("instance");
        if (instance instanceof JsonNode i) {
            b.append(String.format(Locale.ROOT, "  instance:   phase %s, lag %s, changes/s %s, restarts %d, files %,d, checkpoint age %s%n",
                    i.path("phase").asText(), i.path("lagMillis").asLong() < 0 ? "-" : i.path("lagMillis").asLong() + " ms",
                    i.path("changesPerSecond").asText(), i.path("restarts").asLong(), i.path("files").asLong(),
                    i.path("checkpointAgeMillis").asLong() < 0 ? "-" : Units.millis(i.path("checkpointAgeMillis").asLong())));
            for (JsonNode t : i.path("tables")) {
                b.append(String.format(Locale.ROOT, "    %s: full load %,d of ~%,d rows, changes %,d%n", t.path("table").asText(),
                        t.path("fullLoadRows").asLong(), t.path("estimatedRows").asLong(), t.path("changes").asLong()));
            }
        } else if (instance != null) {
            b.append("  instance:   ").append(instance).append('\n');
        }
        return b.toString();
    }
}
