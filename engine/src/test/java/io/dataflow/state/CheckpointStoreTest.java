package io.dataflow.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflow.api.Checkpoint;
import io.dataflow.storage.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointStoreTest {
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final CheckpointStore checkpoints = new CheckpointStore(store, "shop");

    @Test
    void aFirstStartHasNoCheckpoint() throws Exception {
        assertThat(checkpoints.load()).isEqualTo(Checkpoint.NONE);
        assertThat(checkpoints.load().isNone()).isTrue();
    }

    @Test
    void roundTripsNestedOffsetsKeepingLongs() throws Exception {
        Map<String, Object> offset = new LinkedHashMap<>();
        offset.put("partition", Map.of("server", "shop"));
        offset.put("offset", Map.of("lsn", 23_456_789_012L, "txId", 7, "snapshot", true));
        offset.put("small", 5);
        checkpoints.save(new Checkpoint("1-00ab", offset, true, 12));
        Checkpoint c = checkpoints.load();
        assertThat(c.position()).isEqualTo("1-00ab");
        assertThat(c.sequence()).isEqualTo(12);
        assertThat(c.fullLoadDone()).isTrue();
        assertThat(c.sourceOffset().get("small")).isEqualTo(5L);
        assertThat(c.sourceOffset().get("offset")).isEqualTo(Map.of("lsn", 23_456_789_012L, "txId", 7, "snapshot", true));
        assertThat(store.sizes()).containsOnlyKeys("_state/shop/checkpoint.json");
    }

    @Test
    void aCorruptCheckpointSaysWhatToDo() throws Exception {
        store.put("_state/shop/checkpoint.json", "{not json".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(checkpoints::load).hasMessageContaining("is unreadable").hasMessageContaining("start over");
    }

    @Test
    void coversComparesPositionsBytewise() {
        Checkpoint c = new Checkpoint("1-0000000000000010-0000000000000020-0000", Map.of(), true, 1);
        assertThat(c.covers("1-0000000000000010-0000000000000020-0000")).isTrue();
        assertThat(c.covers("0-00000000000000ff-0000000000000001")).isTrue();
        assertThat(c.covers("1-0000000000000011-0000000000000000-0000")).isFalse();
        assertThat(Checkpoint.NONE.covers("0-0")).isFalse();
    }
}
