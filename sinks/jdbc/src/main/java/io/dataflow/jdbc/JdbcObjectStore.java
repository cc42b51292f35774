package io.dataflow.jdbc;

import io.dataflow.api.Failure;
import io.dataflow.api.ObjectStore;
import io.dataflow.api.StorageException;
import io.dataflow.retry.Backoff;
import io.dataflow.retry.Retrier;
import io.dataflow.storage.BufferedPendingObject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state store of a pipeline whose first target is a database: checkpoints, schema history, full-load chunk
 * state and the lease live in table {@code _dataflow.objects} of the target, next to the data. Each operation is
 * one short transaction on its own connection; versions are counters, so {@link #putIfMatch} is a compare-and-set.
 */
public final class JdbcObjectStore implements ObjectStore {
    private static final String TABLE = StateTables.SCHEMA + ".objects";
    private final TargetConnections connections;
    private final Object lock = new Object();
    private final Retrier retrier;
    private Connection connection;

    public JdbcObjectStore(TargetConnections connections) throws IOException {
        this(connections, new Retrier(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofMillis(50), Math::random), 4,
                Retrier.realSleeper(), JdbcObjectStore::classify));
    }

    JdbcObjectStore(TargetConnections connections, Retrier retrier) throws IOException {
        this.connections = connections;
        this.retrier = retrier;
        run(c -> {
            StateTables.ensure(c, connections.engine());
            return null;
        });
    }

    private interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction; a lost connection is reopened and the work retried with backoff, an error
     * retrying cannot fix (authentication, rights, schema) is thrown at once.
     */
    private <T> T run(Work<T> work) throws IOException {
        synchronized (lock) {
            return retrier.call("state store " + describe(), () -> {
                try {
                    if (connection == null || connection.isClosed()) {
                        connection = connections.open();
                    }
                    T out = work.apply(connection);
                    connection.commit();
                    return out;
                } catch (SQLException e) {
                    dropConnection();
                    throw e;
                }
            });
        }
    }

    private static Failure classify(Exception e) {
        return e instanceof SQLException s ? Failure.ofSql(s) : Failure.classify(e);
    }

    private void dropConnection() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // the connection is being dropped anyway
        }
        connection = null;
    }

    @Override
    public PendingObject create(String key) {
        return new BufferedPendingObject(content -> run(c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE " + TABLE + " SET content = ?, version = version + 1 WHERE object_key = ?")) {
                up.setBytes(1, content);
                up.setString(2, key);
                if (up.executeUpdate() == 0) {
                    insert(c, key, content);
                }
            }
            return null;
        }));
    }

    private static void insert(Connection c, String key, byte[] content) throws SQLException {
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + TABLE + " (object_key, content, version) VALUES (?, ?, 1)")) {
            ins.setString(1, key);
            ins.setBytes(2, content);
            ins.executeUpdate();
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] content) throws IOException {
        return run(c -> {
            if (getVersioned(c, key).isPresent()) {
                return false;
            }
            try {
                insert(c, key, content);
                return true;
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState()) || "23000".equals(e.getSQLState())) {
                    c.rollback();
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<Versioned> getVersioned(String key) throws IOException {
        return run(c -> getVersioned(c, key));
    }

    private static Optional<Versioned> getVersioned(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT content, version FROM " + TABLE + " WHERE object_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Versioned(rs.getBytes(1), Long.toString(rs.getLong(2)))) : Optional.empty();
            }
        }
    }

    @Override
    public boolean putIfMatch(String key, byte[] content, String version) throws IOException {
        return run(c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE " + TABLE + " SET content = ?, version = version + 1 WHERE object_key = ? AND version = ?")) {
                up.setBytes(1, content);
                up.setString(2, key);
                up.setLong(3, Long.parseLong(version));
                return up.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        return run(c -> {
            List<ObjectInfo> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT object_key, content FROM " + TABLE + " WHERE object_key >= ? ORDER BY object_key")) {
                ps.setString(1, prefix);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getString(1).startsWith(prefix)) {
                            out.add(new ObjectInfo(rs.getString(1), rs.getBytes(2).length));
                        }
                    }
                }
            }
            out.sort(java.util.Comparator.comparing(ObjectInfo::key));
            return out;
        });
    }

    @Override
    public void delete(String key) throws IOException {
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE object_key = ?")) {
                ps.setString(1, key);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public String describe() {
        return connections.target() + " (" + TABLE + ")";
    }

    @Override
    public void close() throws IOException {
        synchronized (lock) {
            try {
                if (connection != null) {
                    connection.close();
                }
            } catch (SQLException e) {
                throw new IOException(e);
            } finally {
                connection = null;
            }
        }
    }
}
