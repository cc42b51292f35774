package io.dataflow.cli;

import io.dataflow.testing.TestDatabase;
import java.util.stream.Stream;

/**
 * The sources a parameterized CDC suite runs against. The run of the suites with PostgreSQL's native reader
 * ({@code -Ddataflow.test.streaming-engine=native}) is about that reader: its cases are the PostgreSQL ones only.
 */
final class SourceTypes {
    private SourceTypes() {}

    private static boolean nativeRun() {
        return TestDatabase.STREAMING_ENGINE.equals("native");
    }

    /** {@code postgres} and {@code mariadb}. */
    static Stream<String> sources() {
        return nativeRun() ? Stream.of("postgres") : Stream.of("postgres", "mariadb");
    }

    /** {@code postgres-to-mariadb} and {@code mariadb-to-postgres}. */
    static Stream<String> migrations() {
        return nativeRun() ? Stream.of("postgres-to-mariadb") : Stream.of("postgres-to-mariadb", "mariadb-to-postgres");
    }
}
