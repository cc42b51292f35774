package io.dataflow.config;

import com.fasterxml.jackson.core.StreamReadFeature;
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
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
            "which tables move (default: every table of the source database: of every non-system schema for postgres, "
                    + "oracle and sqlserver; database.* for mariadb, mysql and mongodb)");
    static final Key<Mode> MODE = Key.optional("mode", "full-load | cdc | full-load-and-cdc",
            (p, v) -> Values.choice(p, v, Mode.class), Mode.FULL_LOAD_AND_CDC,
            "full-load copies and exits; cdc streams changes from now; full-load-and-cdc does both");
    static final Key<JsonNode> TARGETS = Key.required("targets", "list", (p, v) -> v, "where changes go");
    static final Key<JsonNode> FULL_LOAD = Key.optional("full-load", "mapping", (p, v) -> v, null,
            "how the full load reads (default: engine parallel, a thread per CPU core (2-8), " + PipelineConfig.FullLoad.DEFAULT.chunkRows()
                    + " rows per chunk)");
    static final Key<JsonNode> TRANSFORM = Key.optional("transform", "list", (p, v) -> v, null,
            "table rules, applied in order to the full load and every change: rename, lowercase, uppercase, add-prefix, "
                    + "remove-prefix, replace-prefix, add-suffix, remove-suffix, replace-suffix, remove-column, add-column, define-key, "
                    + "filter, mask, change-type (see the transform[] sections below and README, Table rules)");
    static final Key<String> VALIDATE = Key.optional("validate", "none | after-load", (p, v) -> Values.oneOf(p, v, "none", "after-load"), "none",
            "after-load (mode full-load): end the run by comparing every target with the source, row for row (as dataflow validate)");
    static final Key<JsonNode> HTTP = Key.optional("http", "mapping", (p, v) -> v, null,
            "run's status page (/), /health, /metrics and /status; run --http-port overrides (off unless set)");
    static final Key<PipelineConfig.Ddl> DDL = Key.optional("ddl", "apply | apply-unsafe | ignore | stop",
            (p, v) -> Values.choice(p, v, PipelineConfig.Ddl.class), PipelineConfig.Ddl.APPLY,
            "what database targets do when a table's columns change in the source: apply (added, dropped and renamed columns, "
                    + "widening type changes; narrowing ones are reported and left), apply-unsafe (narrowing ones too), ignore, stop");
    static final List<Key<?>> TOP = List.of(NAME, SOURCE, TABLES, MODE, TARGETS, FULL_LOAD, TRANSFORM, VALIDATE, HTTP, DDL);

    // --- http
    static final Key<Integer> HTTP_PORT = Key.required("port", "integer", Values::port, "the TCP port to serve on");
    static final Key<String> HTTP_BIND = Key.optional("bind", "string", Values::nonEmptyString, "0.0.0.0",
            "the address to listen on (0.0.0.0: every interface; 127.0.0.1: this host only); the endpoints carry counters, never a secret");
    static final List<Key<?>> HTTP_KEYS = List.of(HTTP_PORT, HTTP_BIND);

    // --- transform
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
    static final Key<Long> FL_CHUNK_ROWS = Key.optional("chunk-rows", "integer", Values::positiveLong, PipelineConfig.FullLoad.DEFAULT.chunkRows(),
            "rows per chunk, from table statistics; also the unit of resume after a crash");
    static final List<Key<?>> FULL_LOAD_KEYS = List.of(FL_ENGINE, FL_THREADS, FL_CHUNK_ROWS);

    // --- source
    static final Key<SourceConfig.Type> SOURCE_TYPE = Key.required("type", "postgres | mariadb | mysql | oracle | sqlserver | mongodb",
            (p, v) -> Values.choice(p, v, SourceConfig.Type.class), "the source engine");
    static final Key<String> HOST = Key.optional("host", "string", Values::nonEmptyString, "127.0.0.1", "host name or address");
    static final Key<Integer> PORT = Key.optional("port", "integer", Values::port, null, "TCP port (default " + defaults(SourceConfig.Type::defaultPort) + ")");
    static final Key<String> DATABASE = Key.required("database", "string", Values::nonEmptyString, "the database to replicate");
    static final Key<String> USER = Key.optional("user", "string", Values::nonEmptyString, null, "user name (default " + defaults(SourceConfig.Type::defaultUser) + ")");
    static final Key<String> PASSWORD = Key.optional("password", "string", Values::string, "",
            "password; use ${env:NAME} or ${file:PATH} to keep it out of the file");
    static final Key<String> SSL_MODE = Key.optional("ssl-mode", "disable | allow | prefer | require | verify-ca | verify-full",
            PipelineConfigReader::sslMode, "prefer", "the driver's sslmode");
    static final Key<String> SSL_ROOT_CERT = Key.optional("ssl-root-cert", "file", Values::nonEmptyString, null,
            "postgres, mariadb: a PEM file of the CA(s) that signed the server's certificate, checked with ssl-mode verify-ca or "
                    + "verify-full (relative to the pipeline file)");
    static final Key<Map<String, String>> DEBEZIUM = Key.optional("debezium", "mapping", Values::stringMap, Map.of(),
            "extra Debezium connector properties, passed through as given (advanced)");
    /** The keys every source has; each family adds its own ({@link SourceKeys}). */
    static final Key<String> SIGNAL_TABLE = Key.optional("signal-table", "table | schema.table | none", Values::nonEmptyString, "dataflow_signal",
            "postgres, mariadb, mysql: the table a running pipeline takes signals from (dataflow reload, new tables), created by run when "
                    + "missing, in public (PostgreSQL) or the source database unless a schema is given; none: no signals, no reload");
    static final List<Key<?>> SOURCE_KEYS = List.of(SOURCE_TYPE, HOST, PORT, DATABASE, USER, PASSWORD, SSL_MODE, SSL_ROOT_CERT, SIGNAL_TABLE,
            DEBEZIUM);

    // --- tables
    static final Key<List<String>> INCLUDE = Key.optional("include", "list of schema.table patterns", PipelineConfigReader::rules,
            List.of("*.*"), "tables to move; * and ? wildcards (mariadb, mysql, mongodb: default database.*)");
    static final Key<List<String>> EXCLUDE = Key.optional("exclude", "list of schema.table patterns", PipelineConfigReader::rules,
            List.of(), "tables to leave out, even when included");
    static final Key<String> DMS_MAPPINGS = Key.optional("dms-table-mappings", "file", Values::nonEmptyString, null,
            "an AWS DMS table-mapping JSON file (relative to the pipeline file): its selection rules choose the tables (instead of "
                    + "include/exclude), its transformation rules apply before the transform list (see README, Coming from AWS DMS)");
    static final List<Key<?>> TABLE_KEYS = List.of(INCLUDE, EXCLUDE, DMS_MAPPINGS);

    // --- target: the type and the flush triggers; each kind of target declares its other keys (TargetKeys)
    public static final Key<TargetConfig.Type> TARGET_TYPE = Key.required("type", "lake | jdbc",
            (p, v) -> Values.choice(p, v, TargetConfig.Type.class), "the kind of target");
    public static final Key<JsonNode> FLUSH = Key.optional("flush", "mapping", (p, v) -> v, null,
            "when staged changes are written out (default interval " + TargetConfig.Flush.DEFAULT.interval().toMillis() + "ms, rows "
                    + TargetConfig.Flush.DEFAULT.rows() + ", bytes " + (TargetConfig.Flush.DEFAULT.bytes() >> 20) + "MB)");

    // --- flush
    static final Key<Duration> INTERVAL = Key.optional("interval", "duration", Values::duration,
            TargetConfig.Flush.DEFAULT.interval(), "flush when the oldest staged change is this old");
    static final Key<Long> ROWS = Key.optional("rows", "integer", Values::positiveLong, TargetConfig.Flush.DEFAULT.rows(),
            "flush when this many rows are staged");
    static final Key<Long> BYTES = Key.optional("bytes", "size", Values::size, TargetConfig.Flush.DEFAULT.bytes(),
            "flush when about this many bytes are staged");
    static final List<Key<?>> FLUSH_KEYS = List.of(INTERVAL, ROWS, BYTES);

    private final Function<String, String> env;
    /** The kinds of target whose modules are on the class path, in {@link TargetConfig.Type} order. */
    private final Map<TargetConfig.Type, TargetKeys> targetKinds = targetKinds();
    /** The families of sources whose modules are on the class path. */
    private final List<SourceKeys> sourceKinds = sourceKinds();

    public PipelineConfigReader(Function<String, String> env) {
        this.env = env;
    }

    private static List<SourceKeys> sourceKinds() {
        List<SourceKeys> kinds = new ArrayList<>();
        kinds.addAll(io.dataflow.engine.Providers.load(SourceKeys.class));
        kinds.sort(java.util.Comparator.comparing(k -> k.types().stream().mapToInt(Enum::ordinal).min().orElse(0)));
        return kinds;
    }

    private static Map<TargetConfig.Type, TargetKeys> targetKinds() {
        Map<TargetConfig.Type, TargetKeys> kinds = new EnumMap<>(TargetConfig.Type.class);
        io.dataflow.engine.Providers.load(TargetKeys.class).forEach(k -> kinds.put(k.type(), k));
        if (kinds.isEmpty()) {
            throw new IllegalStateException("no target module on the class path (META-INF/services/" + TargetKeys.class.getName() + ")");
        }
        return kinds;
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
            root = new ObjectMapper(YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()).readTree(yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new ConfigException("pipeline file is not valid YAML" + where + ": " + withoutSnippets(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new ConfigException("pipeline file is empty; expected keys name, source, tables, mode, targets");
        }
        YamlAliases.refuse(yaml);
        List<String> secrets = new ArrayList<>();
        root = resolveReferences("", root, new References(env, baseDir), secrets);
        try {
            return read(root, baseDir);
        } catch (ConfigException e) {
            throw scrubbed(e, secrets);
        }
    }

    /**
     * The YAML parser's message without the lines of the file it quotes (each followed by a caret line): those lines may
     * hold a password written in the file.
     */
    static String withoutSnippets(String message) {
        String[] lines = message.split("\\R");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            boolean caret = lines[i].trim().equals("^");
            boolean quoted = i + 1 < lines.length && lines[i + 1].trim().equals("^");
            if (!caret && !quoted) {
                out.append(lines[i]).append(' ');
            }
        }
        return out.toString().replaceAll("\\s+", " ").replaceAll(" :", ":").trim();
    }

    /**
     * The same error with every secret value of the file masked where the message quotes a value ({@code '...'}): a
     * defence behind {@link Values#show}, for messages that quote a value another way (a URI, a table rule). Secrets
     * shorter than 4 characters are left alone, as masking them would garble the message more than it hides.
     */
    private static final Pattern QUOTED = Pattern.compile("'[^']*'");

    private static ConfigException scrubbed(ConfigException e, List<String> secrets) {
        Matcher quoted = QUOTED.matcher(e.getMessage());
        StringBuilder out = new StringBuilder();
        while (quoted.find()) {
            String q = quoted.group();
            for (String secret : secrets) {
                if (secret.length() >= 4) {
                    q = q.replace(secret, "<hidden>");
                }
            }
            quoted.appendReplacement(out, Matcher.quoteReplacement(q));
        }
        quoted.appendTail(out);
        return out.toString().equals(e.getMessage()) ? e : new ConfigException(out.toString());
    }

    private PipelineConfig read(JsonNode root, Path baseDir) {
        Section top = new Section("", root, TOP);
        String name = top.get(NAME);

        SourceConfig source = source(name, top.raw(SOURCE), baseDir);

        // MariaDB, MySQL and MongoDB name a table database.table: by default the source database's, not every database
        List<String> everything = source.type().binlog() || source.type() == SourceConfig.Type.MONGODB
                ? List.of(source.database() + ".*") : List.of("*.*");
        TableSelection tables = new TableSelection(everything, List.of());
        DmsTableMappings.Read dms = null;
        if (top.has(TABLES)) {
            Section t = new Section("tables", top.raw(TABLES), TABLE_KEYS);
            if (t.has(DMS_MAPPINGS)) {
                if (t.has(INCLUDE) || t.has(EXCLUDE)) {
                    throw new ConfigException("tables: give dms-table-mappings or include/exclude, not both (the mapping's selection rules choose the tables)");
                }
                Path file = baseDir.resolve(t.get(DMS_MAPPINGS));
                dms = DmsTableMappings.read(file, "tables.dms-table-mappings");
                tables = dms.tables();
            } else {
                tables = new TableSelection(t.has(INCLUDE) ? t.get(INCLUDE) : everything, t.get(EXCLUDE));
            }
            if (tables.include().isEmpty()) {
                throw new ConfigException("tables.include: empty; name at least one table pattern, e.g. [public.*]");
            }
        }
        // the signal table carries requests to the pipeline, it is never replicated
        Optional<io.dataflow.api.TableId> signal = source.signalTable();
        if (signal.isPresent() && signal.get().table().chars().noneMatch(ch -> ch == '*' || ch == '?')
                && !tables.exclude().contains(signal.get().schema() + "." + signal.get().table())) {
            List<String> exclude = new ArrayList<>(tables.exclude());
            exclude.add(signal.get().schema() + "." + signal.get().table());
            tables = new TableSelection(tables.include(), exclude);
        }

        JsonNode targetsNode = top.raw(TARGETS);
        if (!targetsNode.isArray() || targetsNode.isEmpty()) {
            throw new ConfigException("targets: " + Values.show("targets", targetsNode)
                    + " is not a non-empty list; expected e.g. [{type: lake, uri: ./lake}]");
        }
        List<TargetConfig> targets = new ArrayList<>();
        for (int i = 0; i < targetsNode.size(); i++) {
            TargetConfig t = target("targets[" + i + "]", targetsNode.get(i));
            for (int j = 0; j < targets.size(); j++) {
                if (sameLocation(targets.get(j), t)) {
                    throw new ConfigException("targets[" + i + "].uri: '" + t.uri() + "' is where targets[" + j + "] writes too; "
                            + "two targets in one place would write the same files, give each its own");
                }
            }
            targets.add(t);
        }
        PipelineConfig.FullLoad fullLoad = PipelineConfig.FullLoad.DEFAULT;
        if (top.has(FULL_LOAD)) {
            Section f = new Section("full-load", top.raw(FULL_LOAD), FULL_LOAD_KEYS);
            PipelineConfig.Engine engine = f.has(FL_ENGINE) ? f.get(FL_ENGINE) : fullLoad.engine();
            fullLoad = new PipelineConfig.FullLoad(engine, f.get(FL_THREADS), f.get(FL_CHUNK_ROWS));
        }
        List<ChangeType> transforms = new ArrayList<>();
        List<io.dataflow.transform.Rule> rules = new ArrayList<>();
        if (dms != null) {
            rules.addAll(dms.rules());
            transforms.addAll(dms.changeTypes());
        }
        if (top.has(TRANSFORM)) {
            TransformSection.Read read = TransformSection.read(top.raw(TRANSFORM));
            rules.addAll(read.rules());
            transforms.addAll(read.changeTypes());
        }
        if (!transforms.isEmpty() && targets.stream().noneMatch(t -> t.type() == TargetConfig.Type.JDBC)) {
            throw new ConfigException("transform: change-type applies to database targets, but no target has type: jdbc");
        }
        boolean validateAfterLoad = top.get(VALIDATE).equals("after-load");
        if (validateAfterLoad && top.get(MODE) != Mode.FULL_LOAD) {
            throw new ConfigException("validate: after-load needs mode: full-load (a pipeline that keeps streaming is validated with"
                    + " 'dataflow validate --continuous')");
        }
        PipelineConfig.Http http = PipelineConfig.Http.NONE;
        if (top.has(HTTP)) {
            Section h = new Section("http", top.raw(HTTP), HTTP_KEYS);
            http = new PipelineConfig.Http(h.get(HTTP_PORT), h.get(HTTP_BIND));
        }
        return new PipelineConfig(name, source, tables, top.get(MODE), targets, fullLoad, transforms, validateAfterLoad, http, top.get(DDL),
                rules);
    }

    /** True when two targets name the same place (a local folder however it is spelled, or the same URI). */
    private static boolean sameLocation(TargetConfig a, TargetConfig b) {
        if (a.type() != b.type()) {
            return false;
        }
        if (a.type() == TargetConfig.Type.LAKE && !a.isS3() && !b.isS3()) {
            return localFolder(a.uri()).equals(localFolder(b.uri()));
        }
        return a.uri().replaceAll("/+$", "").equals(b.uri().replaceAll("/+$", ""));
    }

    private static Path localFolder(String uri) {
        String path = uri.startsWith("file://") ? java.net.URI.create(uri).getPath() : uri.replaceFirst("^file:", "");
        return Path.of(path).toAbsolutePath().normalize();
    }

    /**
     * The source, read by the common keys and the keys its family declares; defaults: the engine's port and user,
     * {@code dataflow_<name>} for slot and publication, a replica server id derived from the name.
     */
    private SourceConfig source(String name, JsonNode node, Path baseDir) {
        JsonNode typeNode = node != null && node.isObject() ? node.get("type") : null;
        SourceKeys family = typeNode == null ? null : sourceKinds.stream()
                .filter(k -> k.types().stream().anyMatch(t -> Values.spell(t).equals(typeNode.asText()))).findFirst().orElse(null);
        List<Key<?>> keys = new ArrayList<>(SOURCE_KEYS);
        if (family != null) {
            keys.addAll(family.keys());
        }
        Section src = new Section("source", node, keys);
        SourceConfig.Type type = src.get(SOURCE_TYPE);
        if (family == null) {
            throw new ConfigException("source.type: '" + Values.spell(type) + "' is not available in this build (no module declares its keys)");
        }
        String defaultId = "dataflow_" + name.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        long serverId = 100_000L + Math.floorMod(name.hashCode(), 1_000_000_000);
        SourceConfig common = new SourceConfig(type, src.get(HOST), src.has(PORT) ? src.get(PORT) : type.defaultPort(), src.get(DATABASE),
                src.has(USER) ? src.get(USER) : type.defaultUser(), src.get(PASSWORD), defaultId, defaultId, src.get(SSL_MODE),
                src.get(DEBEZIUM), serverId);
        if (src.has(SIGNAL_TABLE)) {
            String signal = src.get(SIGNAL_TABLE);
            if (!signal.equals("none") && signal.split("\\.", -1).length > 2) {
                throw new ConfigException("source.signal-table: '" + signal + "' is not table or schema.table");
            }
            common = common.withOptions(Map.of("signal-table", signal));
        }
        if (src.has(SSL_ROOT_CERT)) {
            common = common.withOptions(Map.of("ssl-root-cert", sslRootCert(src.get(SSL_ROOT_CERT), type, baseDir)));
        }
        return family.read(src, common);
    }

    /** The CA file, resolved against the pipeline file's folder; it must be readable, and the engine must take one. */
    private static String sslRootCert(String file, SourceConfig.Type type, Path baseDir) {
        if (type != SourceConfig.Type.POSTGRES && type != SourceConfig.Type.MARIADB) {
            throw new ConfigException("source.ssl-root-cert: not supported for " + Values.spell(type) + " sources yet (postgres and "
                    + "mariadb take it); give the driver its trust settings through source.debezium");
        }
        Path p = baseDir == null ? Path.of(file) : baseDir.resolve(file);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new ConfigException("source.ssl-root-cert: '" + p + "' is not a readable file; expected the PEM file of the CA that "
                    + "signed the server's certificate");
        }
        return p.toAbsolutePath().normalize().toString();
    }

    /**
     * A target given outside a pipeline file (the Kafka Connect sink's settings, as a mapping of the same keys), read and
     * checked as a {@code targets[]} entry is: references resolved, secrets kept out of every message.
     */
    public TargetConfig target(JsonNode node, Path baseDir) {
        List<String> secrets = new ArrayList<>();
        JsonNode resolved = resolveReferences("", node, new References(env, baseDir), secrets);
        try {
            return target("", resolved);
        } catch (ConfigException e) {
            throw scrubbed(e, secrets);
        }
    }

    /** One {@code targets[]} entry, read by the keys its type declares. */
    private TargetConfig target(String path, JsonNode node) {
        String typeText = node != null && node.isObject() ? node.path("type").asText() : "";
        TargetKeys kind = targetKinds.values().stream().filter(k -> Values.spell(k.type()).equals(typeText)).findFirst()
                .orElse(targetKinds.values().iterator().next()); // an entry without a valid type is read as the first kind's
        Section t = new Section(path, node, kind.keys());
        TargetConfig.Type type = t.get(TARGET_TYPE);
        if (!targetKinds.containsKey(type)) {
            throw new ConfigException(path + ".type: '" + Values.spell(type) + "' is not available in this build (no module declares its keys)");
        }
        TargetConfig.Flush flush = TargetConfig.Flush.DEFAULT;
        if (t.has(FLUSH)) {
            Section f = new Section(t.child("flush"), t.raw(FLUSH), FLUSH_KEYS);
            flush = new TargetConfig.Flush(f.get(INTERVAL), f.get(ROWS), f.get(BYTES));
        }
        return kind.read(path, t, flush);
    }

    /** A per-engine default for the reference, e.g. {@code 5432 for postgres; 3306 for mariadb, mysql}. */
    private static String defaults(Function<SourceConfig.Type, Object> value) {
        Map<Object, List<String>> byValue = new LinkedHashMap<>();
        for (SourceConfig.Type t : SourceConfig.Type.values()) {
            byValue.computeIfAbsent(value.apply(t), v -> new ArrayList<>()).add(Values.spell(t));
        }
        List<String> parts = new ArrayList<>();
        byValue.forEach((v, types) -> parts.add(v + (parts.isEmpty() ? "" : " for " + String.join(", ", types))));
        return String.join("; ", parts);
    }

    static String tableName(String path, JsonNode v) {
        String s = Values.nonEmptyString(path, v);
        try {
            io.dataflow.api.TableId.parse(s);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ": " + Values.show(path, v) + " is not schema.table");
        }
        return s;
    }

    static String sqlType(String path, JsonNode v) {
        return Values.matching(path, v, "[A-Za-z][A-Za-z0-9_ ]*(\\(\\s*\\d+\\s*(,\\s*\\d+\\s*)?\\))?( ?[A-Za-z ]+)?(\\[])?",
                "does not look like a SQL type; expected e.g. text, varchar(100), numeric(12,2), interval");
    }

    /**
     * Resolves references in every text value. A value that came from a reference, or that stands under a
     * secret-bearing key, becomes a {@link SecretText} (never printed by {@link Values#show}) and is remembered in
     * {@code secrets}, so that no message can carry it.
     */
    private static JsonNode resolveReferences(String path, JsonNode node, References refs, List<String> secrets) {
        if (node.isTextual()) {
            String resolved = refs.resolve(Section.label(path), node.asText());
            if (!resolved.equals(node.asText()) || Values.isSecretPath(path)) {
                secrets.add(resolved);
                return new SecretText(resolved);
            }
            return TextNode.valueOf(resolved);
        }
        if (node.isObject()) {
            ObjectNode obj = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(resolveReferences(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), refs, secrets));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, resolveReferences(path + "[" + i + "]", node.get(i), refs, secrets));
            }
        }
        return node;
    }

    static String pipelineName(String path, JsonNode v) {
        return Values.matching(path, v, "[A-Za-z0-9][A-Za-z0-9_-]{0,62}",
                "is not allowed; use 1-63 letters, digits, '_' or '-', starting with a letter or digit");
    }

    static int threads(String path, JsonNode v) {
        int n = Values.integer(path, v);
        if (n < 0 || n > 64) {
            throw new ConfigException(path + ": " + Values.show(path, v) + " is not allowed; expected 0 (one per CPU core) to 64");
        }
        return n;
    }

    static String sslMode(String path, JsonNode v) {
        return Values.oneOf(path, v, "disable", "allow", "prefer", "require", "verify-ca", "verify-full");
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
        for (SourceKeys kind : sourceKinds()) {
            section(md, "source with type: " + kind.types().stream().sorted().map(Values::spell).collect(java.util.stream.Collectors.joining(", ")),
                    kind.keys());
        }
        section(md, "tables", TABLE_KEYS);
        for (TargetKeys kind : targetKinds().values()) {
            kind.reference().forEach((title, keys) -> section(md, title, keys));
        }
        section(md, "targets[].flush", FLUSH_KEYS);
        TransformSection.KINDS.forEach((kind, keys) -> section(md, "transform[]." + kind, keys));
        section(md, "full-load", FULL_LOAD_KEYS);
        section(md, "http", HTTP_KEYS);
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
