package io.dataflow.cli;

import io.dataflow.config.S3Settings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server (s3proxy, file-system backed) run as a separate process on a fixed port, so
 * a test can stop it and start it again with its data intact. Its class path comes from the
 * dataflow-testing-s3proxy module (system property {@code s3proxy.lib}).
 */
final class S3Server implements AutoCloseable {
    static final String KEY = "dataflow-test";
    static final String SECRET = "dataflow-test-secret";
    private final Path dir;
    private final int port;
    private Process process;

    S3Server(Path dir) throws IOException {
        this.dir = dir;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
        start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    S3Settings settings() {
        return new S3Settings("us-east-1", endpoint(), true, KEY, SECRET, "", "", "", Map.of(), S3Settings.MIN_PART_SIZE);
    }

    /** YAML for a target's s3 key, to append after a target's uri line (indented 4). */
    String yaml() {
        return "    s3: {region: us-east-1, endpoint: " + endpoint() + ", path-style: true, access-key-id: " + KEY
                + ", secret-access-key: " + SECRET + "}\n";
    }

    void start() throws IOException {
        Path lib = Path.of(System.getProperty("s3proxy.lib", "../testing/s3proxy/target/lib"));
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException("s3proxy's class path " + lib + " is missing; build the testing/s3proxy module (mvn package)");
        }
        Path data = Files.createDirectories(dir.resolve("data"));
        Path props = dir.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=" + endpoint(),
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + KEY,
                "s3proxy.credential=" + SECRET,
                "jclouds.provider=filesystem-nio2",
                "jclouds.identity=" + KEY,
                "jclouds.credential=" + SECRET,
                "jclouds.filesystem.basedir=" + data) + "\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", lib + "/*", "org.gaul.s3proxy.Main", "--properties", props.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3proxy.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited: " + Files.readString(dir.resolve("s3proxy.log")));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("s3proxy did not listen on " + port + " within 60 s");
    }

    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            process = null;
        }
    }

    S3Client client() {
        return S3Client.builder().endpointOverride(java.net.URI.create(endpoint())).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET))).build();
    }

    void createBucket(String bucket) {
        try (S3Client c = client()) {
            c.createBucket(b -> b.bucket(bucket));
        }
    }

    /** Copies every object under {@code prefix} of {@code bucket} into {@code target} (for reading with DuckDB). */
    void download(String bucket, String prefix, Path target) throws IOException {
        try (S3Client c = client()) {
            for (var o : c.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                Path f = target.resolve(o.key().substring(prefix.length()));
                Files.createDirectories(f.getParent());
                Files.write(f, c.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray());
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
