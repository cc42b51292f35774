package io.dataflow.storage.s3;

import io.dataflow.api.StorageException;
import io.dataflow.api.ObjectStore;
import io.dataflow.storage.ObjectStoreContract;
import io.dataflow.retry.Retrier;
import io.dataflow.config.S3Settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ObjectStore contract, multipart streaming and error classification against a real S3-compatible server. */
class S3ObjectStoreIT extends ObjectStoreContract {
    @TempDir
    static Path dir;
    static io.dataflow.cli.S3ServerAccess server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new io.dataflow.cli.S3ServerAccess(dir);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    static S3ObjectStore fresh(S3Settings settings) {
        String bucket = "b" + UUID.randomUUID().toString().substring(0, 8);
        server.createBucket(bucket);
        return S3ObjectStore.open("s3://" + bucket + "/lake/prefix", settings);
    }

    @Override
    protected ObjectStore store() {
        return fresh(server.settings());
    }

    @Test
    void largeObjectsAreStreamedInPartsAndAbortLeavesNothing() throws Exception {
        S3ObjectStore s = fresh(server.settings());
        byte[] chunk = new byte[1 << 20];
        new Random(1).nextBytes(chunk);
        try (ObjectStore.PendingObject p = s.create("big.bin")) {
            OutputStream out = p.stream();
            for (int i = 0; i < 12; i++) {
                out.write(chunk);
            }
            assertThat(s.list("")).as("nothing visible before commit").isEmpty();
            p.commit();
        }
        assertThat(s.list("")).extracting(ObjectStore.ObjectInfo::size).containsExactly(12L << 20);
        byte[] back = s.get("big.bin").orElseThrow();
        assertThat(java.util.Arrays.copyOfRange(back, 11 << 20, 12 << 20)).isEqualTo(chunk);

        ObjectStore.PendingObject aborted = s.create("aborted.bin");
        for (int i = 0; i < 6; i++) {
            aborted.stream().write(chunk);
        }
        aborted.close();
        assertThat(s.list("")).extracting(ObjectStore.ObjectInfo::key).containsExactly("big.bin");
    }

    @Test
    void unfinishedUploadsOfACrashedWriterAreCleanedUp() throws Exception {
        S3ObjectStore s = fresh(server.settings());
        ObjectStore.PendingObject crashed = s.create("raw/x.bin");
        crashed.stream().write(new byte[6 << 20]);
        // neither committed nor closed: as after SIGKILL
        assertThat(s.cleanUpIncomplete("raw/")).isEqualTo(1);
        assertThat(s.list("")).isEmpty();
    }

    @Test
    void wrongCredentialsAreAPermanentAccessDenied() {
        S3Settings good = server.settings();
        S3ObjectStore s = fresh(good);
        S3ObjectStore wrong = S3ObjectStore.open(s.describe(), new S3Settings(good.region(), good.endpoint(), true, good.accessKeyId(),
                "not-the-secret", "", "", "", Map.of(), good.partSize()));
        assertThatThrownBy(() -> wrong.put("k", new byte[1]))
                .isInstanceOf(StorageException.class).hasMessageContaining("access denied")
                .matches(e -> ((StorageException) e).permanent());
    }

    @Test
    void aMissingBucketIsPermanentAndNamed() {
        S3ObjectStore s = S3ObjectStore.open("s3://no-such-bucket-here/x", server.settings());
        assertThatThrownBy(() -> s.list("")).isInstanceOf(StorageException.class)
                .hasMessageContaining("bucket 'no-such-bucket-here' does not exist").matches(e -> ((StorageException) e).permanent());
    }

    @Test
    void anUnreachableEndpointIsTransientAndRetriedThenReported() {
        S3Settings good = server.settings();
        S3ObjectStore s = new S3ObjectStore(S3ObjectStore.client(new S3Settings(good.region(), "http://127.0.0.1:1", true,
                good.accessKeyId(), good.secretAccessKey(), "", "", "", Map.of(), good.partSize())), "b", "p",
                good, new Retrier(new io.dataflow.retry.Backoff(java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(1),
                java.time.Duration.ZERO, () -> 0), 3, d -> { }, e -> S3ObjectStore.classify("b", e)));
        assertThatThrownBy(() -> s.put("k", new byte[1])).isInstanceOf(StorageException.class)
                .hasMessageContaining("cannot reach S3").hasMessageContaining("gave up after 3 attempts")
                .matches(e -> !((StorageException) e).permanent());
    }
}
