package io.dataflow.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflow.api.ObjectStore;
import io.dataflow.config.TargetConfig;
import io.dataflow.storage.LocalObjectStore;
import io.dataflow.testing.LakeReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once through the partition's state: a flush that dies between publishing its files and recording the
 * offset leaves files that the next owner deletes before reading again; records Connect delivers again and changes
 * a source connector sends again (new offsets, old positions) are skipped.
 */
class PartitionWriterTest {
    static final TargetConfig TARGET_FLUSH_1S = new TargetConfig(TargetConfig.Type.LAKE, "unused",
            new TargetConfig.Flush(Duration.ofSeconds(1), 1_000_000, 64L << 20), TargetConfig.Compression.ZSTD);

    @TempDir
    Path dir;

    /** Change {@code i}: row i inserted in its own transaction, at LSN 0x100 * (i + 1). */
    private static SinkRecord change(long offset, int i) {
        return Envelopes.change(0, offset, "c", i, i * 10L, 500 + i, 0x100L * i, 0x100L * (i + 1));
    }

    private static List<SinkRecord> changes(long fromOffset, int fromChange, int count) {
        List<SinkRecord> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            out.add(change(fromOffset + k, fromChange + k));
        }
        return out;
    }

    @Test
    void aFlushCutShortIsUndoneAndNothingIsWrittenTwice() throws Exception {
        FailingStore store = new FailingStore(new LocalObjectStore(dir));
        PartitionWriter w = PartitionWriter.open(store, "p", TARGET_FLUSH_1S, Envelopes.TOPIC, 0);
        assertThat(w.durableOffset()).isEqualTo(-1);
        List<SinkRecord> first = new ArrayList<>(changes(0, 0, 9));
        first.add(Envelopes.other(0, 9));
        w.put(first, 0);
        assertThat(w.flushIfDue(999)).as("not yet a second old").isFalse();
        assertThat(w.flushIfDue(1000)).isTrue();
        assertThat(w.durableOffset()).isEqualTo(10);

        w.put(changes(10, 10, 10), 2000);
        store.failStateWritesAfter(1); // the intent is written, the files published, then the final state write fails
        assertThatThrownBy(w::flush).isInstanceOf(IOException.class);
        store.failStateWritesAfter(-1);
        long published = countFiles();
        assertThat(published).as("files of the cut-short flush are in the lake").isGreaterThan(1);

        PartitionWriter next = PartitionWriter.open(store, "p", TARGET_FLUSH_1S, Envelopes.TOPIC, 0);
        assertThat(next.durableOffset()).isEqualTo(10);
        assertThat(countFiles()).as("the cut-short flush's files are gone").isEqualTo(1);
        List<SinkRecord> again = new ArrayList<>(changes(5, 5, 4)); // Connect delivers again from an older committed offset
        again.add(Envelopes.other(0, 9));
        again.addAll(changes(10, 10, 10));
        next.put(again, 3000);
        next.flush();
        assertThat(next.durableOffset()).isEqualTo(20);
        // the source connector restarted and sent changes 15..19 again at new offsets, then new ones
        next.put(changes(20, 15, 10), 4000);
        next.flush();
        assertThat(next.durableOffset()).isEqualTo(30);

        try (LakeReader reader = new LakeReader(dir)) {
            List<Long> ids = new ArrayList<>();
            for (Map<String, Object> r : reader.query("select id from {raw} order by _position", "p", "public", "accounts")) {
                ids.add(((Number) r.get("id")).longValue());
            }
            List<Long> expected = new ArrayList<>(java.util.stream.LongStream.range(0, 9).boxed().toList());
            expected.addAll(java.util.stream.LongStream.range(10, 25).boxed().toList());
            assertThat(ids).as("every change once, in order").containsExactlyElementsOf(expected);
        }
    }

    @Test
    void afterAFailedFlushTheSameWriterRemovesItsFilesBeforeGoingOn() throws Exception {
        FailingStore store = new FailingStore(new LocalObjectStore(dir));
        PartitionWriter w = PartitionWriter.open(store, "p", TARGET_FLUSH_1S, Envelopes.TOPIC, 0);
        w.put(changes(0, 0, 10), 0);
        w.flush();
        w.put(changes(10, 10, 10), 10);
        store.failStateWritesAfter(1);
        assertThatThrownBy(w::flush).isInstanceOf(IOException.class);
        store.failStateWritesAfter(-1);
        w.discard(); // the task rewinds the partition to offset 10
        w.put(changes(10, 10, 12), 20);
        w.flush();
        assertThat(w.durableOffset()).isEqualTo(22);
        try (LakeReader reader = new LakeReader(dir)) {
            assertThat(reader.query("select count(*) n, count(distinct _position) d, max(id) top from {raw}", "p", "public", "accounts").get(0))
                    .containsEntry("n", 22L).containsEntry("d", 22L).containsEntry("top", 21L);
        }
    }

    /** A column added in the source mid-stream: the file is cut and the next one carries the new schema, as in dataflow run. */
    @Test
    void aSchemaChangeInTheStreamCutsTheFile() throws Exception {
        PartitionWriter w = PartitionWriter.open(new LocalObjectStore(dir), "p", TARGET_FLUSH_1S, Envelopes.TOPIC, 0);
        List<SinkRecord> records = new ArrayList<>(changes(0, 0, 5));
        for (int i = 5; i < 10; i++) {
            records.add(Envelopes.insertV2(0, i, i, 500 + i, 0x100L * i, 0x100L * (i + 1)));
        }
        w.put(records, 0);
        w.flush();
        assertThat(countFiles()).isEqualTo(2);
        try (LakeReader reader = new LakeReader(dir)) {
            assertThat(reader.query("select count(*) n, count(region) r from read_parquet('" + reader.glob("p", "public", "accounts")
                    + "', union_by_name = true)").get(0)).containsEntry("n", 10L).containsEntry("r", 5L);
        }
    }

    private long countFiles() throws IOException {
        try (var s = java.nio.file.Files.walk(dir.resolve("raw"))) {
            return s.filter(p -> p.toString().endsWith(".parquet")).count();
        }
    }

    /** A local store whose writes of the sink's state fail after the given number succeed (-1: never). */
    static final class FailingStore implements ObjectStore {
        private final ObjectStore store;
        private int allowed = -1;

        FailingStore(ObjectStore store) {
            this.store = store;
        }

        void failStateWritesAfter(int n) {
            allowed = n;
        }

        @Override
        public void put(String key, byte[] content) throws IOException {
            if (key.contains("/connect/") && allowed >= 0 && allowed-- == 0) {
                throw new IOException("injected: the state write failed");
            }
            store.put(key, content);
        }

        @Override
        public PendingObject create(String key) throws IOException {
            return store.create(key);
        }

        @Override
        public boolean putIfAbsent(String key, byte[] content) throws IOException {
            return store.putIfAbsent(key, content);
        }

        @Override
        public Optional<Versioned> getVersioned(String key) throws IOException {
            return store.getVersioned(key);
        }

        @Override
        public boolean putIfMatch(String key, byte[] content, String version) throws IOException {
            return store.putIfMatch(key, content, version);
        }

        @Override
        public List<ObjectInfo> list(String prefix) throws IOException {
            return store.list(prefix);
        }

        @Override
        public void delete(String key) throws IOException {
            store.delete(key);
        }

        @Override
        public String describe() {
            return store.describe();
        }
    }
}
