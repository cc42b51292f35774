package io.dataflow.cli.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dataflow.runtime.PipelineStats;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A small HTTP endpoint for operations: {@code /health} (200 while the pipeline runs, 503 otherwise; for
 * container health checks and Kubernetes probes), {@code /metrics} (Prometheus text) and {@code /status} (JSON).
 */
public final class StatusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;

    public StatusServer(int port, String pipeline, PipelineStats stats, Metrics metrics, BooleanSupplier running) throws IOException {
        this("0.0.0.0", port, pipeline, stats, metrics, running);
    }

    /** Serves on {@code bind:port}; a port in use or an address not of this host is a {@link java.net.BindException}. */
    public StatusServer(String bind, int port, String pipeline, PipelineStats stats, Metrics metrics, BooleanSupplier running)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        server.createContext("/health", ex -> {
            boolean up = running.getAsBoolean();
            respond(ex, up ? 200 : 503, "application/json", "{\"status\":\"" + (up ? "UP" : "DOWN") + "\"}");
        });
        server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.prometheus()));
        server.createContext("/status", ex -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pipeline", pipeline);
            m.put("running", running.getAsBoolean());
            m.put("fullLoadDone", stats.isFullLoadDone());
            m.put("fullLoadRows", stats.fullLoadRows().entrySet().stream().collect(java.util.stream.Collectors.toMap(
                    e -> e.getKey().toString(), Map.Entry::getValue, (a, b) -> a, java.util.TreeMap::new)));
            m.put("changes", stats.changes().entrySet().stream().collect(java.util.stream.Collectors.toMap(
                    e -> e.getKey().toString(), Map.Entry::getValue, (a, b) -> a, java.util.TreeMap::new)));
            m.put("files", stats.files());
            m.put("bytes", stats.bytes());
            m.put("checkpoints", stats.checkpoints());
            m.put("restarts", stats.restarts());
            m.put("lagMillis", stats.lastLagMillis());
            m.put("maxLagMillis", stats.maxLagMillis());
            respond(ex, 200, "application/json", JSON.writeValueAsString(m));
        });
        server.setExecutor(java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dataflow-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
