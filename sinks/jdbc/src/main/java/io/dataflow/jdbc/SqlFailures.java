package io.dataflow.jdbc;

import io.dataflow.api.Failure;
import io.dataflow.api.StorageException;
import java.sql.SQLException;

/**
 * How a database target's errors are classified, in one place: connection problems, deadlocks, resource and operator
 * interruptions are transient (retried from the last checkpoint, which the idempotent apply allows); errors about the
 * data or the schema are permanent.
 */
final class SqlFailures {
    private SqlFailures() {}

    static boolean isTransient(SQLException e) {
        return !Failure.ofSql(e).isPermanent();
    }

    /** A storage failure saying what was being done, classified by {@link Failure#ofSql}. */
    static StorageException failure(String doing, SQLException e) {
        Failure f = Failure.ofSql(e);
        return new StorageException("database target, " + doing + ": " + f.reason(), f, e);
    }
}
