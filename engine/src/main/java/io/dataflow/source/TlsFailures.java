package io.dataflow.source;

import io.dataflow.config.SourceConfig;
import java.util.Locale;
import java.util.Optional;

/**
 * Connection failures that come from TLS, said as what to change: a server certificate no given CA signed, a host name
 * the certificate does not name, a server without TLS. Retrying cannot fix them.
 */
public final class TlsFailures {
    private TlsFailures() {}

    /** What to tell the user about {@code message}, when it is a TLS failure. */
    public static Optional<String> explain(String message, SourceConfig source) {
        String m = message == null ? "" : message;
        String lower = m.toLowerCase(Locale.ROOT);
        String where = source.host() + ":" + source.port();
        String ca = source.sslRootCert().isEmpty() ? "the JVM's trust store (no source.ssl-root-cert given)"
                : "source.ssl-root-cert (" + source.sslRootCert() + ")";
        if (lower.contains("pkix path") || lower.contains("unable to find valid certification path")
                || lower.contains("certificate verify failed") || lower.contains("self-signed certificate")) {
            return Optional.of("the certificate of " + where + " is not signed by a CA in " + ca + "; give the PEM file of the CA "
                    + "that signed it, or use ssl-mode require (encrypted, not verified)");
        }
        if (lower.contains("hostname") && (lower.contains("not match") || lower.contains("doesn't match") || lower.contains("verification"))
                || lower.contains("no subject alternative")) {
            return Optional.of("the certificate of " + where + " does not name the host '" + source.host() + "' (ssl-mode verify-full checks "
                    + "it): connect by a name the certificate holds, or use ssl-mode verify-ca");
        }
        if (lower.contains("does not support ssl") || lower.contains("server does not support ssl") || lower.contains("ssl is required")
                && lower.contains("not")) {
            return Optional.of(where + " does not serve TLS, and ssl-mode " + source.sslMode() + " requires it: enable TLS on the server, "
                    + "or lower ssl-mode");
        }
        return Optional.empty();
    }
}
