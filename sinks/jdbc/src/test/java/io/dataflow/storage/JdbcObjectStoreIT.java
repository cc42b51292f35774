package io.dataflow.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflow.api.ObjectStore;
import io.dataflow.api.StorageException;
import io.dataflow.config.JdbcTarget;
import io.dataflow.jdbc.JdbcObjectStore;
import io.dataflow.jdbc.TargetConnections;
import io.dataflow.testing.TestDatabase;
import io.dataflow.testing.TestDb;
import io.dataflow.testing.TestMariaDb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The object-store contract for the state store kept in a database target, on PostgreSQL and on MariaDB. */
class JdbcObjectStoreIT {
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    ObjectStore open(TestDb db, String user) throws Exception {
        opened.add(db);
        JdbcObjectStore store = new JdbcObjectStore(new TargetConnections(new JdbcTarget(db.jdbcUrl(), user, "", "",
                JdbcTarget.TablePrep.CREATE, "preserve", "check")));
        opened.add(store);
        return store;
    }

    /** An unknown user cannot log in however often it retries: the state store stops at once, as a permanent failure. */
    @Test
    void aRefusedLoginIsPermanentAndNotRetried() throws Exception {
        try (TestMariaDb db = TestMariaDb.create()) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> new JdbcObjectStore(new TargetConnections(new JdbcTarget(db.jdbcUrl(), "no_such_user_df", "x", "",
                    JdbcTarget.TablePrep.CREATE, "preserve", "check"))))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("Access denied")
                    .matches(e -> ((StorageException) e).permanent(), "permanent")
                    .hasMessageNotContaining("gave up after");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no backoff waits").isLessThan(Duration.ofSeconds(5));
        }
    }

    @Nested
    class OnPostgres extends ObjectStoreContract {
        @Override
        protected ObjectStore store() throws Exception {
            return open(TestDatabase.create(), TestDatabase.USER);
        }
    }

    @Nested
    class OnMariaDb extends ObjectStoreContract {
        @Override
        protected ObjectStore store() throws Exception {
            TestMariaDb db = TestMariaDb.create();
            ObjectStore store = open(db, TestMariaDb.USER);
            // MariaDB's _dataflow is one database per server (pipelines share it under _state/<name>/); ITs run one at a time
            db.execute("DELETE FROM _dataflow.objects");
            return store;
        }
    }
}
