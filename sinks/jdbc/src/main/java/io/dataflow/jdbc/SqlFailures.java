package io.dataflow.jdbc;

import io.dataflow.api.StorageException;
import java.sql.SQLException;
import java.util.Locale;

/**
 * How a database target's errors are classified, in one place: connection problems, deadlocks, resource and operator
 * interruptions are transient (retried from the last checkpoint, which the idempotent apply allows); errors about the
 * data or the schema are permanent.
 */
final class SqlFailures {
    private SqlFailures() {}

    /** The error a batch reports first (JDBC chains the per-statement cause behind a batch error). */
    private static SQLException first(SQLException e) {
        return e.getNextException() != null ? e.getNextException() : e;
    }

    private static String state(SQLException e) {
        return first(e).getSQLState() == null ? "" : first(e).getSQLState();
    }

    static boolean isTransient(SQLException e) {
        String state = state(e);
        String message = first(e).getMessage();
        return state.startsWith("08") || state.startsWith("40") || state.startsWith("53") || state.startsWith("57")
                || state.equals("HY000") && message != null && message.toLowerCase(Locale.ROOT).contains("connection");
    }

    /** A storage failure saying what was being done; permanent unless {@link #isTransient} (or the state is unknown). */
    static StorageException failure(String doing, SQLException e) {
        String state = state(e);
        boolean permanent = !isTransient(e) && !state.isEmpty();
        return new StorageException("database target, " + doing + ": " + first(e).getMessage() + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")"),
                permanent, e);
    }
}
