package io.dataflow.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflow.api.ObjectStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongPredicate;

/**
 * Makes sure one process at a time writes a pipeline's lake: the owner record
 * {@code _state/<pipeline>/owner.json} is created with a conditional create and renewed with a conditional
 * replace (S3 {@code If-None-Match} / {@code If-Match}; a file lock on a local lake). A second process refuses
 * to start while the owner's heartbeat is fresh; an owner that finds its record replaced has been fenced and
 * must stop. A record is stale when its heartbeat is older than {@link #TTL}, or when it names this host and a
 * process that no longer runs (a crash followed by a restart takes over at once).
 */
public final class PipelineLease implements AutoCloseable {
    public static final Duration TTL = Duration.ofSeconds(30);
    public static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;
    private final String key;
    private final Clock clock;
    private final String id = UUID.randomUUID().toString();
    private final String host;
    private final long pid;
    private final long startedAt;
    private String version;
    private volatile String endpoint = "";

    /**
     * The owner record as read by others: where the owner runs, since when, its last heartbeat (epoch ms), and the
     * address of its status endpoint ("" when it serves none).
     */
    public record Owner(String host, long pid, long startedAt, long heartbeatAt, String endpoint) {
        /** True when the heartbeat is older than {@link #TTL} at {@code nowMillis}. */
        public boolean stale(long nowMillis) {
            return nowMillis - heartbeatAt > TTL.toMillis();
        }
    }

    /** The pipeline's owner record, if a process holds (or held and did not release) the lease. */
    public static Optional<Owner> owner(ObjectStore store, String pipeline) throws IOException {
        Optional<byte[]> bytes = store.get(CheckpointStore.stateDir(pipeline) + "owner.json");
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> m = parse(bytes.get());
        return Optional.of(new Owner(String.valueOf(m.get("host")), number(m, "pid"), number(m, "startedAt"), number(m, "heartbeatAt"),
                String.valueOf(m.getOrDefault("endpoint", ""))));
    }

    private static long number(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : -1;
    }

    /** Publishes the address of this process's status endpoint in the owner record (for {@code dataflow status}). */
    public void advertise(String url) throws IOException {
        endpoint = url;
        renew();
    }

    /** Another process holds the lease. */
    public static final class HeldException extends Exception {
        HeldException(String message) {
            super(message);
        }
    }

    private PipelineLease(ObjectStore store, String pipeline, Clock clock, String host, long pid) {
        this.store = store;
        this.key = CheckpointStore.stateDir(pipeline) + "owner.json";
        this.clock = clock;
        this.host = host;
        this.pid = pid;
        this.startedAt = clock.millis();
    }

    /** Acquires the lease for this process. */
    public static PipelineLease acquire(ObjectStore store, String pipeline) throws IOException, HeldException {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        return acquire(store, pipeline, Clock.systemUTC(), host, ProcessHandle.current().pid(),
                p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false));
    }

    public static PipelineLease acquire(ObjectStore store, String pipeline, Clock clock, String host, long pid, LongPredicate alive)
            throws IOException, HeldException {
        PipelineLease lease = new PipelineLease(store, pipeline, clock, host, pid);
        if (store.putIfAbsent(lease.key, lease.record())) {
            lease.version = store.getVersioned(lease.key).orElseThrow(() -> new IOException("owner record vanished")).version();
            if (!lease.isMine(store.getVersioned(lease.key))) {
                throw new HeldException("pipeline '" + pipeline + "' was taken over by another process while starting");
            }
            return lease;
        }
        Optional<ObjectStore.Versioned> current = store.getVersioned(lease.key);
        if (current.isEmpty()) {
            return acquire(store, pipeline, clock, host, pid, alive);
        }
        Map<String, Object> owner = parse(current.get().content());
        long heartbeat = ((Number) owner.getOrDefault("heartbeatAt", 0L)).longValue();
        long age = clock.millis() - heartbeat;
        boolean sameHost = host.equals(owner.get("host"));
        long ownerPid = ((Number) owner.getOrDefault("pid", -1L)).longValue();
        boolean stale = age > TTL.toMillis() || (sameHost && (ownerPid == pid || !alive.test(ownerPid)));
        if (!stale) {
            throw new HeldException("pipeline '" + pipeline + "' is already running (host " + owner.get("host") + ", pid " + ownerPid
                    + ", last heartbeat " + Math.max(0, age / 1000) + " s ago); stop it first, or, if it died on another host, "
                    + "start again after its lease expires (" + TTL.toSeconds() + " s after its last heartbeat)");
        }
        if (!store.putIfMatch(lease.key, lease.record(), current.get().version())) {
            throw new HeldException("pipeline '" + pipeline + "' was taken over by another process while starting");
        }
        lease.version = store.getVersioned(lease.key).orElseThrow(() -> new IOException("owner record vanished")).version();
        return lease;
    }

    private boolean isMine(Optional<ObjectStore.Versioned> v) throws IOException {
        return v.isPresent() && id.equals(parse(v.get().content()).get("id"));
    }

    private byte[] record() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("host", host);
        m.put("pid", pid);
        m.put("startedAt", startedAt);
        m.put("heartbeatAt", clock.millis());
        if (!endpoint.isEmpty()) {
            m.put("endpoint", endpoint);
        }
        return JSON.writeValueAsBytes(m);
    }

    private static Map<String, Object> parse(byte[] content) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = JSON.readValue(content, Map.class);
        return m;
    }

    /** Renews the heartbeat; false when another process replaced the record (this one is fenced and must stop). */
    public synchronized boolean renew() throws IOException {
        if (!store.putIfMatch(key, record(), version)) {
            return false;
        }
        version = store.getVersioned(key).map(ObjectStore.Versioned::version).orElse(version);
        return true;
    }

    public String key() {
        return key;
    }

    /** Releases the lease if this process still holds it. */
    @Override
    public synchronized void close() throws IOException {
        Optional<ObjectStore.Versioned> v = store.getVersioned(key);
        if (v.isPresent() && v.get().version().equals(version) && isMine(v)) {
            store.delete(key);
        }
    }
}
