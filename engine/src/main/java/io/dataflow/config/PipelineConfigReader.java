package io.dataflow.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dataflow.config.PipelineConfig.Mode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads and validates a pipeline file. Every key is declared once below, with its type, default and doc;
 * {@link #reference()} renders them. Any problem is a {@link ConfigException} with one line naming the key,
 * the value and what is allowed.
 */
public final class PipelineConfigReader {

    // --- top level
    static final Key<String> NAME = Key.required("name", "string", PipelineConfigReader::pipelineName,
            "the pipeline's name: letters, digits, '_' and '-'; also its folder in the lake");
    static final Key<JsonNode> SOURCE = Key.required("source", "mapping", (p, v) -> v, "the source database");
    static final Key<JsonNode> TABLES = Key.optional("tables", "mapping", (p, v) -> v, null,
            "which tables move (default: every table of every non-system schema)");
    static final Key<Mode> MODE = Key.optional("mode", "full-load | cdc | full-load-and-cdc",
            (p, v) -> Values.choice(p, v, Mode.class), Mode.FULL_LOAD_AND_CDC,
            "full-load copies and exits; cdc streams changes from now; full-load-and-cdc does both");
    static final Key<JsonNode> TARGETS = Key.required("targets", "list", (p, v) -> v, "where changes go");
    static final Key<JsonNode> FULL_LOAD = Key.optional("full-load", "mapping", (p, v) -> v, null,
            "how the full load reads (default: engine parallel, a thread per CPU core (2-8), 250000 rows per chunk)");
    static final Key<JsonNode> TRANSFORM = Key.optional("transform", "list", (p, v) -> v, null,
            "database targets: per-column changes, e.g. [{change-type: {table: shop.orders, column: note, to: text}}]");
    static final List<Key<?>> TOP = List.of(NAME, SOURCE, TABLES, MODE, TARGETS, FULL_LOAD, TRANSFORM);

    // --- transform
    static final Key<JsonNode> CHANGE_TYPE = Key.required("change-type", "mapping", (p, v) -> v,
            "give one source column another target type than the mapping rules choose");
    static final List<Key<?>> TRANSFORM_KEYS = List.of(CHANGE_TYPE);
    static final Key<String> CT_TABLE = Key.required("table", "schema.table", PipelineConfigReader::tableName,
            "the source table, as the source spells it");
    static final Key<String> CT_COLUMN = Key.required("column", "string", Values::nonEmptyString, "the source column");
    static final Key<String> CT_TO = Key.required("to", "string", PipelineConfigReader::sqlType, "the target type, as the target's DDL spells it");
    static final List<Key<?>> CHANGE_TYPE_KEYS = List.of(CT_TABLE, CT_COLUMN, CT_TO);

    // --- full-load
    static final Key<PipelineConfig.Engine> FL_ENGINE = Key.optional("engine", "parallel | debezium",
            (p, v) -> Values.choice(p, v, PipelineConfig.Engine.class), null,
            "parallel: chunks read by several threads (postgres: COPY under one exported snapshot; mariadb/mysql: "
                    + "primary-key ranges while the binlog streams); debezium: Debezium's own snapshot, one thread");
    static final Key<Integer> FL_THREADS = Key.optional("threads", "integer", PipelineConfigReader::threads, 0,
            "parallel readers; 0: as many as CPU cores, at least 2, at most 8 (on 2 cores, 2 threads measured faster than 4)");
    static final Key<Long> FL_CHUNK_ROWS = Key.optional("chunk-rows", "integer", Values::positiveLong, 250_000L,
            "rows per chunk, from table statistics; also the unit of resume after a crash");
    static final List<Key<?>> FULL_LOAD_KEYS = List.of(FL_ENGINE, FL_THREADS, FL_CHUNK_ROWS);

    // --- source
    static final Key<SourceConfig.Type> SOURCE_TYPE = Key.required("type", "postgres | mariadb | mysql",
            (p, v) -> Values.choice(p, v, SourceConfig.Type.class), "the source engine");
    static final Key<String> HOST = Key.optional("host", "string", Values::nonEmptyString, "127.0.0.1", "host name or address");
    static final Key<Integer> PORT = Key.optional("port", "integer", Values::port, null, "TCP port (default 5432; 3306 for mariadb, mysql)");
    static final Key<String> DATABASE = Key.required("database", "string", Values::nonEmptyString, "the database to replicate");
    static final Key<String> USER = Key.optional("user", "string", Values::nonEmptyString, null, "user name (default postgres; root for mariadb, mysql)");
    static final Key<String> PASSWORD = Key.optional("password", "string", Values::string, "",
            "password; use ${env:NAME} or ${file:PATH} to keep it out of the file");
    static final Key<String> SLOT = Key.optional("slot", "string", PipelineConfigReader::identifier, null,
            "replication slot (default: dataflow_<name>)");
    static final Key<String> PUBLICATION = Key.optional("publication", "string", PipelineConfigReader::identifier, null,
            "publication (default: dataflow_<name>)");
    static final Key<String> SSL_MODE = Key.optional("ssl-mode", "disable | allow | prefer | require | verify-ca | verify-full",
            PipelineConfigReader::sslMode, "prefer", "the driver's sslmode");
    static final Key<Long> SERVER_ID = Key.optional("server-id", "integer", Values::positiveLong, null,
            "mariadb/mysql: the replica server id, unique among the server's replicas (default: derived from the name)");
    static final Key<Map<String, String>> DEBEZIUM = Key.optional("debezium", "mapping", PipelineConfigReader::stringMap, Map.of(),
            "extra Debezium connector properties, passed through as given (advanced)");
    static final List<Key<?>> SOURCE_KEYS = List.of(SOURCE_TYPE, HOST, PORT, DATABASE, USER, PASSWORD, SLOT, PUBLICATION, SSL_MODE, SERVER_ID, DEBEZIUM);

    // --- tables
    static final Key<List<String>> INCLUDE = Key.optional("include", "list of schema.table patterns", PipelineConfigReader::rules,
            List.of("*.*"), "tables to move; * and ? wildcards");
    static final Key<List<String>> EXCLUDE = Key.optional("exclude", "list of schema.table patterns", PipelineConfigReader::rules,
            List.of(), "tables to leave out, even when included");
    static final List<Key<?>> TABLE_KEYS = List.of(INCLUDE, EXCLUDE);

    // --- target
    static final Key<TargetConfig.Type> TARGET_TYPE = Key.required("type", "lake | jdbc",
            (p, v) -> Values.choice(p, v, TargetConfig.Type.class), "the kind of target");
    static final Key<String> URI = Key.required("uri", "string", Values::nonEmptyString,
            "where the lake lives: a folder path, file:///absolute/path, or s3://bucket/prefix");
    static final Key<JsonNode> FLUSH = Key.optional("flush", "mapping", (p, v) -> v, null,
            "when staged changes are written out (default interval 500ms, rows 100000, bytes 64MB)");
    static final Key<TargetConfig.Compression> COMPRESSION = Key.optional("compression", "zstd | snappy | uncompressed",
            (p, v) -> Values.choice(p, v, TargetConfig.Compression.class), TargetConfig.Compression.ZSTD, "Parquet compression");
    static final Key<JsonNode> S3 = Key.optional("s3", "mapping", (p, v) -> v, null,
            "S3 settings for an s3://bucket/prefix uri (region, endpoint, credentials, encryption, ...)");
    static final List<Key<?>> TARGET_KEYS = List.of(TARGET_TYPE, URI, FLUSH, COMPRESSION, S3);

    // --- jdbc target
    static final Key<String> JDBC_URL = Key.required("url", "JDBC URL", PipelineConfigReader::jdbcUrl,
            "jdbc:postgresql://host:5432/db, jdbc:mariadb://host:3306/db or jdbc:mysql://host:3306/db");
    static final Key<String> JDBC_USER = Key.required("user", "string", Values::nonEmptyString, "user name");
    static final Key<String> JDBC_PASSWORD = Key.optional("password", "string", Values::string, "",
            "password; use ${env:NAME} or ${file:PATH} to keep it out of the file");
    static final Key<String> JDBC_SCHEMA = Key.optional("schema", "string", Values::nonEmptyString, "",
            "schema (PostgreSQL) or database (MariaDB/MySQL) all tables go to (default: the source schema's name on PostgreSQL, "
                    + "the URL's database on MariaDB/MySQL)");
    static final Key<JdbcTarget.TablePrep> TABLE_PREP = Key.optional("table-prep", "create | truncate | keep",
            (p, v) -> Values.choice(p, v, JdbcTarget.TablePrep.class), JdbcTarget.TablePrep.CREATE,
            "create: create the converted tables, refusing existing ones; truncate: check existing tables and empty them; "
                    + "keep: check existing tables and keep their rows");
    static final Key<String> IDENTIFIER_CASE = Key.optional("identifier-case", "preserve | lower",
            (p, v) -> oneOf(p, v, "preserve", "lower"), "preserve", "preserve: names as the source spells them (quoted); lower: lower-cased");
    static final Key<String> ENUM_MODE = Key.optional("enum", "check | type", (p, v) -> oneOf(p, v, "check", "type"), "check",
            "PostgreSQL targets: a MySQL enum becomes text with a CHECK constraint, or a PostgreSQL enum type");
    static final List<Key<?>> JDBC_TARGET_KEYS = List.of(TARGET_TYPE, JDBC_URL, JDBC_USER, JDBC_PASSWORD, JDBC_SCHEMA, TABLE_PREP,
            IDENTIFIER_CASE, ENUM_MODE, FLUSH);

    // --- s3
    static final Key<String> S3_REGION = Key.optional("region", "string", Values::nonEmptyString, "",
            "AWS region (default: the AWS default region chain; us-east-1 with a custom endpoint)");
    static final Key<String> S3_ENDPOINT = Key.optional("endpoint", "URL", PipelineConfigReader::url, "",
            "endpoint of an S3-compatible store, e.g. http://127.0.0.1:9000 (MinIO, s3proxy)");
    static final Key<Boolean> S3_PATH_STYLE = Key.optional("path-style", "boolean", Values::bool, false,
            "path-style requests (most S3-compatible stores need true)");
    static final Key<String> S3_ACCESS_KEY = Key.optional("access-key-id", "string", Values::nonEmptyString, "",
            "static access key, e.g. ${env:AWS_ACCESS_KEY_ID} (default: the AWS credential chain: env, profile, instance/container role)");
    static final Key<String> S3_SECRET_KEY = Key.optional("secret-access-key", "string", Values::nonEmptyString, "",
            "static secret key, e.g. ${env:AWS_SECRET_ACCESS_KEY}");
    static final Key<String> S3_SSE = Key.optional("sse", "aes256 | aws:kms", PipelineConfigReader::sse, "",
            "server-side encryption (default: the bucket's default)");
    static final Key<String> S3_KMS_KEY = Key.optional("kms-key-id", "string", Values::nonEmptyString, "",
            "KMS key id or ARN for sse: aws:kms (default: the AWS-managed key)");
    static final Key<String> S3_STORAGE_CLASS = Key.optional("storage-class", "string", PipelineConfigReader::storageClass, "",
            "storage class, e.g. STANDARD, INTELLIGENT_TIERING, STANDARD_IA");
    static final Key<Map<String, String>> S3_TAGS = Key.optional("tags", "mapping", PipelineConfigReader::stringMap, Map.of(),
            "tags put on every object");
    static final Key<Long> S3_PART_SIZE = Key.optional("part-size", "size", PipelineConfigReader::partSize, 8L << 20,
            "multipart upload part size (at least 5MB); also the memory one open file uses for upload");
    static final List<Key<?>> S3_KEYS = List.of(S3_REGION, S3_ENDPOINT, S3_PATH_STYLE, S3_ACCESS_KEY, S3_SECRET_KEY, S3_SSE,
            S3_KMS_KEY, S3_STORAGE_CLASS, S3_TAGS, S3_PART_SIZE);

    // --- flush
    static final Key<Duration> INTERVAL = Key.optional("interval", "duration", Values::duration,
            TargetConfig.Flush.DEFAULT.interval(), "flush when the oldest staged change is this old");
    static final Key<Long> ROWS = Key.optional("rows", "integer", Values::positiveLong, TargetConfig.Flush.DEFAULT.rows(),
            "flush when this many rows are staged");
    static final Key<Long> BYTES = Key.optional("bytes", "size", Values::size, TargetConfig.Flush.DEFAULT.bytes(),
            "flush when about this many bytes are staged");
    static final List<Key<?>> FLUSH_KEYS = List.of(INTERVAL, ROWS, BYTES);

    private final Function<String, String> env;

    public PipelineConfigReader(Function<String, String> env) {
        this.env = env;
    }

    public PipelineConfigReader() {
        this(System::getenv);
    }

    public PipelineConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file; pass the pipeline file with --config");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(text, base == null ? Path.of(".") : base);
    }

    public PipelineConfig parse(String yaml, Path baseDir) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new ConfigException("pipeline file is not valid YAML" + where + ": " + e.getOriginalMessage().replaceAll("\\s+", " ").trim());
        }
        if (root == null || root.isMissingNode()) {
            throw new ConfigException("pipeline file is empty; expected keys name, source, tables, mode, targets");
        }
        root = resolveReferences("", root, new References(env, baseDir));
        Section top = new Section("", root, TOP);
        String name = top.get(NAME);

        Section src = new Section("source", top.raw(SOURCE), SOURCE_KEYS);
        String defaultId = "dataflow_" + name.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        SourceConfig.Type type = src.get(SOURCE_TYPE);
        long serverId = src.has(SERVER_ID) ? src.get(SERVER_ID) : 100_000L + Math.floorMod(name.hashCode(), 1_000_000_000);
        SourceConfig source = new SourceConfig(type, src.get(HOST), src.has(PORT) ? src.get(PORT) : type.defaultPort(), src.get(DATABASE),
                src.has(USER) ? src.get(USER) : type.defaultUser(), src.get(PASSWORD), orDefault(src.get(SLOT), defaultId),
                orDefault(src.get(PUBLICATION), defaultId), src.get(SSL_MODE), src.get(DEBEZIUM), serverId);

        TableSelection tables = new TableSelection(List.of("*.*"), List.of());
        if (top.has(TABLES)) {
            Section t = new Section("tables", top.raw(TABLES), TABLE_KEYS);
            tables = new TableSelection(t.get(INCLUDE), t.get(EXCLUDE));
            if (tables.include().isEmpty()) {
                throw new ConfigException("tables.include: empty; name at least one table pattern, e.g. [public.*]");
            }
        }

        JsonNode targetsNode = top.raw(TARGETS);
        if (!targetsNode.isArray() || targetsNode.isEmpty()) {
            throw new ConfigException("targets: '" + Values.show(targetsNode)
                    + "' is not a non-empty list; expected e.g. [{type: lake, uri: ./lake}]");
        }
        List<TargetConfig> targets = new ArrayList<>();
        for (int i = 0; i < targetsNode.size(); i++) {
            String path = "targets[" + i + "]";
            JsonNode node = targetsNode.get(i);
            boolean jdbc = node != null && node.isObject() && "jdbc".equals(node.path("type").asText());
            Section t = new Section(path, node, jdbc ? JDBC_TARGET_KEYS : TARGET_KEYS);
            TargetConfig.Flush flush = TargetConfig.Flush.DEFAULT;
            if (t.has(FLUSH)) {
                Section f = new Section(path + ".flush", t.raw(FLUSH), FLUSH_KEYS);
                flush = new TargetConfig.Flush(f.get(INTERVAL), f.get(ROWS), f.get(BYTES));
            }
            if (jdbc) {
                targets.add(TargetConfig.jdbc(new JdbcTarget(t.get(JDBC_URL), t.get(JDBC_USER), t.get(JDBC_PASSWORD), t.get(JDBC_SCHEMA),
                        t.get(TABLE_PREP), t.get(IDENTIFIER_CASE), t.get(ENUM_MODE)), flush));
                continue;
            }
            String uri = t.get(URI);
            io.dataflow.storage.S3Settings s3 = io.dataflow.storage.S3Settings.DEFAULT;
            if (uri.startsWith("s3://")) {
                if (!uri.matches("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?")) {
                    throw new ConfigException(path + ".uri: '" + uri + "' is not a valid S3 location; expected s3://bucket/prefix");
                }
                if (t.has(S3)) {
                    Section x = new Section(path + ".s3", t.raw(S3), S3_KEYS);
                    s3 = new io.dataflow.storage.S3Settings(x.get(S3_REGION), x.get(S3_ENDPOINT), x.get(S3_PATH_STYLE),
                            x.get(S3_ACCESS_KEY), x.get(S3_SECRET_KEY), x.get(S3_SSE), x.get(S3_KMS_KEY), x.get(S3_STORAGE_CLASS),
                            x.get(S3_TAGS), x.get(S3_PART_SIZE));
                    if (s3.accessKeyId().isEmpty() != s3.secretAccessKey().isEmpty()) {
                        throw new ConfigException(path + ".s3: access-key-id and secret-access-key go together; set both or neither");
                    }
                    if (!s3.kmsKeyId().isEmpty() && !s3.sse().equals("aws:kms")) {
                        throw new ConfigException(path + ".s3.kms-key-id: set, but sse is '" + s3.sse() + "'; use sse: aws:kms");
                    }
                }
            } else {
                try {
                    io.dataflow.storage.ObjectStores.localPath(uri);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(path + ".uri: " + e.getMessage());
                }
                if (t.has(S3)) {
                    throw new ConfigException(path + ".s3: only allowed with an s3:// uri, but uri is '" + uri + "'");
                }
            }
            targets.add(new TargetConfig(t.get(TARGET_TYPE), uri, flush, t.get(COMPRESSION), s3));
        }
        PipelineConfig.FullLoad fullLoad = PipelineConfig.FullLoad.defaultFor(type);
        if (top.has(FULL_LOAD)) {
            Section f = new Section("full-load", top.raw(FULL_LOAD), FULL_LOAD_KEYS);
            PipelineConfig.Engine engine = f.has(FL_ENGINE) ? f.get(FL_ENGINE) : fullLoad.engine();
            fullLoad = new PipelineConfig.FullLoad(engine, f.get(FL_THREADS), f.get(FL_CHUNK_ROWS));
        }
        List<ChangeType> transforms = new ArrayList<>();
        if (top.has(TRANSFORM)) {
            JsonNode list = top.raw(TRANSFORM);
            if (!list.isArray()) {
                throw new ConfigException("transform: '" + Values.show(list) + "' is not a list; expected e.g. "
                        + "[{change-type: {table: shop.orders, column: note, to: text}}]");
            }
            for (int i = 0; i < list.size(); i++) {
                Section x = new Section("transform[" + i + "]", list.get(i), TRANSFORM_KEYS);
                Section ct = new Section("transform[" + i + "].change-type", x.raw(CHANGE_TYPE), CHANGE_TYPE_KEYS);
                transforms.add(new ChangeType(io.dataflow.api.TableId.parse(ct.get(CT_TABLE)), ct.get(CT_COLUMN), ct.get(CT_TO)));
            }
            if (targets.stream().noneMatch(t -> t.type() == TargetConfig.Type.JDBC)) {
                throw new ConfigException("transform: change-type applies to database targets, but no target has type: jdbc");
            }
        }
        return new PipelineConfig(name, source, tables, top.get(MODE), targets, fullLoad, transforms);
    }

    static String oneOf(String path, JsonNode v, String... allowed) {
        String s = Values.nonEmptyString(path, v);
        if (!List.of(allowed).contains(s)) {
            throw new ConfigException(path + ": '" + s + "' is not allowed; expected one of " + String.join(", ", allowed));
        }
        return s;
    }

    static String jdbcUrl(String path, JsonNode v) {
        String s = Values.nonEmptyString(path, v);
        if (!s.matches("(?i)jdbc:(postgresql|mariadb|mysql)://.+")) {
            throw new ConfigException(path + ": '" + s + "' is not a supported JDBC URL; expected jdbc:postgresql://host:5432/db, "
                    + "jdbc:mariadb://host:3306/db or jdbc:mysql://host:3306/db");
        }
        return s;
    }

    static String tableName(String path, JsonNode v) {
        String s = Values.nonEmptyString(path, v);
        try {
            io.dataflow.api.TableId.parse(s);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ": '" + s + "' is not schema.table");
        }
        return s;
    }

    static String sqlType(String path, JsonNode v) {
        String s = Values.nonEmptyString(path, v);
        if (!s.matches("[A-Za-z][A-Za-z0-9_ ]*(\\(\\s*\\d+\\s*(,\\s*\\d+\\s*)?\\))?( ?[A-Za-z ]+)?(\\[])?")) {
            throw new ConfigException(path + ": '" + s + "' does not look like a SQL type; expected e.g. text, varchar(100), numeric(12,2), interval");
        }
        return s;
    }

    private static String orDefault(String v, String d) {
        return v == null ? d : v;
    }

    private static JsonNode resolveReferences(String path, JsonNode node, References refs) {
        if (node.isTextual()) {
            return TextNode.valueOf(refs.resolve(Section.label(path), node.asText()));
        }
        if (node.isObject()) {
            ObjectNode obj = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(resolveReferences(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), refs));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, resolveReferences(path + "[" + i + "]", node.get(i), refs));
            }
        }
        return node;
    }

    static String pipelineName(String path, JsonNode v) {
        String s = Values.nonEmptyString(path, v);
        if (!s.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,62}")) {
            throw new ConfigException(path + ": '" + s + "' is not allowed; use 1-63 letters, digits, '_' or '-', starting with a letter or digit");
        }
        return s;
    }

    static int threads(String path, JsonNode v) {
        int n = Values.integer(path, v);
        if (n < 0 || n > 64) {
            throw new ConfigException(path + ": '" + Values.show(v) + "' is not allowed; expected 0 (one per CPU core) to 64");
        }
        return n;
    }

    static String url(String path, JsonNode v) {
        String s = Values.nonEmptyString(path, v);
        if (!s.matches("https?://[^/\\s]+(/.*)?")) {
            throw new ConfigException(path + ": '" + s + "' is not an http(s) URL; expected e.g. http://127.0.0.1:9000");
        }
        return s;
    }

    static String sse(String path, JsonNode v) {
        String s = Values.string(path, v).toLowerCase(java.util.Locale.ROOT);
        if (!List.of("aes256", "aws:kms").contains(s)) {
            throw new ConfigException(path + ": '" + Values.show(v) + "' is not allowed; expected aes256 or aws:kms");
        }
        return s;
    }

    static String storageClass(String path, JsonNode v) {
        String s = Values.nonEmptyString(path, v).toUpperCase(java.util.Locale.ROOT);
        List<String> allowed = List.of("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
                "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR", "EXPRESS_ONEZONE");
        if (!allowed.contains(s)) {
            throw new ConfigException(path + ": '" + Values.show(v) + "' is not an S3 storage class; expected one of " + String.join(", ", allowed));
        }
        return s;
    }

    static long partSize(String path, JsonNode v) {
        long n = Values.size(path, v);
        if (n < io.dataflow.storage.S3Settings.MIN_PART_SIZE) {
            throw new ConfigException(path + ": '" + Values.show(v) + "' is below S3's minimum part size of 5MB");
        }
        return n;
    }

    static String identifier(String path, JsonNode v) {
        String s = Values.nonEmptyString(path, v);
        if (!s.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new ConfigException(path + ": '" + s + "' is not allowed; use 1-63 lower-case letters, digits or '_'");
        }
        return s;
    }

    static String sslMode(String path, JsonNode v) {
        String s = Values.string(path, v);
        if (!List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full").contains(s)) {
            throw new ConfigException(path + ": '" + s + "' is not allowed; expected one of disable, allow, prefer, require, verify-ca, verify-full");
        }
        return s;
    }

    static Map<String, String> stringMap(String path, JsonNode v) {
        if (!v.isObject()) {
            throw new ConfigException(path + ": '" + Values.show(v) + "' is not a mapping of property names to values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        v.fields().forEachRemaining(e -> out.put(e.getKey(), Values.string(path + "." + e.getKey(), e.getValue())));
        return out;
    }

    static List<String> rules(String path, JsonNode v) {
        List<String> rules = Values.stringList(path, v);
        for (int i = 0; i < rules.size(); i++) {
            TableSelection.validate(path + "[" + i + "]", rules.get(i));
        }
        return rules;
    }

    /** The pipeline file's keys as a Markdown reference, generated from the declarations above. */
    public static String reference() {
        StringBuilder md = new StringBuilder();
        section(md, "(top level)", TOP);
        section(md, "source", SOURCE_KEYS);
        section(md, "tables", TABLE_KEYS);
        section(md, "targets[]", TARGET_KEYS);
        section(md, "targets[].flush", FLUSH_KEYS);
        section(md, "targets[].s3", S3_KEYS);
        section(md, "targets[] with type: jdbc", JDBC_TARGET_KEYS);
        section(md, "transform[].change-type", CHANGE_TYPE_KEYS);
        section(md, "full-load", FULL_LOAD_KEYS);
        return md.toString();
    }

    private static void section(StringBuilder md, String title, List<Key<?>> keys) {
        md.append("### ").append(title).append("\n\n| key | type | default | meaning |\n|---|---|---|---|\n");
        for (Key<?> k : keys) {
            Object d = k.defaultValue();
            String shown = k.isRequired() ? "required" : d == null ? "" : d instanceof Enum<?> e ? Values.spell(e)
                    : d instanceof Duration dur ? dur.toMillis() + "ms" : d.toString();
            md.append("| `").append(k.name()).append("` | ").append(k.type().replace("|", "\\|")).append(" | ").append(shown)
                    .append(" | ").append(k.doc()).append(" |\n");
        }
        md.append('\n');
    }
}
