package io.dataflow.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflow.config.ConfigException;
import io.dataflow.config.PipelineConfigReader;
import io.dataflow.config.TargetConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The connector's settings: {@code dataflow.name} (the pipeline name), {@code lake.uri}, and a lake target's other keys
 * of the pipeline file under the same dotted names ({@code flush.interval}, {@code s3.endpoint}, {@code compression},
 * ..., {@code processed.enabled}, {@code processed.catalog.type}; {@code processed.partition-by.<schema.table>} takes
 * the transforms separated by commas). They are read by the pipeline file's own reader, so the same checks and messages
 * apply; Kafka Connect's own settings (converters, topics, error handling, ...) are left to Connect.
 */
final class LakeSinkSettings {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LakeSinkSettings.class);
    static final String NAME = "dataflow.name";
    static final String URI = "lake.uri";
    /** The prefixes (and whole keys) that belong to DataFlow: an unknown key under them is an error, not ignored. */
    private static final List<String> OURS = List.of("dataflow.", "lake.", "flush.", "s3.", "processed.", "compression");
    private static final Set<String> CONNECT_KEYS = Set.of("name", "connector.class", "tasks.max", "topics", "topics.regex",
            "key.converter", "value.converter", "header.converter", "config.action.reload", "transforms", "predicates", "task.class");
    private static final List<String> CONNECT_PREFIXES = List.of("key.converter.", "value.converter.", "header.converter.", "errors.",
            "transforms.", "predicates.", "consumer.override.", "admin.override.", "producer.override.");

    static final ConfigDef CONFIG = new ConfigDef()
            .define(NAME, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH,
                    "the pipeline name: the raw zone is written under raw/<name>/ and the sink's state under _state/<name>/connect/")
            .define(URI, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH,
                    "where the lake lives: a folder path, file:///absolute/path, or s3://bucket/prefix")
            .define("compression", ConfigDef.Type.STRING, "zstd", ConfigDef.Importance.LOW, "Parquet compression: zstd | snappy | uncompressed")
            .define("flush.interval", ConfigDef.Type.STRING, null, ConfigDef.Importance.MEDIUM,
                    "publish the staged files when the oldest staged change is this old, e.g. 500ms, 10s, 1m (default "
                            + TargetConfig.Flush.DEFAULT.interval().toMillis() + "ms)")
            .define("flush.rows", ConfigDef.Type.STRING, null, ConfigDef.Importance.MEDIUM,
                    "publish when this many rows are staged (default " + TargetConfig.Flush.DEFAULT.rows() + ")")
            .define("flush.bytes", ConfigDef.Type.STRING, null, ConfigDef.Importance.LOW,
                    "publish when about this many bytes are staged, e.g. 64MB (default " + (TargetConfig.Flush.DEFAULT.bytes() >> 20) + "MB)")
            .define("s3.region", ConfigDef.Type.STRING, null, ConfigDef.Importance.MEDIUM, "AWS region of an s3:// lake")
            .define("s3.endpoint", ConfigDef.Type.STRING, null, ConfigDef.Importance.LOW, "endpoint of an S3-compatible store")
            .define("s3.path-style", ConfigDef.Type.STRING, null, ConfigDef.Importance.LOW, "path-style requests (true for most S3-compatible stores)")
            .define("s3.access-key-id", ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.LOW,
                    "static access key (default: the AWS credential chain, e.g. MSK Connect's service execution role)")
            .define("s3.secret-access-key", ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.LOW, "static secret key")
            .define("processed.enabled", ConfigDef.Type.STRING, null, ConfigDef.Importance.MEDIUM,
                    "true: also keep the processed zone, one current-state Iceberg table per source table (default false)")
            .define("processed.commit-interval", ConfigDef.Type.STRING, null, ConfigDef.Importance.MEDIUM,
                    "commit each partition's staged changes to the processed tables this often, at a flush (default 30s)")
            .define("processed.catalog.type", ConfigDef.Type.STRING, null, ConfigDef.Importance.LOW, "lake (default) | glue | rest")
            .define("processed.catalog.uri", ConfigDef.Type.STRING, null, ConfigDef.Importance.LOW, "the REST catalog's URI")
            .define("processed.catalog.token", ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.LOW, "the REST catalog's bearer token")
            .define("processed.catalog.credential", ConfigDef.Type.PASSWORD, null, ConfigDef.Importance.LOW,
                    "the REST catalog's OAuth2 client credential (id:secret)");

    final String name;
    final TargetConfig target;

    private LakeSinkSettings(String name, TargetConfig target) {
        this.name = name;
        this.target = target;
    }

    /** Reads and checks the connector's properties; a {@link ConfigException} names the key at fault. */
    static LakeSinkSettings parse(Map<String, String> props) {
        ObjectNode target = JsonNodeFactory.instance.objectNode();
        target.put("type", "lake");
        String name = null;
        for (Map.Entry<String, String> e : new TreeMap<>(props).entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key.equals(NAME)) {
                name = value;
            } else if (key.equals(URI)) {
                target.put("uri", value);
            } else if (key.startsWith(PARTITION_BY)) {
                ObjectNode by = object(object(target, "processed"), "partition-by");
                by.set(key.substring(PARTITION_BY.length()), transforms(value));
            } else if (key.startsWith(CATALOG_PROPERTIES)) {
                object(object(object(target, "processed"), "catalog"), "properties").put(key.substring(CATALOG_PROPERTIES.length()), value);
            } else if (OURS.stream().anyMatch(key::startsWith)) {
                if (key.startsWith("dataflow.") || key.startsWith("lake.")) {
                    throw new ConfigException(key + ": unknown setting; the DataFlow lake sink takes " + NAME + ", " + URI
                            + ", compression, flush.*, s3.*, processed.*");
                }
                put(target, key, value);
            } else if (!connectOwn(key)) {
                LOG.warn("{}: not a setting of the DataFlow lake sink nor of Kafka Connect's that it knows; ignored", key);
            }
        }
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new ConfigException(NAME + ": " + (name == null ? "missing" : "'" + name + "' is not a pipeline name")
                    + "; expected letters, digits, '_', '.', '-' (the lake folder raw/<name>/)");
        }
        if (!target.has("uri")) {
            throw new ConfigException(URI + ": missing; expected a folder path, file:///absolute/path or s3://bucket/prefix");
        }
        try {
            return new LakeSinkSettings(name, new PipelineConfigReader().target(target, Path.of(".")));
        } catch (ConfigException e) {
            String m = e.getMessage();
            throw new ConfigException(m.startsWith("uri:") ? URI + m.substring(3) : m);
        }
    }

    private static final String PARTITION_BY = "processed.partition-by.";
    private static final String CATALOG_PROPERTIES = "processed.catalog.properties.";

    /** The child mapping {@code name} of {@code node}, made when absent. */
    private static ObjectNode object(ObjectNode node, String name) {
        return node.get(name) instanceof ObjectNode o ? o : node.putObject(name);
    }

    /** {@code day(created_at), bucket(16, id)}: transforms separated by commas outside parentheses. */
    static com.fasterxml.jackson.databind.node.ArrayNode transforms(String value) {
        com.fasterxml.jackson.databind.node.ArrayNode out = JsonNodeFactory.instance.arrayNode();
        int depth = 0;
        int from = 0;
        String v = value == null ? "" : value;
        for (int i = 0; i <= v.length(); i++) {
            char c = i < v.length() ? v.charAt(i) : ',';
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                String t = v.substring(from, i).trim();
                if (!t.isEmpty()) {
                    out.add(t);
                }
                from = i + 1;
            }
        }
        return out;
    }

    /** Keys Kafka Connect itself reads; neither ours nor errors. */
    static boolean connectOwn(String key) {
        return CONNECT_KEYS.contains(key) || CONNECT_PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** Puts {@code a.b.c = value} into the nested mapping, the value typed as YAML would type it (integer, boolean, text). */
    private static void put(ObjectNode root, String key, String value) {
        String[] parts = key.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (!(child instanceof ObjectNode)) {
                child = node.putObject(parts[i]);
            }
            node = (ObjectNode) child;
        }
        String leaf = parts[parts.length - 1];
        if (value == null) {
            node.putNull(leaf);
        } else if (value.matches("-?\\d{1,18}")) {
            long n = Long.parseLong(value);
            if (n == (int) n) {
                node.put(leaf, (int) n); // as YAML reads it: an int where it fits
            } else {
                node.put(leaf, n);
            }
        } else if (value.equals("true") || value.equals("false")) {
            node.put(leaf, Boolean.parseBoolean(value));
        } else {
            node.put(leaf, value);
        }
    }
}
