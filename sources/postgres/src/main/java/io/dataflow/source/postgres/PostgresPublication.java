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

    /**
     * Adds the tables an existing publication lacks (tables added to the rules, or created while the pipeline ran); a
     * publication FOR ALL TABLES has them all. A table this user may not add is logged with the statement to run.
     */
    public static void addMissing(Connection c, String publication, List<TableId> tables) throws SQLException {
        java.util.Set<TableId> members = new java.util.HashSet<>();
        try (PreparedStatement st = c.prepareStatement("select p.puballtables, t.schemaname, t.tablename from pg_publication p "
                + "left join pg_publication_tables t on t.pubname = p.pubname where p.pubname = ?")) {
            st.setString(1, publication);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(1)) {
                        return;
                    }
                    if (rs.getString(2) != null) {
                        members.add(new TableId(rs.getString(2), rs.getString(3)));
                    }
                }
            }
        }
        for (TableId t : tables) {
            if (members.contains(t)) {
                continue;
            }
            String sql = "ALTER PUBLICATION " + publication + " ADD TABLE " + t.quoted();
            try (Statement st = c.createStatement()) {
                st.execute(sql);
                LOG.info("table {} added to publication {}", t, publication);
            } catch (SQLException e) {
                LOG.warn("cannot add table {} to publication {} ({}): its changes are not captured; run {} as its owner", t, publication,
                        e.getMessage(), sql);
            }
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
