package io.dataflow.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.Op;
import io.dataflow.api.SourcePositions;
import io.dataflow.api.TableId;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class EnvelopeReaderTest {
    @Test
    void readsAChangeAsDataflowRunDoes() {
        EnvelopeReader reader = new EnvelopeReader();
        ChangeEvent insert = reader.read(Envelopes.change(0, 7, "c", 42, 100, 900, 0x1000, 0x2000));
        assertThat(insert.table()).isEqualTo(new TableId("public", "accounts"));
        assertThat(insert.op()).isEqualTo(Op.INSERT);
        assertThat(insert.row()).containsExactly(42L, 100L, "n42");
        assertThat(insert.schema().keyColumns()).containsExactly("id");
        assertThat(insert.position()).isEqualTo(SourcePositions.change(0x1000, 0x2000, 0));
        assertThat(insert.txId()).isEqualTo("900");
        assertThat(insert.commitTimeMicros()).isEqualTo(Envelopes.COMMIT_MICROS + 900_000);

        ChangeEvent update = reader.read(Envelopes.change(0, 8, "u", 42, 150, 901, 0x3000, 0x3100));
        assertThat(update.op()).isEqualTo(Op.UPDATE);
        assertThat(update.unchanged()).as("TOAST value not sent").containsExactly("note");
        assertThat(update.row()[2]).isNull();
        ChangeEvent delete = reader.read(Envelopes.change(0, 9, "d", 42, 150, 901, 0x3000, 0x3100));
        assertThat(delete.op()).isEqualTo(Op.DELETE);
        assertThat(delete.position()).as("a second row at the same LSN").isEqualTo(SourcePositions.change(0x3000, 0x3100, 1));
        assertThat(reader.read(Envelopes.other(0, 10))).isNull();
    }

    @Test
    void otherConnectorsAreRefusedByName() {
        SinkRecord r = Envelopes.change(0, 1, "c", 1, 1, 1, 1, 1);
        ((Struct) ((Struct) r.value()).get("source")).put("connector", "oracle");
        assertThatThrownBy(() -> new EnvelopeReader().read(r)).isInstanceOf(DataException.class)
                .hasMessageContaining("oracle connector are not supported");
    }
}
