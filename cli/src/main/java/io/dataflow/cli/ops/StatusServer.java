package io.dataflow.cli.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A small HTTP endpoint for operations: {@code /} (the status page: one self-contained HTML file that polls
 * {@code /status}), {@code /health} (200 while the pipeline runs, 503 otherwise; for container health checks and
 * Kubernetes probes), {@code /metrics} (Prometheus text) and {@code /status} (JSON, see {@link StatusReport}); or, for a
 * command without a status page, {@code /metrics} and {@code /health} alone.
 */
public final class StatusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;

    /**
     * Serves on {@code bind:port}; a port in use or an address not of this host is a
     * {@link io.dataflow.config.ConfigException} that says so, for {@code --http-port}.
     */
    public StatusServer(String bind, int port, StatusReport report, Metrics metrics, BooleanSupplier running, Clock clock) {
        this(bind, port, page(), metrics::prometheus, running, () -> JSON.writeValueAsBytes(report.build(clock.millis())));
    }

    /** Serves only {@code /metrics} and {@code /health} (a command without a status page, such as continuous validation). */
    public static StatusServer metricsOnly(String bind, int port, Supplier<String> metrics, BooleanSupplier running) {
        return new StatusServer(bind, port, null, metrics, running, null);
    }

    /** What {@code /status} answers. */
    private interface StatusBody {
        byte[] get() throws IOException;
    }

    private StatusServer(String bind, int port, byte[] page, Supplier<String> metrics, BooleanSupplier running, StatusBody status) {
        String paths = page != null ? "/, /status, /metrics, /health" : "/metrics, /health";
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        } catch (IOException | RuntimeException e) {
            throw new io.dataflow.config.ConfigException("--http-port: cannot serve on " + bind + ":" + port + " ("
                    + io.dataflow.api.Failure.describe(e) + "); choose another port (or --http-bind address), or stop what uses it");
        }
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            if (page != null && (path.equals("/") || path.equals("/index.html"))) {
                respond(ex, 200, "text/html; charset=utf-8", page);
            } else {
                respond(ex, 404, "text/plain; charset=utf-8", ("not found: " + path + "; see " + paths + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        server.createContext("/health", ex -> {
            boolean up = running.getAsBoolean();
            respond(ex, up ? 200 : 503, "application/json", ("{\"status\":\"" + (up ? "UP" : "DOWN") + "\"}").getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                metrics.get().getBytes(StandardCharsets.UTF_8)));
        if (status != null) {
            server.createContext("/status", ex -> respond(ex, 200, "application/json", status.get()));
        }
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "dataflow-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    private static byte[] page() {
        try (InputStream in = StatusServer.class.getResourceAsStream("status.html")) {
            if (in == null) {
                throw new IllegalStateException("status.html is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("status.html could not be read from the jar", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String type, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
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
