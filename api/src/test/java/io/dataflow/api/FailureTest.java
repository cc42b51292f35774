package io.dataflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class FailureTest {
    @Test
    void aClassifiedCauseDecides() {
        Failure f = Failure.classify(new RuntimeException("wrapped", new StorageException("access denied (AccessDenied)", true, null)));
        assertThat(f.isPermanent()).isTrue();
        assertThat(Failure.classify(new IOException("connection reset")).isPermanent()).isFalse();
        assertThat(Failure.classify(new IOException("FATAL: password authentication failed for user x")).isPermanent()).isTrue();
    }

    @Test
    void runningOutOfMemoryIsPermanentAndSaysWhatToRaise() {
        Failure f = Failure.classify(new StorageException("transient-looking", false, new OutOfMemoryError("Java heap space")));
        assertThat(f.isPermanent()).isTrue();
        assertThat(f.reason()).startsWith("out of memory (heap limit ").contains("JAVA_OPTS=-Xmx", "chunk-rows");
    }

    @Test
    void databaseErrorsByState() {
        assertThat(Failure.ofSql(new SQLException("gone", "08006")).isPermanent()).isFalse();
        assertThat(Failure.ofSql(new SQLException("deadlock", "40P01")).isPermanent()).isFalse();
        assertThat(Failure.ofSql(new SQLException("Access denied for user", "28000")).isPermanent()).isTrue();
        assertThat(Failure.ofSql(new SQLException("no state")).isPermanent()).isFalse();
    }

    @Test
    void fileSystemErrorsSayWhatWentWrong() {
        assertThat(Failure.describe(new IOException("could not stage", new AccessDeniedException("/lake/raw/x.parquet"))))
                .isEqualTo("could not stage (cause: /lake/raw/x.parquet: permission denied)");
    }

    @Test
    void outOfMemoryNamesWhatWasBeingDoneAndIsNeverRetried() {
        Exception e = new java.io.IOException("full load failed", new Failure.OutOfMemoryWhile("loading BIN$x.docs (chunk 3)",
                new OutOfMemoryError("Java heap space")));
        assertThat(Failure.isOutOfMemory(e)).isTrue();
        assertThat(Failure.classify(e).isPermanent()).isTrue();
        assertThat(Failure.outOfMemory(e)).startsWith("out of memory (heap limit ").contains(" while loading BIN$x.docs (chunk 3): a row needs "
                + "about ten times its largest value in heap").contains("give the JVM more heap, e.g. JAVA_OPTS=-Xmx");
        assertThat(Failure.outOfMemory(new OutOfMemoryError())).isEqualTo(Failure.outOfMemory());
    }
}
