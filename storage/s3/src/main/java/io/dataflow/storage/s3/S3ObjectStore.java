package io.dataflow.storage.s3;

import io.dataflow.api.StorageException;
import io.dataflow.api.Failure;
import io.dataflow.api.ObjectStore;
import io.dataflow.retry.Backoff;
import io.dataflow.retry.Retrier;
import io.dataflow.config.S3Settings;
import io.dataflow.retry.Backoff;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * Objects in an S3 bucket under a prefix, through the AWS SDK for Java v2 (no Hadoop).
 *
 * <p>Consistency (S3 is strongly consistent for these since 2020): {@link #create(String)} streams the object
 * in parts of {@link S3Settings#partSize()} (a multipart upload once the first part is full, else one PUT at
 * commit); it becomes visible whole on commit and an aborted upload leaves nothing visible.
 * {@link #putIfAbsent} uses {@code If-None-Match: *} and {@link #putIfMatch} {@code If-Match} (S3 conditional
 * writes; a store that ignores them gives no protection, see README). Every call goes through one
 * {@link Retrier}: throttling, 5xx and connection failures are retried with backoff; access denied and
 * missing buckets fail at once with the permission and resource named.
 */
public final class S3ObjectStore implements ObjectStore {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final S3Settings settings;
    private final Retrier retrier;

    public S3ObjectStore(S3Client s3, String bucket, String prefix, S3Settings settings, Retrier retrier) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        this.settings = settings;
        this.retrier = retrier;
    }

    /** Opens {@code s3://bucket/prefix} with the given settings and the standard retry policy. */
    public static S3ObjectStore open(String uri, S3Settings settings) {
        URI u = URI.create(uri);
        String bucket = u.getHost();
        if (bucket == null || bucket.isEmpty()) {
            throw new IllegalArgumentException("'" + uri + "' names no bucket; expected s3://bucket/prefix");
        }
        String prefix = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
        return new S3ObjectStore(client(settings), bucket, prefix, settings, standardRetrier(bucket));
    }

    public static Retrier standardRetrier(String bucket) {
        return new Retrier(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(20), Duration.ofMillis(100), Math::random), 8,
                Retrier.realSleeper(), e -> classify(bucket, e));
    }

    static S3Client client(S3Settings s) {
        AwsCredentialsProvider credentials = s.accessKeyId().isEmpty()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey()));
        var b = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60)).maxConnections(32))
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofMinutes(2)))
                .forcePathStyle(s.pathStyle());
        if (!s.endpoint().isEmpty()) {
            b.endpointOverride(URI.create(s.endpoint()));
        }
        if (!s.region().isEmpty()) {
            b.region(Region.of(s.region()));
        } else if (!s.endpoint().isEmpty()) {
            b.region(Region.US_EAST_1);
        }
        return b.build();
    }

    /** Classifies an S3 failure: whether retrying can help, and what to do. */
    static Failure classify(String bucket, Exception e) {
        if (e instanceof Failure.Classified c) {
            return c.failure();
        }
        if (e instanceof S3Exception s3) {
            int status = s3.statusCode();
            String code = s3.awsErrorDetails() == null ? "" : s3.awsErrorDetails().errorCode();
            if (status == 403) {
                return Failure.permanent("access denied (" + code + ")");
            }
            if ("NoSuchBucket".equals(code)) {
                return Failure.permanent("bucket '" + bucket + "' does not exist; create it or fix the target uri");
            }
            boolean transientError = status >= 500 || status == 429 || status == 408
                    || List.of("SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable").contains(code);
            return Failure.of(!transientError, "S3 answered " + status + " " + code);
        }
        if (e instanceof SdkClientException || e instanceof IOException || e instanceof UncheckedIOException) {
            return Failure.transientFailure("cannot reach S3 (" + rootMessage(e) + ")");
        }
        return Failure.transientFailure(e.toString());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    String fullKey(String key) {
        if (key.isEmpty() || key.startsWith("/")) {
            throw new IllegalArgumentException("invalid object key '" + key + "'");
        }
        return prefix + key;
    }

    /** The IAM action and resource an operation on {@code key} needs, for messages. */
    public String arn(String key) {
        return "arn:aws:s3:::" + bucket + "/" + prefix + key;
    }

    private PutObjectRequest.Builder put(String fullKey) {
        PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(bucket).key(fullKey);
        applyWriteSettings(b::serverSideEncryption, b::ssekmsKeyId, b::storageClass, b::tagging);
        return b;
    }

    private void applyWriteSettings(java.util.function.Consumer<ServerSideEncryption> sse, java.util.function.Consumer<String> kms,
            java.util.function.Consumer<StorageClass> storageClass, java.util.function.Consumer<String> tagging) {
        switch (settings.sse().toLowerCase(Locale.ROOT)) {
            case "aes256" -> sse.accept(ServerSideEncryption.AES256);
            case "aws:kms" -> {
                sse.accept(ServerSideEncryption.AWS_KMS);
                if (!settings.kmsKeyId().isEmpty()) {
                    kms.accept(settings.kmsKeyId());
                }
            }
            default -> { }
        }
        if (!settings.storageClass().isEmpty()) {
            storageClass.accept(StorageClass.fromValue(settings.storageClass()));
        }
        if (!settings.tags().isEmpty()) {
            tagging.accept(settings.tags().entrySet().stream()
                    .map(t -> URLEncoder.encode(t.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(t.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&")));
        }
    }

    @Override
    public PendingObject create(String key) {
        return new Upload(fullKey(key));
    }

    /** A streamed upload: one part buffer in memory at a time. */
    private final class Upload implements PendingObject {
        private final String key;
        private final ByteArrayOutputStream part = new ByteArrayOutputStream();
        private final List<CompletedPart> parts = new ArrayList<>();
        private final OutputStream stream;
        private String uploadId;
        private long written;
        private boolean done;

        Upload(String key) {
            this.key = key;
            this.stream = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    while (len > 0) {
                        int n = (int) Math.min(len, settings.partSize() - part.size());
                        part.write(b, off, n);
                        off += n;
                        len -= n;
                        written += n;
                        if (part.size() >= settings.partSize()) {
                            uploadPart();
                        }
                    }
                }
            };
        }

        private void uploadPart() throws StorageException {
            if (uploadId == null) {
                uploadId = retrier.call("start multipart upload of " + arn(key.substring(prefix.length())), () -> {
                    CreateMultipartUploadRequest.Builder b = CreateMultipartUploadRequest.builder().bucket(bucket).key(key);
                    applyWriteSettings(b::serverSideEncryption, b::ssekmsKeyId, b::storageClass, b::tagging);
                    return s3.createMultipartUpload(b.build()).uploadId();
                });
            }
            int number = parts.size() + 1;
            byte[] bytes = part.toByteArray();
            String etag = retrier.call("upload part " + number + " of s3://" + bucket + "/" + key,
                    () -> s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number), RequestBody.fromBytes(bytes)).eTag());
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            part.reset();
        }

        @Override
        public OutputStream stream() {
            return stream;
        }

        @Override
        public long bytesWritten() {
            return written;
        }

        @Override
        public void commit() throws IOException {
            if (uploadId == null) {
                byte[] bytes = part.toByteArray();
                retrier.call("write s3://" + bucket + "/" + key, () -> s3.putObject(put(key).build(), RequestBody.fromBytes(bytes)));
            } else {
                if (part.size() > 0) {
                    uploadPart();
                }
                retrier.call("complete multipart upload of s3://" + bucket + "/" + key, () -> s3.completeMultipartUpload(r -> r
                        .bucket(bucket).key(key).uploadId(uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())));
            }
            done = true;
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                part.reset();
                if (uploadId != null) {
                    try {
                        s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId).build());
                    } catch (RuntimeException e) {
                        // left for cleanUpIncomplete (or a bucket lifecycle rule)
                    }
                }
            }
        }
    }

    @Override
    public void put(String key, byte[] content) throws IOException {
        String k = fullKey(key);
        retrier.call("write s3://" + bucket + "/" + k, () -> s3.putObject(put(k).build(), RequestBody.fromBytes(content)));
    }

    @Override
    public boolean putIfAbsent(String key, byte[] content) throws IOException {
        String k = fullKey(key);
        return retrier.call("create s3://" + bucket + "/" + k, () -> {
            try {
                s3.putObject(put(k).ifNoneMatch("*").build(), RequestBody.fromBytes(content));
                return true;
            } catch (S3Exception e) {
                if (e.statusCode() == 412 || e.statusCode() == 409) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public int read(String key, long offset, byte[] into, int at, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        String k = fullKey(key);
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        int n = retrier.call("read s3://" + bucket + "/" + k, () -> {
            try {
                byte[] b = s3.getObjectAsBytes(r -> r.bucket(bucket).key(k).range(range)).asByteArray();
                int got = Math.min(b.length, length);
                System.arraycopy(b, 0, into, at, got);
                return got;
            } catch (NoSuchKeyException e) {
                return -1;
            } catch (S3Exception e) {
                if (e.statusCode() == 416) {
                    return 0;
                }
                throw e;
            }
        });
        if (n < 0) {
            throw new java.io.FileNotFoundException("no object s3://" + bucket + "/" + k);
        }
        return n;
    }

    @Override
    public long length(String key) throws IOException {
        String k = fullKey(key);
        long n = retrier.call("read s3://" + bucket + "/" + k, () -> {
            try {
                return s3.headObject(r -> r.bucket(bucket).key(k)).contentLength();
            } catch (NoSuchKeyException e) {
                return -1L;
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return -1L;
                }
                throw e;
            }
        });
        if (n < 0) {
            throw new java.io.FileNotFoundException("no object s3://" + bucket + "/" + k);
        }
        return n;
    }

    @Override
    public Optional<Versioned> getVersioned(String key) throws IOException {
        String k = fullKey(key);
        return retrier.call("read s3://" + bucket + "/" + k, () -> {
            try {
                ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket(bucket).key(k));
                return Optional.of(new Versioned(r.asByteArray(), r.response().eTag()));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public boolean putIfMatch(String key, byte[] content, String version) throws IOException {
        String k = fullKey(key);
        return retrier.call("replace s3://" + bucket + "/" + k, () -> {
            try {
                s3.putObject(put(k).ifMatch(version).build(), RequestBody.fromBytes(content));
                return true;
            } catch (S3Exception e) {
                if (e.statusCode() == 412 || e.statusCode() == 409 || e.statusCode() == 404) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public List<ObjectInfo> list(String listPrefix) throws IOException {
        String p = prefix + listPrefix;
        return retrier.call("list s3://" + bucket + "/" + p, () -> {
            List<ObjectInfo> out = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(p)).contents()) {
                out.add(new ObjectInfo(o.key().substring(prefix.length()), o.size()));
            }
            out.sort(java.util.Comparator.comparing(ObjectInfo::key));
            return out;
        });
    }

    @Override
    public void delete(String key) throws IOException {
        String k = fullKey(key);
        retrier.call("delete s3://" + bucket + "/" + k, () -> s3.deleteObject(b -> b.bucket(bucket).key(k)));
    }

    @Override
    public int cleanUpIncomplete(String listPrefix) throws IOException {
        String p = prefix + listPrefix;
        return retrier.call("abort incomplete uploads under s3://" + bucket + "/" + p, () -> {
            int n = 0;
            for (MultipartUpload u : s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(p)).uploads()) {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(u.key()).uploadId(u.uploadId()));
                n++;
            }
            return n;
        });
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public void close() {
        s3.close();
    }
}
