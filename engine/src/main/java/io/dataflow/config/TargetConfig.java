package io.dataflow.config;

import java.time.Duration;

/**
 * A destination of the pipeline's changes.
 *
 * @param type        the kind of target
 * @param uri         where it lives (for a lake: a folder path or a file: URI)
 * @param flush       when staged changes are made durable
 * @param compression Parquet compression
 * @param s3          how to reach S3, for {@code s3://} URIs
 * @param jdbc        the database of a {@code jdbc} target; null for a lake
 * @param processed   the processed zone of a lake target
 */
public record TargetConfig(Type type, String uri, Flush flush, Compression compression, io.dataflow.config.S3Settings s3,
        JdbcTarget jdbc, ProcessedConfig processed) {

    public TargetConfig {
        processed = processed == null ? ProcessedConfig.DISABLED : processed;
    }

    public TargetConfig(Type type, String uri, Flush flush, Compression compression, io.dataflow.config.S3Settings s3, JdbcTarget jdbc) {
        this(type, uri, flush, compression, s3, jdbc, ProcessedConfig.DISABLED);
    }

    public TargetConfig(Type type, String uri, Flush flush, Compression compression) {
        this(type, uri, flush, compression, io.dataflow.config.S3Settings.DEFAULT, null);
    }

    public TargetConfig(Type type, String uri, Flush flush, Compression compression, io.dataflow.config.S3Settings s3) {
        this(type, uri, flush, compression, s3, null);
    }

    /** A database target. */
    public static TargetConfig jdbc(JdbcTarget jdbc, Flush flush) {
        return new TargetConfig(Type.JDBC, jdbc.url(), flush, Compression.ZSTD, io.dataflow.config.S3Settings.DEFAULT, jdbc);
    }

    public boolean isS3() {
        return uri.startsWith("s3://");
    }

    /** Supported target kinds. */
    public enum Type {
        LAKE,
        JDBC
    }

    /** Parquet compression codecs. */
    public enum Compression {
        ZSTD,
        SNAPPY,
        UNCOMPRESSED
    }

    /**
     * Flush triggers: staged changes are written out when the oldest is {@code interval} old, or when
     * {@code rows} rows or {@code bytes} bytes are staged, whichever comes first.
     */
    public record Flush(Duration interval, long rows, long bytes) {
        public static final Flush DEFAULT = new Flush(Duration.ofMillis(500), 100_000, 64L << 20);
    }
}
