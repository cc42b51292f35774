package io.dataflow.lake;

import io.dataflow.config.ProcessedConfig;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflow.config.ConfigException;
import io.dataflow.config.Key;
import io.dataflow.config.PipelineConfigReader;
import io.dataflow.config.S3Settings;
import io.dataflow.config.Section;
import io.dataflow.config.TargetConfig;
import io.dataflow.config.TargetKeys;
import io.dataflow.config.Values;
import io.dataflow.storage.ObjectStores;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The keys of a lake target ({@code type: lake}) and of its {@code s3} section. */
public final class LakeTargetKeys implements TargetKeys {
    static final Key<String> URI = Key.required("uri", "string", Values::nonEmptyString,
            "where the lake lives: a folder path, file:///absolute/path, or s3://bucket/prefix");
    static final Key<TargetConfig.Compression> COMPRESSION = Key.optional("compression", "zstd | snappy | uncompressed",
            (p, v) -> Values.choice(p, v, TargetConfig.Compression.class), TargetConfig.Compression.ZSTD, "Parquet compression");
    static final Key<JsonNode> S3 = Key.optional("s3", "mapping", (p, v) -> v, null,
            "S3 settings for an s3://bucket/prefix uri (region, endpoint, credentials, encryption, ...)");
    static final Key<JsonNode> PROCESSED = Key.optional("processed", "mapping", (p, v) -> v, null,
            "the processed zone: current-state Apache Iceberg tables under <uri>/processed/<pipeline>/ (off unless set)");
    static final List<Key<?>> KEYS = List.of(PipelineConfigReader.TARGET_TYPE, URI, PipelineConfigReader.FLUSH, COMPRESSION, S3, PROCESSED);

    // --- processed
    static final Key<Boolean> P_ENABLED = Key.optional("enabled", "boolean", Values::bool, true,
            "keep the processed zone (true when the processed section is present)");
    static final Key<java.time.Duration> P_COMMIT_INTERVAL = Key.optional("commit-interval", "duration", Values::duration,
            ProcessedConfig.DISABLED.commitInterval(), "how often staged changes are committed (one Iceberg snapshot per table and commit)");
    static final Key<JsonNode> P_PARTITION_BY = Key.optional("partition-by", "mapping", (p, v) -> v, null,
            "Iceberg partition transforms per table, e.g. {shop.orders: [day(created_at), bucket(16, customer_id)]} (default: none)");
    static final Key<JsonNode> P_CATALOG = Key.optional("catalog", "mapping", (p, v) -> v, null,
            "where the tables are registered (default: type lake, metadata beside the data, no server)");
    static final Key<JsonNode> P_MAINTENANCE = Key.optional("maintenance", "mapping", (p, v) -> v, null,
            "compaction and snapshot expiry, run between commits");
    static final List<Key<?>> PROCESSED_KEYS = List.of(P_ENABLED, P_COMMIT_INTERVAL, P_PARTITION_BY, P_CATALOG, P_MAINTENANCE);

    static final Key<String> C_TYPE = Key.optional("type", "lake | glue | rest", (p, v) -> Values.oneOf(p, v, "lake", "glue", "rest"), "lake",
            "lake: metadata in the lake itself; glue: AWS Glue Data Catalog (Athena); rest: an Iceberg REST catalog");
    static final Key<String> C_DATABASE = Key.optional("database", "string", Values::nonEmptyString, "",
            "glue: the Glue database (default: the pipeline name)");
    static final Key<String> C_URI = Key.optional("uri", "URL", LakeTargetKeys::url, "", "rest: the catalog's base URI");
    static final Key<String> C_WAREHOUSE = Key.optional("warehouse", "string", Values::nonEmptyString, "", "rest: the warehouse name");
    static final Key<String> C_CREDENTIAL = Key.optional("credential", "string", Values::nonEmptyString, "",
            "rest: OAuth2 client credential id:secret, e.g. ${env:CATALOG_CREDENTIAL}");
    static final Key<String> C_TOKEN = Key.optional("token", "string", Values::nonEmptyString, "",
            "rest: a bearer token, e.g. ${env:CATALOG_TOKEN}");
    static final Key<Map<String, String>> C_PROPERTIES = Key.optional("properties", "mapping", Values::stringMap, Map.of(),
            "further Iceberg catalog properties, passed through");
    static final List<Key<?>> CATALOG_KEYS = List.of(C_TYPE, C_DATABASE, C_URI, C_WAREHOUSE, C_CREDENTIAL, C_TOKEN, C_PROPERTIES);

    static final ProcessedConfig.Maintenance MD = ProcessedConfig.Maintenance.DEFAULT;
    static final Key<java.time.Duration> M_INTERVAL = Key.optional("interval", "duration", Values::duration, MD.interval(),
            "how often maintenance runs");
    static final Key<Integer> M_DELETE_FILES = Key.optional("max-delete-files", "integer", Values::positiveInt, MD.maxDeleteFiles(),
            "compact a table holding more position-delete files than this");
    static final Key<Integer> M_SMALL_FILES = Key.optional("max-small-files", "integer", Values::positiveInt, MD.maxSmallFiles(),
            "compact a table holding more small data files (below a quarter of target-file-size) than this");
    static final Key<Long> M_TARGET = Key.optional("target-file-size", "size", Values::size, MD.targetFileSize(),
            "the data file size writes and compaction aim for");
    static final Key<java.time.Duration> M_KEEP = Key.optional("keep-snapshots", "duration", Values::duration, MD.keepSnapshots(),
            "snapshots younger than this are kept for time travel; older ones are expired and their files removed");
    static final List<Key<?>> MAINTENANCE_KEYS = List.of(M_INTERVAL, M_DELETE_FILES, M_SMALL_FILES, M_TARGET, M_KEEP);

    // --- s3
    static final Key<String> S3_REGION = Key.optional("region", "string", Values::nonEmptyString, "",
            "AWS region (default: the AWS default region chain; us-east-1 with a custom endpoint)");
    static final Key<String> S3_ENDPOINT = Key.optional("endpoint", "URL", LakeTargetKeys::url, "",
            "endpoint of an S3-compatible store, e.g. http://127.0.0.1:9000 (MinIO, s3proxy)");
    static final Key<Boolean> S3_PATH_STYLE = Key.optional("path-style", "boolean", Values::bool, false,
            "path-style requests (most S3-compatible stores need true)");
    static final Key<String> S3_ACCESS_KEY = Key.optional("access-key-id", "string", Values::nonEmptyString, "",
            "static access key, e.g. ${env:AWS_ACCESS_KEY_ID} (default: the AWS credential chain: env, profile, instance/container role)");
    static final Key<String> S3_SECRET_KEY = Key.optional("secret-access-key", "string", Values::nonEmptyString, "",
            "static secret key, e.g. ${env:AWS_SECRET_ACCESS_KEY}");
    static final Key<String> S3_SSE = Key.optional("sse", "aes256 | aws:kms", LakeTargetKeys::sse, "",
            "server-side encryption (default: the bucket's default)");
    static final Key<String> S3_KMS_KEY = Key.optional("kms-key-id", "string", Values::nonEmptyString, "",
            "KMS key id or ARN for sse: aws:kms (default: the AWS-managed key)");
    static final Key<String> S3_STORAGE_CLASS = Key.optional("storage-class", "string", LakeTargetKeys::storageClass, "",
            "storage class, e.g. STANDARD, INTELLIGENT_TIERING, STANDARD_IA");
    static final Key<Map<String, String>> S3_TAGS = Key.optional("tags", "mapping", Values::stringMap, Map.of(),
            "tags put on every object");
    static final Key<Long> S3_PART_SIZE = Key.optional("part-size", "size", LakeTargetKeys::partSize, 8L << 20,
            "multipart upload part size (at least 5MB); also the memory one open file uses for upload");
    static final List<Key<?>> S3_KEYS = List.of(S3_REGION, S3_ENDPOINT, S3_PATH_STYLE, S3_ACCESS_KEY, S3_SECRET_KEY, S3_SSE,
            S3_KMS_KEY, S3_STORAGE_CLASS, S3_TAGS, S3_PART_SIZE);

    @Override
    public TargetConfig.Type type() {
        return TargetConfig.Type.LAKE;
    }

    @Override
    public List<Key<?>> keys() {
        return KEYS;
    }

    @Override
    public TargetConfig read(String path, Section t, TargetConfig.Flush flush) {
        String uri = t.get(URI);
        S3Settings s3 = S3Settings.DEFAULT;
        if (uri.startsWith("s3://")) {
            if (!uri.matches("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?")) {
                throw new ConfigException(t.child("uri") + ": '" + uri + "' is not a valid S3 location; expected s3://bucket/prefix");
            }
            if (t.has(S3)) {
                s3 = s3(t.child("s3"), new Section(t.child("s3"), t.raw(S3), S3_KEYS));
            }
        } else {
            try {
                ObjectStores.localPath(uri);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(t.child("uri") + ": " + e.getMessage());
            }
            if (t.has(S3)) {
                throw new ConfigException(t.child("s3") + ": only allowed with an s3:// uri, but uri is '" + uri + "'");
            }
        }
        ProcessedConfig processed = t.has(PROCESSED)
                ? processed(t.child("processed"), new Section(t.child("processed"), t.raw(PROCESSED), PROCESSED_KEYS))
                : ProcessedConfig.DISABLED;
        return new TargetConfig(TargetConfig.Type.LAKE, uri, flush, t.get(COMPRESSION), s3, null, processed);
    }

    private static ProcessedConfig processed(String path, Section p) {
        Map<String, List<String>> partitionBy = new LinkedHashMap<>();
        if (p.has(P_PARTITION_BY)) {
            JsonNode node = p.raw(P_PARTITION_BY);
            if (!node.isObject()) {
                throw new ConfigException(path + ".partition-by: " + Values.show(path + ".partition-by", node)
                        + " is not a mapping; expected {schema.table: [transform, ...]}");
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String at = path + ".partition-by." + e.getKey();
                if (!e.getKey().matches("[^.]+\\.[^.]+")) {
                    throw new ConfigException(at + ": '" + e.getKey() + "' is not a table name; expected schema.table");
                }
                List<String> transforms = Values.stringList(at, e.getValue());
                for (String tr : transforms) {
                    String problem = io.dataflow.lake.processed.PartitionSpecs.problem(tr);
                    if (!problem.isEmpty()) {
                        throw new ConfigException(at + ": " + problem);
                    }
                }
                partitionBy.put(e.getKey(), transforms);
            }
        }
        ProcessedConfig.Catalog catalog = ProcessedConfig.Catalog.LAKE;
        if (p.has(P_CATALOG)) {
            Section c = new Section(path + ".catalog", p.raw(P_CATALOG), CATALOG_KEYS);
            catalog = new ProcessedConfig.Catalog(c.get(C_TYPE), c.get(C_DATABASE), c.get(C_URI), c.get(C_WAREHOUSE), c.get(C_CREDENTIAL),
                    c.get(C_TOKEN), c.get(C_PROPERTIES));
            if (catalog.type().equals("rest") && catalog.uri().isEmpty()) {
                throw new ConfigException(path + ".catalog.uri: required for type rest, e.g. https://catalog.example.com/iceberg");
            }
            if (!catalog.type().equals("rest") && (!catalog.uri().isEmpty() || !catalog.credential().isEmpty() || !catalog.token().isEmpty()
                    || !catalog.warehouse().isEmpty())) {
                throw new ConfigException(path + ".catalog: uri, warehouse, credential and token are for type rest, but type is '"
                        + catalog.type() + "'");
            }
            if (!catalog.type().equals("glue") && !catalog.database().isEmpty()) {
                throw new ConfigException(path + ".catalog.database: only for type glue, but type is '" + catalog.type() + "'");
            }
        }
        ProcessedConfig.Maintenance maintenance = MD;
        if (p.has(P_MAINTENANCE)) {
            Section m = new Section(path + ".maintenance", p.raw(P_MAINTENANCE), MAINTENANCE_KEYS);
            maintenance = new ProcessedConfig.Maintenance(m.get(M_INTERVAL), m.get(M_DELETE_FILES), m.get(M_SMALL_FILES), m.get(M_TARGET),
                    m.get(M_KEEP));
        }
        return new ProcessedConfig(p.get(P_ENABLED), p.get(P_COMMIT_INTERVAL), partitionBy, catalog, maintenance);
    }

    private static S3Settings s3(String path, Section x) {
        S3Settings s3 = new S3Settings(x.get(S3_REGION), x.get(S3_ENDPOINT), x.get(S3_PATH_STYLE), x.get(S3_ACCESS_KEY),
                x.get(S3_SECRET_KEY), x.get(S3_SSE), x.get(S3_KMS_KEY), x.get(S3_STORAGE_CLASS), x.get(S3_TAGS), x.get(S3_PART_SIZE));
        if (s3.accessKeyId().isEmpty() != s3.secretAccessKey().isEmpty()) {
            throw new ConfigException(path + ": access-key-id and secret-access-key go together; set both or neither");
        }
        if (!s3.kmsKeyId().isEmpty() && !s3.sse().equals("aws:kms")) {
            throw new ConfigException(path + ".kms-key-id: set, but sse is '" + s3.sse() + "'; use sse: aws:kms");
        }
        return s3;
    }

    @Override
    public Map<String, List<Key<?>>> reference() {
        Map<String, List<Key<?>>> sections = new LinkedHashMap<>();
        sections.put("targets[]", KEYS);
        sections.put("targets[].s3", S3_KEYS);
        sections.put("targets[].processed", PROCESSED_KEYS);
        sections.put("targets[].processed.catalog", CATALOG_KEYS);
        sections.put("targets[].processed.maintenance", MAINTENANCE_KEYS);
        return sections;
    }

    static String url(String path, JsonNode v) {
        return Values.matching(path, v, "https?://[^/\\s]+(/.*)?", "is not an http(s) URL; expected e.g. http://127.0.0.1:9000");
    }

    static String sse(String path, JsonNode v) {
        String s = Values.string(path, v).toLowerCase(Locale.ROOT);
        if (!List.of("aes256", "aws:kms").contains(s)) {
            throw new ConfigException(path + ": " + Values.show(path, v) + " is not allowed; expected aes256 or aws:kms");
        }
        return s;
    }

    static String storageClass(String path, JsonNode v) {
        String s = Values.nonEmptyString(path, v).toUpperCase(Locale.ROOT);
        List<String> allowed = List.of("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
                "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR", "EXPRESS_ONEZONE");
        if (!allowed.contains(s)) {
            throw new ConfigException(path + ": " + Values.show(path, v) + " is not an S3 storage class; expected one of " + String.join(", ", allowed));
        }
        return s;
    }

    static long partSize(String path, JsonNode v) {
        long n = Values.size(path, v);
        if (n < S3Settings.MIN_PART_SIZE) {
            throw new ConfigException(path + ": " + Values.show(path, v) + " is below S3's minimum part size of 5MB");
        }
        return n;
    }
}
