package io.dataflow.source.oracle;

import io.dataflow.api.SourcePositions;
import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.source.debezium.Dialect;
import io.dataflow.source.debezium.ObjectStoreSchemaHistory;
import io.dataflow.source.debezium.TableRegex;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.data.Struct;

/**
 * Oracle through Debezium's Oracle connector. LogMiner hands over a transaction's changes when it commits, in commit
 * order, each numbered within its transaction ({@code txSeq}).
 *
 * <p>Positions: full-load rows get {@code 0-<snapshot SCN>-<row ordinal>}; changes get
 * {@code 1-<commit SCN>-<txSeq>-0000}: the commit SCN orders transactions, {@code txSeq} orders the events of one.
 */
public final class OracleDialect implements Dialect {

    @Override
    public Properties properties(PipelineConfig pipeline, List<TableId> tables) {
        SourceConfig s = pipeline.source();
        Properties p = new Properties();
        p.setProperty("connector.class", "io.debezium.connector.oracle.OracleConnector");
        p.setProperty("database.dbname", s.database());
        String pdb = s.option("pdb", "");
        if (!pdb.isEmpty()) {
            p.setProperty("database.pdb.name", pdb);
        }
        p.setProperty("database.connection.adapter", "logminer");
        p.setProperty("log.mining.strategy", s.option("log-mining-strategy", "online_catalog"));
        p.setProperty("table.include.list", TableRegex.of(pipeline.tables()));
        p.putAll(ObjectStoreSchemaHistory.properties(pipeline.name()));
        // CLOB/BLOB values are read (off by default); a LOB an UPDATE did not touch arrives as the unavailable placeholder,
        // which DataFlow handles like PostgreSQL's unchanged TOAST values (_unchanged)
        p.setProperty("lob.enabled", "true");
        p.setProperty("interval.handling.mode", "string");
        return p;
    }

    @Override
    public String metricsDomain() {
        return "debezium.oracle";
    }

    @Override
    public TableId table(Struct source) {
        return new TableId(source.getString("schema"), source.getString("table"));
    }

    @Override
    public String fullLoadPosition(Map<String, ?> offset, Struct source, long ordinal) {
        Object scn = offset.get("snapshot_scn") != null ? offset.get("snapshot_scn") : offset.get("scn");
        return SourcePositions.fullLoad(scn(scn), ordinal);
    }

    @Override
    public String changePosition(Map<String, ?> offset, Struct source) {
        Object commit = Dialect.field(source, "commit_scn");
        Object seq = Dialect.field(source, "txSeq");
        return SourcePositions.change(scn(commit != null ? commit : Dialect.field(source, "scn")), seq instanceof Number n ? n.longValue() : 0, 0);
    }

    /** An SCN as Debezium writes it: a decimal number, or (commit SCN of a RAC database) "scn:thread:..." per redo thread. */
    static long scn(Object value) {
        if (value == null) {
            return 0;
        }
        String text = value.toString().trim();
        long max = 0;
        for (String part : text.split(",")) {
            String digits = part.contains(":") ? part.substring(0, part.indexOf(':')) : part;
            try {
                max = Math.max(max, Long.parseLong(digits.trim()));
            } catch (NumberFormatException e) {
                // not a number: ignored
            }
        }
        return max;
    }

    @Override
    public boolean isPermanent(String text) {
        return Dialect.super.isPermanent(text) || text.contains("ORA-01017") || text.contains("ORA-01031") || text.contains("ORA-00942")
                || text.contains("supplemental logging") || text.contains("ARCHIVELOG");
    }
}
