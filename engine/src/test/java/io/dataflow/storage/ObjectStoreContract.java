package io.dataflow.storage;

import io.dataflow.api.ObjectStore;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What every {@link ObjectStore} promises; each implementation's test extends this. */
public abstract class ObjectStoreContract {
    protected abstract ObjectStore store() throws Exception;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void nothingIsVisibleUntilCommitAndAbortLeavesNothing() throws Exception {
        ObjectStore s = store();
        try (ObjectStore.PendingObject p = s.create("a/b/c.bin")) {
            p.stream().write(b("hello"));
            assertThat(p.bytesWritten()).isEqualTo(5);
            assertThat(s.get("a/b/c.bin")).isEmpty();
            assertThat(s.list("a/")).isEmpty();
            p.commit();
        }
        assertThat(s.get("a/b/c.bin")).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("hello")));
        try (ObjectStore.PendingObject p = s.create("a/b/d.bin")) {
            p.stream().write(b("never"));
        }
        assertThat(s.list("a/")).extracting(ObjectStore.ObjectInfo::key).containsExactly("a/b/c.bin");
    }

    @Test
    void putReplacesAndListIsSortedByPrefix() throws Exception {
        ObjectStore s = store();
        s.put("x/2", b("two"));
        s.put("x/1", b("one"));
        s.put("y/1", b("other"));
        s.put("x/1", b("uno"));
        assertThat(s.list("x/")).extracting(ObjectStore.ObjectInfo::key).containsExactly("x/1", "x/2");
        assertThat(s.list("x/")).extracting(ObjectStore.ObjectInfo::size).containsExactly(3L, 3L);
        assertThat(new String(s.get("x/1").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("uno");
        assertThat(s.list("x/1")).hasSize(1);
        assertThat(s.list("nothing/")).isEmpty();
    }

    @Test
    void putIfAbsentCreatesOnce() throws Exception {
        ObjectStore s = store();
        assertThat(s.putIfAbsent("lock", b("first"))).isTrue();
        assertThat(s.putIfAbsent("lock", b("second"))).isFalse();
        assertThat(s.get("lock").orElseThrow()).isEqualTo(b("first"));
    }

    @Test
    void putIfMatchReplacesOnlyTheVersionRead() throws Exception {
        ObjectStore s = store();
        s.put("owner", b("a"));
        ObjectStore.Versioned v1 = s.getVersioned("owner").orElseThrow();
        assertThat(s.putIfMatch("owner", b("b"), v1.version())).isTrue();
        assertThat(s.putIfMatch("owner", b("c"), v1.version())).as("stale version").isFalse();
        assertThat(s.get("owner").orElseThrow()).isEqualTo(b("b"));
        assertThat(s.putIfMatch("missing", b("x"), v1.version())).isFalse();
        assertThat(s.getVersioned("missing")).isEmpty();
    }

    @Test
    void deleteIsIdempotent() throws Exception {
        ObjectStore s = store();
        s.put("k", b("v"));
        s.delete("k");
        s.delete("k");
        assertThat(s.get("k")).isEmpty();
    }
}
