package io.dataflow.source.debezium;

import io.dataflow.api.TableId;
import io.dataflow.config.SourceConfig;
import io.dataflow.source.Sources;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source table a running pipeline takes signals from, in the layout Debezium's source signal channel reads
 * ({@code id, type, data}). A row written there travels through the change stream, so the pipeline acts on it at
 * that point of the stream: {@code dataflow reload} asks for an incremental snapshot of a table (read again in
 * chunks between watermarks the connector writes into the same table, while changes keep flowing).
 */
public final class SignalTable {
    private static final Logger LOG = LoggerFactory.getLogger(SignalTable.class);

    private SignalTable() {}

    /**
     * The source's signal table, created when missing; empty when the source takes no signals or the table cannot be
     * created (logged with the statement to run).
     */
    public static Optional<TableId> prepare(SourceConfig source) {
        Optional<TableId> table = source.signalTable();
        if (table.isEmpty()) {
            return table;
        }
        try (Connection c = Sources.inspector(source).connect()) {
            return ensure(c, source) ? table : Optional.empty();
        } catch (SQLException e) {
            LOG.warn("cannot connect to create the signal table {} ({}): dataflow reload will not work", table.get(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Creates the source's signal table when missing, on {@code c}; false (logged with the statement to run) when it cannot. */
    public static boolean ensure(Connection c, SourceConfig source) {
        Optional<TableId> table = source.signalTable();
        if (table.isEmpty()) {
            return false;
        }
        String ddl = createStatement(source, table.get());
        try (Statement st = c.createStatement()) {
            st.execute(ddl);
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return true;
        } catch (SQLException e) {
            LOG.warn("cannot create the signal table {} ({}): dataflow reload will not work; run {} as a user who may, or set "
                    + "source.signal-table: none", table.get(), e.getMessage(), ddl);
            try {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
            } catch (SQLException ignored) {
                // the connection's caller sees the next failure
            }
            return false;
        }
    }

    /** The DDL of the signal table. */
    public static String createStatement(SourceConfig source, TableId table) {
        return "CREATE TABLE IF NOT EXISTS " + quote(source, table) + " (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))";
    }

    /**
     * Asks the pipeline, through the change stream, to read {@code tables} again: one {@code execute-snapshot} signal
     * of type incremental. Returns the signal's id.
     */
    public static String requestReload(Connection c, SourceConfig source, TableId signal, List<TableId> tables) throws SQLException {
        String id = "dataflow-reload-" + UUID.randomUUID();
        String collections = tables.stream().map(t -> "\"" + t.schema() + "." + t.table() + "\"").collect(Collectors.joining(", "));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + quote(source, signal) + " (id, type, data) VALUES (?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, "execute-snapshot");
            ps.setString(3, "{\"data-collections\": [" + collections + "], \"type\": \"incremental\"}");
            ps.executeUpdate();
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
        return id;
    }

    /** The tables a signal row asks to read again; empty for other signals. */
    static List<TableId> reloadedTables(String type, String data) {
        if (!"execute-snapshot".equals(type) || data == null) {
            return List.of();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(data);
            if (!"incremental".equalsIgnoreCase(node.path("type").asText("incremental"))) {
                return List.of();
            }
            java.util.List<TableId> out = new java.util.ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode n : node.path("data-collections")) {
                out.add(TableId.parse(n.asText()));
            }
            return out;
        } catch (Exception e) {
            LOG.warn("unreadable signal data {}: {}", data, e.getMessage());
            return List.of();
        }
    }

    private static String quote(SourceConfig source, TableId t) {
        return source.type().binlog() ? "`" + t.schema().replace("`", "``") + "`.`" + t.table().replace("`", "``") + "`"
                : "\"" + t.schema().replace("\"", "\"\"") + "\".\"" + t.table().replace("\"", "\"\"") + "\"";
    }
}
