package io.dataflow.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.Column;
import io.dataflow.api.LoadBatch;
import io.dataflow.api.LogicalType;
import io.dataflow.api.LogicalType.Kind;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.storage.LocalObjectStore;
import io.dataflow.testing.LakeReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The column-by-column chunk writer must produce the same file content as the row writer used for changes: same
 * columns, types and values for every kind (nulls, empty lists, null elements, all three decimal widths), across
 * batches and row groups.
 */
class LoadFileWriterTest {
    static final TableSchema S = new TableSchema(new TableId("public", "Every Kind"), List.of(
            new Column("id", LogicalType.of(Kind.INT64), false),
            new Column("b", LogicalType.of(Kind.BOOLEAN), true),
            new Column("i16", LogicalType.of(Kind.INT16), true),
            new Column("i32", LogicalType.of(Kind.INT32), true),
            new Column("d9", LogicalType.decimal(9, 2), true),
            new Column("d18", LogicalType.decimal(18, 4), true),
            new Column("d30", LogicalType.decimal(30, 4), true),
            new Column("f32", LogicalType.of(Kind.FLOAT32), true),
            new Column("f64", LogicalType.of(Kind.FLOAT64), true),
            new Column("s", LogicalType.of(Kind.STRING), true),
            new Column("e", LogicalType.of(Kind.ENUM), true),
            new Column("j", LogicalType.of(Kind.JSON), true),
            new Column("u", LogicalType.of(Kind.UUID), true),
            new Column("iv", LogicalType.of(Kind.INTERVAL), true),
            new Column("bin", LogicalType.of(Kind.BYTES), true),
            new Column("day", LogicalType.of(Kind.DATE), true),
            new Column("t", LogicalType.of(Kind.TIME), true),
            new Column("ttz", LogicalType.of(Kind.TIME_TZ), true),
            new Column("ts", LogicalType.of(Kind.TIMESTAMP), true),
            new Column("tstz", LogicalType.of(Kind.TIMESTAMP_TZ), true),
            new Column("ints", LogicalType.arrayOf(LogicalType.of(Kind.INT32)), true),
            new Column("texts", LogicalType.arrayOf(LogicalType.of(Kind.STRING)), true)), List.of("id"));
    static final long LSN = 0x1234_5678L;
    static final long SNAPSHOT = 1_700_000_000_123_456L;

    @TempDir
    Path dir;

    static Object[] row(long id) {
        int k = (int) (id % 4);
        if (k == 1) {
            Object[] nulls = new Object[S.columns().size()];
            nulls[0] = id;
            return nulls;
        }
        return new Object[] {id, k == 0, (short) -32768, Integer.MAX_VALUE - (int) id, new BigDecimal("-1234567.89"),
            new BigDecimal("12345678901234.5678"), new BigDecimal("-12345678901234567890123456.7890").add(BigDecimal.valueOf(id)),
            k == 2 ? Float.NaN : 1.5f, k == 2 ? Double.NEGATIVE_INFINITY : -1.0e-300, "héllo 😀 " + id, "happy", "{\"a\": [1, null]}",
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "P1Y2M3DT4H5M6.5S", new byte[] {0, (byte) 0xff, (byte) id},
            LocalDate.of(-43, 3, 15).plusDays(id), 86_399_999_999L, 1_000_000L, -1L, SNAPSHOT + id,
            k == 2 ? List.of() : Arrays.asList(1, null, (int) id), k == 2 ? Arrays.asList((String) null) : List.of("a b", "c")};
    }

    @Test
    void batchesGiveTheSameFileContentAsRows() throws Exception {
        int rows = 1000;
        LocalObjectStore store = new LocalObjectStore(dir);
        try (LoadFileWriter w = new LoadFileWriter(store, "raw/p/public/Every Kind/LOAD00000001.parquet", S, CompressionCodecName.ZSTD,
                Map.of("dataflow.table", S.id().toString()), 16 * 1024)) {
            LoadBatch batch = new LoadBatch(S, 64, LSN, SNAPSHOT);
            for (long id = 1; id <= rows; id++) {
                int r = batch.addRow(id);
                Object[] values = row(id);
                for (int c = 0; c < values.length; c++) {
                    batch.set(r, c, values[c]);
                }
                if (batch.isFull() || id == rows) {
                    w.write(batch);
                    batch.clear();
                }
            }
            assertThat(w.rows()).isEqualTo(rows);
            w.commit();
        }
        try (TableFileWriter w = new TableFileWriter(store, "raw/q/public/Every Kind/LOAD00000001.parquet", S, CompressionCodecName.ZSTD,
                Map.of("dataflow.table", S.id().toString()))) {
            for (long id = 1; id <= rows; id++) {
                w.write(new io.dataflow.api.ChangeEvent(S, io.dataflow.api.Op.READ, row(id),
                        io.dataflow.api.SourcePositions.fullLoad(LSN, id), SNAPSHOT, "", true));
            }
            w.commit();
        }
        try (LakeReader reader = new LakeReader(dir)) {
            String columns = "select column_name, column_type from (describe select * from read_parquet('%s'))";
            assertThat(reader.query(columns.formatted(reader.glob("p", "public", "Every Kind"))))
                    .isEqualTo(reader.query(columns.formatted(reader.glob("q", "public", "Every Kind"))));
            String all = "select * exclude (f32, f64), cast(f32 as varchar) f32, cast(f64 as varchar) f64 "
                    + "from read_parquet('%s') order by _position";
            List<Map<String, Object>> batched = texts(reader.query(all.formatted(reader.glob("p", "public", "Every Kind"))));
            List<Map<String, Object>> rowByRow = texts(reader.query(all.formatted(reader.glob("q", "public", "Every Kind"))));
            assertThat(batched).hasSize(rows).isEqualTo(rowByRow);
            assertThat(batched.get(0)).containsEntry("Op", "I").containsEntry("s", null).containsEntry("ints", null);
            assertThat(batched.get(1).get("ints")).isEqualTo("[]");
            assertThat(batched.get(1).get("texts")).isEqualTo("[null]");
            assertThat(batched.get(2).get("d30")).hasToString("-12345678901234567890123453.7890");
            assertThat(batched.get(0).get("_position")).isEqualTo("0-0000000012345678-0000000000000001");
            long groups = (Long) reader.query("select count(distinct row_group_id) n from parquet_metadata('"
                    + reader.glob("p", "public", "Every Kind") + "')").get(0).get("n");
            assertThat(groups).as("row groups of the batched file").isGreaterThan(1);
        }
    }

    /** DuckDB's JDBC values (arrays, blobs) compared by their text. */
    private static List<Map<String, Object>> texts(List<Map<String, Object>> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            r.forEach((k, v) -> m.put(k, v == null ? null : v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : v.toString()));
            out.add(m);
        }
        return out;
    }
}
