package io.dataflow.cli.cutover;

import io.dataflow.api.TableId;
import io.dataflow.config.JdbcTarget;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.convert.SchemaConverter;
import io.dataflow.convert.TargetTable;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reverse of a migration pipeline, for the weeks after a cutover: the new database (the pipeline's database
 * target) becomes the source, in mode cdc, and the old source becomes a database target whose tables are kept
 * ({@code table-prep: keep}), so every change made on the new database reaches the old one and a rollback is a
 * connection-string change. Table names map back through the forward conversion; passwords are never written, only
 * {@code ${env:...}} references to them.
 */
public final class FallbackPipeline {
    /** The environment variables the fallback file reads its passwords from. */
    public static final String SOURCE_PASSWORD_ENV = "DATAFLOW_FALLBACK_SOURCE_PASSWORD";
    public static final String TARGET_PASSWORD_ENV = "DATAFLOW_FALLBACK_TARGET_PASSWORD";

    /** The file, and what keeps it from being an exact reverse (empty when nothing). */
    public record Result(String yaml, List<String> problems) {}

    private FallbackPipeline() {}

    /**
     * @param pipeline   the forward pipeline
     * @param target     its database target that becomes the new primary
     * @param conversion how the forward pipeline converted the tables for that target
     */
    public static Result of(PipelineConfig pipeline, JdbcTarget target, SchemaConverter.Conversion conversion) {
        List<String> problems = new ArrayList<>();
        URI url = URI.create(target.url().substring("jdbc:".length()));
        String engine = target.engine();
        String database = url.getPath() == null ? "" : url.getPath().replaceFirst("^/", "");
        int port = url.getPort() > 0 ? url.getPort() : engine.equals("postgres") ? 5432 : 3306;
        String name = pipeline.name() + "-fallback";
        List<String> include = new ArrayList<>();
        String oldSchema = null;
        for (TargetTable t : conversion.tables()) {
            include.add(pattern(t.id()));
            if (!t.id().table().equals(t.source().table())) {
                problems.add("table " + t.source() + " is " + t.id() + " on the new database: the fallback would write " + t.id().table()
                        + " on the old one (renamed tables cannot be reversed yet); use identifier-case: preserve");
            }
            String schema = t.source().schema();
            if (oldSchema != null && !oldSchema.equals(schema)) {
                problems.add("the tables come from several schemas (" + oldSchema + ", " + schema + "): a fallback target writes to one; "
                        + "write one fallback pipeline per schema");
            }
            oldSchema = schema;
        }
        SourceConfig old = pipeline.source();
        StringBuilder y = new StringBuilder();
        y.append("# Fallback of pipeline '").append(pipeline.name()).append("', written by dataflow cutover --fallback.\n");
        y.append("# After the cutover it replicates every change made on the new database back to the old one, so a rollback is\n");
        y.append("# a connection-string change. Start it when the application switches: dataflow run --config <this file>\n");
        y.append("name: ").append(name).append('\n');
        y.append("source:\n");
        y.append("  type: ").append(engine).append('\n');
        y.append("  host: ").append(quote(url.getHost())).append('\n');
        y.append("  port: ").append(port).append('\n');
        y.append("  database: ").append(quote(database)).append('\n');
        y.append("  user: ").append(quote(target.user())).append('\n');
        if (!target.password().isEmpty()) {
            y.append("  password: ${env:").append(SOURCE_PASSWORD_ENV).append("}\n");
        }
        // the TLS the pipeline used to reach the new database, as the fallback's source settings
        java.util.Map<String, String> params = query(url.getRawQuery());
        String mode = params.getOrDefault(engine.equals("postgres") ? "sslmode" : "sslMode", "");
        String rootCert = params.getOrDefault(engine.equals("postgres") ? "sslrootcert" : "serverSslCert", "");
        if (!mode.isEmpty()) {
            y.append("  ssl-mode: ").append(mode.equalsIgnoreCase("trust") ? "require" : mode.toLowerCase(Locale.ROOT)).append('\n');
        }
        if (!rootCert.isEmpty()) {
            y.append("  ssl-root-cert: ").append(quote(rootCert)).append('\n');
        }
        if (engine.equals("postgres")) {
            String slot = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
            y.append("  slot: ").append(slot).append('\n');
            y.append("  publication: ").append(slot).append('\n');
        }
        y.append("tables:\n  include: [").append(String.join(", ", include.stream().map(FallbackPipeline::quote).toList())).append("]\n");
        y.append("mode: cdc\n");
        y.append("targets:\n");
        y.append("  - type: jdbc\n");
        String scheme = old.type() == SourceConfig.Type.POSTGRES ? "postgresql" : old.type().name().toLowerCase(Locale.ROOT);
        y.append("    url: ").append(quote("jdbc:" + scheme + "://" + old.host() + ":" + old.port() + "/" + old.database())).append('\n');
        y.append("    user: ").append(quote(old.user())).append('\n');
        if (!old.password().isEmpty()) {
            y.append("    password: ${env:").append(TARGET_PASSWORD_ENV).append("}\n");
        }
        if (oldSchema != null) {
            y.append("    schema: ").append(quote(oldSchema)).append('\n');
        }
        y.append("    table-prep: keep   # the old tables exist and keep their rows\n");
        return new Result(y.toString(), problems);
    }

    /** A URL's query parameters, decoded. */
    static java.util.Map<String, String> query(String raw) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** A table-selection pattern that matches exactly this table (wildcard characters in names matched as themselves). */
    private static String pattern(TableId id) {
        return id.schema() + "." + id.table();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
