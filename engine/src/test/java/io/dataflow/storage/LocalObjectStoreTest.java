package io.dataflow.storage;

import io.dataflow.api.ObjectStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest extends ObjectStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ObjectStore store() throws Exception {
        return new LocalObjectStore(dir);
    }

    @Test
    void aCrashedWriteLeavesOnlyAHiddenTempFileThatListingIgnoresAndRecoveryRemoves() throws Exception {
        LocalObjectStore s = new LocalObjectStore(dir);
        ObjectStore.PendingObject p = s.create("raw/t/f.parquet");
        p.stream().write(b("partial"));
        p.stream().flush();
        // no commit, no close: as after SIGKILL
        assertThat(s.list("raw/")).isEmpty();
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(1);
        }
        assertThat(s.removeStrayTempFiles("raw/")).isEqualTo(1);
    }

    @Test
    void rejectsKeysThatLeaveTheRoot() throws Exception {
        LocalObjectStore s = new LocalObjectStore(dir);
        assertThatThrownBy(() -> s.put("../escape", b("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.put("/abs", b("x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void urisAndPathsNameTheFolder() {
        assertThat(ObjectStores.localPath("file:///data/lake")).isEqualTo(Path.of("/data/lake"));
        assertThat(ObjectStores.localPath("file:rel/lake")).isEqualTo(Path.of("rel/lake"));
        assertThat(ObjectStores.localPath("./lake")).isEqualTo(Path.of("./lake"));
        assertThatThrownBy(() -> ObjectStores.localPath("gs://bucket/x")).hasMessageContaining("unsupported lake URI scheme");
    }
}
