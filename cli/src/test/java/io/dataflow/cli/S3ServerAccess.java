package io.dataflow.cli;

import io.dataflow.config.S3Settings;
import java.io.IOException;
import java.nio.file.Path;

/** Public access to {@link S3Server} for tests in other packages. */
public final class S3ServerAccess implements AutoCloseable {
    private final S3Server server;

    public S3ServerAccess(Path dir) throws IOException {
        server = new S3Server(dir);
    }

    public S3Settings settings() {
        return server.settings();
    }

    public void createBucket(String bucket) {
        server.createBucket(bucket);
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }
}
