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
    static final List<Key<?>> TOP = List.of(NAME, SOURCE, TABLES, MODE, TARGETS);

    // --- source
    static final Key<SourceConfig.Type> SOURCE_TYPE = Key.required("type", "postgres",
            (p, v) -> Values.choice(p, v, SourceConfig.Type.class), "the source engine");
    static final Key<String> HOST = Key.optional("host", "string", Values::nonEmptyString, "127.0.0.1", "host name or address");
    static final Key<Integer> PORT = Key.optional("port", "integer", Values::port, 5432, "TCP port");
    static final Key<String> DATABASE = Key.required("database", "string", Values::nonEmptyString, "the database to replicate");
    static final Key<String> USER = Key.optional("user", "string", Values::nonEmptyString, "postgres", "user name");
    static final Key<String> PASSWORD = Key.optional("password", "string", Values::string, "",
            "password; use ${env:NAME} or ${file:PATH} to keep it out of the file");
    static final Key<String> SLOT = Key.optional("slot", "string", PipelineConfigReader::identifier, null,
            "replication slot (default: dataflow_<name>)");
    static final Key<String> PUBLICATION = Key.optional("publication", "string", PipelineConfigReader::identifier, null,
            "publication (default: dataflow_<name>)");
    static final Key<String> SSL_MODE = Key.optional("ssl-mode", "disable | allow | prefer | require | verify-ca | verify-full",
            PipelineConfigReader::sslMode, "prefer", "the driver's sslmode");
    static final Key<Map<String, String>> DEBEZIUM = Key.optional("debezium", "mapping", PipelineConfigReader::stringMap, Map.of(),
            "extra Debezium connector properties, passed through as given (advanced)");
    static final List<Key<?>> SOURCE_KEYS = List.of(SOURCE_TYPE, HOST, PORT, DATABASE, USER, PASSWORD, SLOT, PUBLICATION, SSL_MODE, DEBEZIUM);

    // --- tables
    static final Key<List<String>> INCLUDE = Key.optional("include", "list of schema.table patterns", PipelineConfigReader::rules,
            List.of("*.*"), "tables to move; * and ? wildcards");
    static final Key<List<String>> EXCLUDE = Key.optional("exclude", "list of schema.table patterns", PipelineConfigReader::rules,
            List.of(), "tables to leave out, even when included");
    static final List<Key<?>> TABLE_KEYS = List.of(INCLUDE, EXCLUDE);

    // --- target
    static final Key<TargetConfig.Type> TARGET_TYPE = Key.required("type", "lake",
            (p, v) -> Values.choice(p, v, TargetConfig.Type.class), "the kind of target");
    static final Key<String> URI = Key.required("uri", "string", Values::nonEmptyString,
            "where the lake lives: a folder path or file:///absolute/path");
    static final Key<JsonNode> FLUSH = Key.optional("flush", "mapping", (p, v) -> v, null,
            "when staged changes are written out (default interval 500ms, rows 100000, bytes 64MB)");
    static final Key<TargetConfig.Compression> COMPRESSION = Key.optional("compression", "zstd | snappy | uncompressed",
            (p, v) -> Values.choice(p, v, TargetConfig.Compression.class), TargetConfig.Compression.ZSTD, "Parquet compression");
    static final List<Key<?>> TARGET_KEYS = List.of(TARGET_TYPE, URI, FLUSH, COMPRESSION);

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
        SourceConfig source = new SourceConfig(src.get(SOURCE_TYPE), src.get(HOST), src.get(PORT), src.get(DATABASE),
                src.get(USER), src.get(PASSWORD), orDefault(src.get(SLOT), defaultId), orDefault(src.get(PUBLICATION), defaultId),
                src.get(SSL_MODE), src.get(DEBEZIUM));

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
            Section t = new Section(path, targetsNode.get(i), TARGET_KEYS);
            TargetConfig.Flush flush = TargetConfig.Flush.DEFAULT;
            if (t.has(FLUSH)) {
                Section f = new Section(path + ".flush", t.raw(FLUSH), FLUSH_KEYS);
                flush = new TargetConfig.Flush(f.get(INTERVAL), f.get(ROWS), f.get(BYTES));
            }
            String uri = t.get(URI);
            try {
                io.dataflow.storage.ObjectStores.localPath(uri);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(path + ".uri: " + e.getMessage());
            }
            targets.add(new TargetConfig(t.get(TARGET_TYPE), uri, flush, t.get(COMPRESSION)));
        }
        return new PipelineConfig(name, source, tables, top.get(MODE), targets);
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
