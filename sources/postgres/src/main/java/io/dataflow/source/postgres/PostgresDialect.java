package io.dataflow.source.postgres;

import io.dataflow.api.ChangePositions;
import io.dataflow.api.SourcePositions;
import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.source.debezium.Dialect;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Struct;

/**
 * PostgreSQL through pgoutput. The slot and a publication for the selected tables are created when missing.
 *
 * <p>Positions: full-load rows get {@code 0-<snapshot LSN>-<row ordinal>}; changes get
 * {@code 1-<previous commit LSN>-<event LSN>-<seq>}: pgoutput delivers whole transactions in commit order, so
 * the end LSN of the previously committed transaction (the first element of Debezium's {@code sequence})
 * increases from one transaction to the next, and the event's own LSN increases within a transaction.
 */
public final class PostgresDialect implements Dialect {
    private final ChangePositions positions = new ChangePositions();
    private final Map<TableId, List<String>> generated;
    private final Map<TableId, List<String>> inheritanceParents;

    public PostgresDialect() {
        this(Map.of(), Map.of());
    }

    /**
     * @param generated          generated columns per table: left out of Debezium's snapshot too (pgoutput never sends
     *                           them), as the parallel full load leaves them out
     * @param inheritanceParents tables with inheritance children, with their replicated columns: Debezium's snapshot
     *                           reads them ONLY (their children are tables of their own), as the parallel full load does
     */
    public PostgresDialect(Map<TableId, List<String>> generated, Map<TableId, List<String>> inheritanceParents) {
        this.generated = Map.copyOf(generated);
        this.inheritanceParents = Map.copyOf(inheritanceParents);
    }

    @Override
    public Properties properties(PipelineConfig pipeline, List<TableId> tables) {
        SourceConfig s = pipeline.source();
        Properties p = new Properties();
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("database.dbname", s.database());
        p.setProperty("database.sslmode", s.sslMode());
        if (!s.sslRootCert().isEmpty()) {
            p.setProperty("database.sslrootcert", s.sslRootCert());
        }
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", s.slot());
        p.setProperty("publication.name", s.publication());
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", tables.stream()
                .map(t -> Pattern.quote(t.schema()) + "\\." + Pattern.quote(t.table()))
                .collect(Collectors.joining(",")));
        if (pipeline.mode() == PipelineConfig.Mode.FULL_LOAD) {
            p.setProperty("slot.drop.on.stop", "true");
        }
        if (!generated.isEmpty()) {
            p.setProperty("column.exclude.list", generated.entrySet().stream().flatMap(e -> e.getValue().stream()
                    .map(col -> Pattern.quote(e.getKey().schema()) + "\\." + Pattern.quote(e.getKey().table()) + "\\." + Pattern.quote(col)))
                    .collect(Collectors.joining(",")));
        }
        if (!inheritanceParents.isEmpty()) {
            p.setProperty("snapshot.select.statement.overrides", inheritanceParents.keySet().stream()
                    .map(t -> t.schema() + "." + t.table()).collect(Collectors.joining(",")));
            inheritanceParents.forEach((t, cols) -> p.setProperty("snapshot.select.statement.overrides." + t.schema() + "." + t.table(),
                    "SELECT " + cols.stream().map(col -> "\"" + col.replace("\"", "\"\"") + "\"").collect(Collectors.joining(", "))
                            + " FROM ONLY " + t.quoted()));
        }
        p.setProperty("interval.handling.mode", "string");
        p.setProperty("hstore.handling.mode", "json");
        p.setProperty("status.update.interval.ms", "1000");
        return p;
    }

    @Override
    public String metricsDomain() {
        return "debezium.postgres";
    }

    @Override
    public TableId table(Struct source) {
        return new TableId(source.getString("schema"), source.getString("table"));
    }

    @Override
    public String fullLoadPosition(Map<String, ?> offset, Struct source, long ordinal) {
        Long lsn = source.getInt64("lsn");
        return SourcePositions.fullLoad(lsn == null ? 0 : lsn, ordinal);
    }

    @Override
    public String changePosition(Map<String, ?> offset, Struct source) {
        long commitLsn = commitLsn(offset, source);
        Long lsn = source.getInt64("lsn");
        return positions.next(commitLsn, lsn == null ? 0 : lsn);
    }

    /**
     * The key that orders the event's transaction: the end LSN of the transaction committed before it, as
     * Debezium keeps it in the offset ({@code lsn_commit}) and in {@code source.sequence[0]}.
     */
    private static long commitLsn(Map<String, ?> offset, Struct source) {
        if (offset.get("lsn_commit") instanceof Number n) {
            return n.longValue();
        }
        return ChangePositions.sequenceCommitLsn(source.schema().field("sequence") != null ? source.getString("sequence") : null);
    }

    @Override
    public boolean isPermanent(String text) {
        return Dialect.super.isPermanent(text) || permanent(text);
    }

    /** PostgreSQL errors that a retry cannot fix (the server's settings, a missing database, missing rights). */
    static boolean permanent(String text) {
        return text.contains("wal_level") || text.contains("database") && text.contains("does not exist")
                || text.contains("must be owner") || text.contains("replication slots can only be used");
    }
}
