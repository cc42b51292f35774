package io.dataflow.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.Checkpoint;
import io.dataflow.api.Column;
import io.dataflow.api.LogicalType;
import io.dataflow.api.LogicalType.Kind;
import io.dataflow.api.Op;
import io.dataflow.api.Sink;
import io.dataflow.api.SourcePositions;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.config.TargetConfig;
import io.dataflow.storage.LocalObjectStore;
import io.dataflow.api.ObjectStore;
import io.dataflow.testing.LakeReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The raw zone written to a real folder and read back with DuckDB. */
class LakeSinkTest {
    static final TableId T = new TableId("public", "Orders");
    static final long DAY1 = 1_700_000_000_000_000L; // 2023-11-14T22:13:20Z
    static final long DAY2 = DAY1 + 86_400_000_000L;

    static final TableSchema V1 = new TableSchema(T, List.of(
            new Column("id", LogicalType.of(Kind.INT64), false),
            new Column("amount", LogicalType.decimal(30, 4), true),
            new Column("day", LogicalType.of(Kind.DATE), true),
            new Column("tags", LogicalType.arrayOf(LogicalType.of(Kind.STRING)), true)), List.of("id"));
    static final TableSchema V2 = new TableSchema(T, List.of(
            new Column("id", LogicalType.of(Kind.INT64), false),
            new Column("amount", LogicalType.decimal(30, 4), true),
            new Column("day", LogicalType.of(Kind.DATE), true),
            new Column("tags", LogicalType.arrayOf(LogicalType.of(Kind.STRING)), true),
            new Column("note", LogicalType.of(Kind.STRING), true)), List.of("id"));

    @TempDir
    Path lake;
    ObjectStore store;
    LakeSink sink;

    @BeforeEach
    void open() throws Exception {
        store = new LocalObjectStore(lake);
        sink = new LakeSink(store, "p", TargetConfig.Compression.ZSTD);
        sink.recover(Checkpoint.NONE);
    }

    static ChangeEvent load(long id) {
        return new ChangeEvent(V1, Op.READ, new Object[] {id, new BigDecimal("-12345678901234567890.1234"), LocalDate.of(2024, 2, 29),
                Arrays.asList("a", null)}, SourcePositions.fullLoad(5, id), DAY1, "1", true);
    }

    static ChangeEvent change(TableSchema s, Op op, long id, long order, long commitMicros) {
        Object[] row = new Object[s.columns().size()];
        row[0] = id;
        if (op != Op.DELETE) {
            row[1] = BigDecimal.valueOf(order, 4);
        }
        return new ChangeEvent(s, op, row, SourcePositions.change(order, order, 0), commitMicros, "tx" + order, false);
    }

    @Test
    void writesTheContractColumnsInOrderWithFaithfulTypes() throws Exception {
        sink.write(List.of(load(1), load(2)));
        Sink.FlushResult r = sink.flush();
        assertThat(r.files()).isEqualTo(1);
        assertThat(r.rows()).isEqualTo(2);
        assertThat(store.list("raw/")).extracting(ObjectStore.ObjectInfo::key).containsExactly("raw/p/public/Orders/LOAD00000001.parquet");
        try (LakeReader reader = new LakeReader(lake)) {
            List<Map<String, Object>> cols = reader.query("select column_name, column_type from (describe select * from {raw})",
                    "p", "public", "Orders");
            assertThat(cols).extracting(c -> c.get("column_name") + " " + c.get("column_type")).containsExactly(
                    "Op VARCHAR", "_commit_ts TIMESTAMP WITH TIME ZONE", "id BIGINT", "amount DECIMAL(30,4)", "day DATE",
                    "tags VARCHAR[]", "_position VARCHAR", "_tx_id VARCHAR", "_unchanged VARCHAR");
            Map<String, Object> row = reader.query("select Op, cast(_commit_ts as varchar) ts, cast(amount as varchar) amount, "
                    + "cast(\"day\" as varchar) as d, cast(tags as varchar) tags from {raw} where id = 1", "p", "public", "Orders").get(0);
            assertThat(row).containsEntry("Op", "I").containsEntry("ts", "2023-11-14 22:13:20+00")
                    .containsEntry("amount", "-12345678901234567890.1234").containsEntry("d", "2024-02-29")
                    .containsEntry("tags", "[a, NULL]");
        }
    }

    @Test
    void changesGoToTheirCommitDateAndAFileIsCutWhenTheSchemaChanges() throws Exception {
        sink.write(List.of(change(V1, Op.INSERT, 1, 10, DAY1), change(V1, Op.UPDATE, 1, 11, DAY2),
                change(V2, Op.INSERT, 2, 12, DAY2), change(V2, Op.DELETE, 1, 13, DAY2)));
        Sink.FlushResult r = sink.flush();
        assertThat(r.files()).isEqualTo(3);
        assertThat(r.rows()).isEqualTo(4);
        assertThat(sink.schemaCuts()).isEqualTo(1);
        assertThat(store.list("raw/")).extracting(ObjectStore.ObjectInfo::key).containsExactly(
                "raw/p/public/Orders/2023/11/14/" + SourcePositions.change(10, 10, 0) + ".parquet",
                "raw/p/public/Orders/2023/11/15/" + SourcePositions.change(11, 11, 0) + ".parquet",
                "raw/p/public/Orders/2023/11/15/" + SourcePositions.change(12, 12, 0) + ".parquet");
        try (LakeReader reader = new LakeReader(lake)) {
            assertThat(reader.query("select Op, id, note from {raw} order by _position", "p", "public", "Orders"))
                    .extracting(m -> m.get("Op") + ":" + m.get("id")).containsExactly("I:1", "U:1", "I:2", "D:1");
        }
    }

    @Test
    void recoveryRemovesFilesAfterTheCheckpointAndUnfinishedFullLoads() throws Exception {
        sink.write(List.of(load(1)));
        sink.flush();
        sink.write(List.of(change(V1, Op.INSERT, 5, 20, DAY1)));
        sink.flush();
        sink.write(List.of(change(V1, Op.INSERT, 6, 30, DAY1)));
        sink.flush();
        assertThat(store.list("raw/")).hasSize(3);

        LakeSink restarted = new LakeSink(store, "p", TargetConfig.Compression.ZSTD);
        restarted.recover(new Checkpoint(SourcePositions.change(20, 20, 0), Map.of(), true, 2));
        assertThat(store.list("raw/")).extracting(ObjectStore.ObjectInfo::key).containsExactly(
                "raw/p/public/Orders/2023/11/14/" + SourcePositions.change(20, 20, 0) + ".parquet",
                "raw/p/public/Orders/LOAD00000001.parquet");

        restarted.recover(new Checkpoint(SourcePositions.fullLoad(5, 1), Map.of(), false, 1));
        assertThat(store.list("raw/")).isEmpty();
    }

    @Test
    void discardLeavesNothingAndReplayingOverwritesTheSameFile() throws Exception {
        sink.write(List.of(change(V1, Op.INSERT, 1, 10, DAY1)));
        sink.discard();
        assertThat(sink.flush().files()).isZero();
        assertThat(store.list("raw/")).isEmpty();
        for (int i = 0; i < 2; i++) {
            sink.write(List.of(change(V1, Op.INSERT, 1, 10, DAY1), change(V1, Op.UPDATE, 1, 11, DAY1)));
            sink.flush();
        }
        assertThat(store.list("raw/")).hasSize(1);
    }

    @Test
    void stagedBytesGrowWhileWriting() throws Exception {
        for (int i = 0; i < 1000; i++) {
            sink.write(List.of(change(V1, Op.INSERT, i, 100 + i, DAY1)));
        }
        assertThat(sink.stagedBytes()).isPositive();
        sink.flush();
        assertThat(sink.stagedBytes()).isZero();
    }
}
