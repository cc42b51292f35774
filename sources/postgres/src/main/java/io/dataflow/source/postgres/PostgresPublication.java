package io.dataflow.source.postgres;

import io.dataflow.api.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares a PostgreSQL source for pgoutput: the publication of the selected tables (publishing changes of
 * partitions under their partitioned table, PostgreSQL 13+), and REPLICA IDENTITY FULL on tables whose UPDATE and
 * DELETE PostgreSQL would otherwise refuse once published (no primary key); and drops an idle replication slot.
 */
public final class PostgresPublication {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresPublication.class);

    private PostgresPublication() {}

    /** Creates the publication when missing. */
    public static void ensure(Connection c, String publication, List<TableId> tables) throws SQLException {
        if (exists(c, publication)) {
            return;
        }
        if (tables.isEmpty()) {
            return;
        }
        boolean viaRoot = c.getMetaData().getDatabaseMajorVersion() >= 13;
        try (Statement st = c.createStatement()) {
            st.execute("CREATE PUBLICATION " + publication + " FOR TABLE " + tables.stream().map(TableId::quoted).collect(Collectors.joining(", "))
                    + (viaRoot ? " WITH (publish_via_partition_root = true)" : ""));
        }
    }

    /** Adds a table to an existing publication unless it is a member already. */
    public static void addTable(Connection c, String publication, TableId table) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select 1 from pg_publication_tables where pubname = ? and schemaname = ? and tablename = ?")) {
            st.setString(1, publication);
            st.setString(2, table.schema());
            st.setString(3, table.table());
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("ALTER PUBLICATION " + publication + " ADD TABLE " + table.quoted());
        }
    }

    public static boolean exists(Connection c, String publication) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select 1 from pg_publication where pubname = ?")) {
            st.setString(1, publication);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Drops the replication slot unless a client streams from it; returns whether it was dropped. */
    public static boolean dropIdleSlot(Connection c, String slot) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = ? and not active")) {
            st.setString(1, slot);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Sets REPLICA IDENTITY FULL on the given tables, saying so; a refusal names the table and the way out. */
    public static void replicaIdentityFull(Connection c, List<TableId> tables) {
        for (TableId t : tables) {
            try (Statement st = c.createStatement()) {
                st.execute("ALTER TABLE " + t.quoted() + " REPLICA IDENTITY FULL");
                LOG.warn("table {} has no primary key: set REPLICA IDENTITY FULL so that PostgreSQL keeps accepting its UPDATE and DELETE "
                        + "once published (each change then logs the whole old row)", t);
            } catch (SQLException e) {
                throw new io.dataflow.api.SourceException("table " + t + " has no primary key and REPLICA IDENTITY DEFAULT: once published, "
                        + "PostgreSQL would refuse its UPDATE and DELETE, and DataFlow could not set REPLICA IDENTITY FULL (" + e.getMessage()
                        + "); run ALTER TABLE " + t.quoted() + " REPLICA IDENTITY FULL as its owner, add a primary key, or exclude the table", true, e);
            }
        }
    }
}
