package io.dataflow.source.debezium;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.UUID;

/**
 * A PKCS#12 trust store made from a PEM file of CA certificates, for connectors that take a trust store rather than a
 * PEM file (Debezium's MariaDB/MySQL connectors). Written once per process to a private temporary file.
 */
public final class TrustStores {
    /** A trust store file and its password (random; the file holds public certificates only). */
    public record Store(Path file, String password) {}

    private TrustStores() {}

    public static Store fromPem(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(pem + " holds no certificate");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            String password = UUID.randomUUID().toString();
            Path file = Files.createTempFile("dataflow-truststore-", ".p12");
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return new Store(file, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CA file " + pem + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the CA file " + pem + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }
}
