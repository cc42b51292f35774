package io.dataflow.source.binlog;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflow.api.SourcePositions;
import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.source.debezium.Dialect;
import io.dataflow.source.debezium.ObjectStoreSchemaHistory;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Struct;

/**
 * MariaDB (Debezium's MariaDB connector) and MySQL (its MySQL connector) through the row-based binlog.
 * The schema history lives in the lake ({@link ObjectStoreSchemaHistory}). {@code tinyint(1)} becomes boolean,
 * {@code bigint unsigned} an exact decimal(20,0), {@code time} a duration text.
 *
 * <p>Positions: full-load rows get {@code 0-<binlog file number, position>-<row ordinal>}; changes get
 * {@code 1-<binlog file number>-<position of the transaction>-<event in transaction>-<row in event>}: the binlog
 * is written in commit order, and Debezium's offset names every row by these four numbers, also after a restart
 * in the middle of a transaction.
 */
public final class BinlogDialect implements Dialect {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SourceConfig.Type type;
    private final List<TableId> sequences;

    public BinlogDialect(SourceConfig.Type type) {
        this(type, List.of());
    }

    /**
     * @param sequences MariaDB sequences in the captured databases: {@code NEXTVAL} writes binlog rows for them, and
     *                  Debezium, which knows no schema for a sequence, would stop at the first; they are left out of the
     *                  capture even where the rules' wildcards match them
     */
    public BinlogDialect(SourceConfig.Type type, List<TableId> sequences) {
        this.type = type;
        this.sequences = List.copyOf(sequences);
    }

    @Override
    public Properties properties(PipelineConfig pipeline, List<TableId> tables) {
        SourceConfig s = pipeline.source();
        Properties p = new Properties();
        p.setProperty("connector.class", type == SourceConfig.Type.MARIADB
                ? "io.debezium.connector.mariadb.MariaDbConnector" : "io.debezium.connector.mysql.MySqlConnector");
        p.setProperty("database.server.id", Long.toString(s.serverId()));
        p.setProperty("database.ssl.mode", sslMode(s.sslMode()));
        if (!s.sslRootCert().isEmpty()) {
            io.dataflow.source.debezium.TrustStores.Store trust = io.dataflow.source.debezium.TrustStores.fromPem(java.nio.file.Path.of(s.sslRootCert()));
            p.setProperty("database.ssl.truststore", trust.file().toString());
            p.setProperty("database.ssl.truststore.password", trust.password());
        }
        p.setProperty("database.include.list", tables.stream().map(t -> Pattern.quote(t.schema())).distinct()
                .collect(Collectors.joining(",")));
        // The rules themselves (not today's table list), so tables created or renamed later are captured too.
        io.dataflow.config.TableSelection rules = pipeline.tables();
        if (!sequences.isEmpty()) {
            List<String> exclude = new java.util.ArrayList<>(rules.exclude());
            // a glob of the exact name: its wildcard characters, if any, stand for themselves closely enough
            sequences.stream().map(q -> q.schema() + "." + q.table()).filter(n -> !n.contains(",")).forEach(exclude::add);
            rules = new io.dataflow.config.TableSelection(rules.include(), exclude);
        }
        p.setProperty("table.include.list", tableRegex(rules));
        // the history lives in the pipeline's state store, which the running source lends it (SourceServices)
        p.putAll(ObjectStoreSchemaHistory.properties(pipeline.name()));
        p.setProperty("bigint.unsigned.handling.mode", "precise");
        p.setProperty("snapshot.locking.mode", "minimal");
        p.setProperty("converters", "boolean,zerodate");
        p.setProperty("zerodate.type", ZeroDateConverter.class.getName());
        p.setProperty("boolean.type", "io.debezium.connector.binlog.converters.TinyIntOneToBooleanConverter");
        p.setProperty("connect.keep.alive", "true");
        // A dead binlog connection (server restart, killed dump thread) is noticed and reopened within seconds, not a minute.
        p.setProperty("connect.keep.alive.interval.ms", "3000");
        return p;
    }

    static String tableRegex(io.dataflow.config.TableSelection selection) {
        return io.dataflow.source.debezium.TableRegex.of(selection);
    }

    private String sslMode(String mode) {
        if (type == SourceConfig.Type.MARIADB) {
            return switch (mode) {
                case "disable", "allow", "prefer" -> "disable";
                case "require" -> "trust";
                default -> mode;
            };
        }
        return switch (mode) {
            case "disable" -> "disabled";
            case "allow", "prefer" -> "preferred";
            case "require" -> "required";
            case "verify-ca" -> "verify_ca";
            default -> "verify_identity";
        };
    }

    @Override
    public String metricsDomain() {
        return type == SourceConfig.Type.MARIADB ? "debezium.mariadb" : "debezium.mysql";
    }

    @Override
    public boolean timeIsDuration() {
        return true;
    }

    @Override
    public TableId table(Struct source) {
        return new TableId(source.getString("db"), source.getString("table"));
    }

    private static long number(Map<String, ?> offset, String key) {
        return offset.get(key) instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public String fullLoadPosition(Map<String, ?> offset, Struct source, long ordinal) {
        return SourcePositions.fullLoad((SourcePositions.binlogFileNumber(offset.get("file")) << 40) | number(offset, "pos"), ordinal);
    }

    @Override
    public String changePosition(Map<String, ?> offset, Struct source) {
        return SourcePositions.binlogChange(SourcePositions.binlogFileNumber(offset.get("file")), number(offset, "pos"), number(offset, "event"),
                number(offset, "row"));
    }

    @Override
    public boolean isPermanent(String text) {
        return Dialect.super.isPermanent(text) || text.contains("binlog") && (text.contains("not enabled") || text.contains("ROW"))
                || text.contains("Unknown database")
                // the same definition or row stops the reader again after every restart
                || text.contains("DDL statement couldn't be parsed") || text.contains("internal schema size");
    }
}
