package io.dataflow.source.sqlserver;

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
 * SQL Server through Debezium's SQL Server connector (the CDC change tables).
 *
 * <p>Positions: full-load rows get {@code 0-0-<row ordinal>}; changes get {@code 1-<commit LSN>-<change LSN>-<event
 * serial>}, each LSN its 20 hex digits (SQL Server writes {@code 00000027:00000758:0005}): the commit LSN orders
 * transactions, the change LSN the changes within one, the serial number the rows of one change (an UPDATE's
 * before and after images).
 */
public final class SqlServerDialect implements Dialect {

    @Override
    public Properties properties(PipelineConfig pipeline, List<TableId> tables) {
        SourceConfig s = pipeline.source();
        Properties p = new Properties();
        p.setProperty("connector.class", "io.debezium.connector.sqlserver.SqlServerConnector");
        p.setProperty("database.names", s.database());
        p.setProperty("database.encrypt", s.option("encrypt", "true"));
        p.setProperty("database.trustServerCertificate", s.option("trust-server-certificate", "false"));
        p.setProperty("table.include.list", TableRegex.of(pipeline.tables()));
        p.putAll(ObjectStoreSchemaHistory.properties(pipeline.name()));
        return p;
    }

    @Override
    public String metricsDomain() {
        return "debezium.sql_server";
    }

    @Override
    public TableId table(Struct source) {
        return new TableId(source.getString("schema"), source.getString("table"));
    }

    @Override
    public String fullLoadPosition(Map<String, ?> offset, Struct source, long ordinal) {
        return SourcePositions.fullLoad(0, ordinal);
    }

    @Override
    public String changePosition(Map<String, ?> offset, Struct source) {
        Object serial = Dialect.field(source, "event_serial_no");
        return SourcePositions.lsnChange(source.getString("commit_lsn"), source.getString("change_lsn"),
                serial instanceof Number n ? n.longValue() : 0);
    }

    @Override
    public boolean isPermanent(String text) {
        return Dialect.super.isPermanent(text) || text.contains("Login failed") || text.contains("is not enabled for CDC")
                || text.contains("SQL Server Agent");
    }
}
