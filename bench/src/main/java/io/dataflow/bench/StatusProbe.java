package io.dataflow.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a running `dataflow run --http-port` says on `/status`, for scenarios that wait on it. */
final class StatusProbe {
    private static final Pattern COUNT = Pattern.compile(":(\\d+)");
    private static final Pattern PENDING = Pattern.compile("\"pendingChanges\":(\\d+)");

    private StatusProbe() {}

    /** A free local TCP port for the status endpoint. */
    static int freePort() throws Exception {
        try (java.net.ServerSocket sock = new java.net.ServerSocket(0)) {
            return sock.getLocalPort();
        }
    }

    /** The `/status` JSON; empty while the endpoint does not answer yet. */
    static String read(int port) {
        try {
            var c = (java.net.HttpURLConnection) new java.net.URL("http://127.0.0.1:" + port + "/status").openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            try (var in = c.getInputStream()) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        } catch (Exception notYet) {
            return "";
        }
    }

    /** The changes received, summed over tables; 0 when the status has none yet. */
    static long changes(String status) {
        int at = status.indexOf("\"changes\":{");
        if (at < 0) {
            return 0;
        }
        long total = 0;
        for (Matcher m = COUNT.matcher(status.substring(at + 11, status.indexOf('}', at))); m.find(); ) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }

    /** True once at least {@code changes} changes were received and none waits to be durable. */
    static boolean durable(String status, long changes) {
        Matcher pending = PENDING.matcher(status);
        return changes(status) >= changes && pending.find() && pending.group(1).equals("0");
    }
}
