package io.dataflow.config;

import java.util.Map;

/**
 * How to reach and write an S3 bucket (the {@code s3:} key of a lake target).
 *
 * @param region          AWS region; empty: the default region chain (or us-east-1 with a custom endpoint)
 * @param endpoint        custom endpoint for S3-compatible stores (MinIO, s3proxy); empty for AWS
 * @param pathStyle       path-style addressing (needed by most S3-compatible stores)
 * @param accessKeyId     static credentials; empty: the default AWS credential chain
 * @param secretAccessKey static credentials
 * @param sse             server-side encryption: empty (bucket default), {@code aes256} or {@code aws:kms}
 * @param kmsKeyId        KMS key for {@code aws:kms}; empty: the AWS-managed key
 * @param storageClass    e.g. STANDARD, INTELLIGENT_TIERING; empty: STANDARD
 * @param tags            object tags
 * @param partSize        multipart part size in bytes (at least 5 MiB)
 */
public record S3Settings(String region, String endpoint, boolean pathStyle, String accessKeyId, String secretAccessKey,
        String sse, String kmsKeyId, String storageClass, Map<String, String> tags, long partSize) {

    public static final long MIN_PART_SIZE = 5L << 20;
    public static final S3Settings DEFAULT = new S3Settings("", "", false, "", "", "", "", "", Map.of(), 8L << 20);

    public S3Settings {
        tags = Map.copyOf(tags);
    }

    @Override
    public String toString() {
        return "S3Settings[region=" + region + ", endpoint=" + endpoint + ", pathStyle=" + pathStyle + ", staticKeys="
                + !accessKeyId.isEmpty() + ", sse=" + sse + ", storageClass=" + storageClass + "]";
    }
}
