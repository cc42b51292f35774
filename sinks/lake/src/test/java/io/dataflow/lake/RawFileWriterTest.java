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
class RawFileWriterTest {
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
        try (RawFileWriter w = new RawFileWriter(store, "raw/p/public/Every Kind/LOAD00000001.parquet", S, CompressionCodecName.ZSTD,
                Map.of("dataflow.table", S.id().toString()), 16 * 1024)) {
            writeInBatches(w, S, 64, rows, RawFileWriterTest::row);
            assertThat(w.rows()).isEqualTo(rows);
            w.commit();
        }
        try (ParquetRowWriter w = new ParquetRowWriter(store, "raw/q/public/Every Kind/LOAD00000001.parquet", S, CompressionCodecName.ZSTD,
                Map.of("dataflow.table", S.id().toString()))) {
            writeRowByRow(w, S, rows, RawFileWriterTest::row);
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

    /**
     * Change events (inserts, updates, deletes, a truncate; transaction ids, none, unchanged TOAST columns) through the
     * gathering change writer, in blocks that grow and over row groups: the same file content, statistics and
     * encodings as parquet-java's record writer gives the same events.
     */
    @Test
    void changeEventsGiveParquetJavasFile() throws Exception {
        int rows = 9000;
        LocalObjectStore store = new LocalObjectStore(dir);
        List<io.dataflow.api.ChangeEvent> events = new ArrayList<>();
        for (long id = 1; id <= rows; id++) {
            events.add(change(S, id, row(id)));
        }
        try (ChangeFileWriter w = new ChangeFileWriter(store, "raw/p/public/Every Kind/2026/11/30/f.parquet", S,
                CompressionCodecName.ZSTD, Map.of("dataflow.table", S.id().toString()))) {
            for (io.dataflow.api.ChangeEvent e : events) {
                w.write(e);
            }
            assertThat(w.rows()).isEqualTo(rows);
            w.commit();
        }
        try (ParquetRowWriter w = new ParquetRowWriter(store, "raw/q/public/Every Kind/2026/11/30/f.parquet", S,
                CompressionCodecName.ZSTD, Map.of("dataflow.table", S.id().toString()))) {
            for (io.dataflow.api.ChangeEvent e : events) {
                w.write(e);
            }
            w.commit();
        }
        try (LakeReader reader = new LakeReader(dir)) {
            String all = "select * exclude (f32, f64), cast(f32 as varchar) f32, cast(f64 as varchar) f64 "
                    + "from read_parquet('%s') order by _position";
            List<Map<String, Object>> ours = texts(reader.query(all.formatted(reader.glob("p", "public", "Every Kind"))));
            assertThat(ours).hasSize(rows).isEqualTo(texts(reader.query(all.formatted(reader.glob("q", "public", "Every Kind")))));
            assertThat(ours.get(0)).containsEntry("Op", "I").containsEntry("_tx_id", null).containsEntry("_unchanged", null);
            assertThat(ours.get(1)).containsEntry("Op", "U").containsEntry("_tx_id", "tx-0").containsEntry("_unchanged", "s,bin");
            assertThat(ours.get(2)).containsEntry("Op", "D").containsEntry("_position", "00000000000000000003");
            assertThat(ours.get(2999)).containsEntry("Op", "T");
            String meta = "select path_in_schema, stats_min_value, stats_max_value, stats_null_count, encodings, "
                    + "row_group_num_rows from parquet_metadata('%s') order by row_group_id, path_in_schema";
            assertThat(reader.query(meta.formatted(reader.glob("p", "public", "Every Kind"))))
                    .isEqualTo(reader.query(meta.formatted(reader.glob("q", "public", "Every Kind"))));
        }
    }

    /**
     * Large values are not gathered by the thousand: the change writer writes its block out once the block's values
     * reach its byte limit, and the file still holds every row.
     */
    @Test
    void largeValuesAreWrittenOutBeforeTheBlockFills() throws Exception {
        LocalObjectStore store = new LocalObjectStore(dir);
        byte[] large = new byte[1 << 20];
        java.util.Arrays.fill(large, (byte) 7);
        long most = 0;
        try (ChangeFileWriter w = new ChangeFileWriter(store, "raw/p/public/Every Kind/2026/11/30/big.parquet", S,
                CompressionCodecName.ZSTD, Map.of())) {
            for (long id = 1; id <= 40; id++) {
                Object[] values = new Object[S.columns().size()];
                values[0] = id;
                values[14] = large;
                w.write(change(S, id, values));
                most = Math.max(most, w.heldBytes());
            }
            w.commit();
        }
        assertThat(most).isLessThan(ChangeFileWriter.MAX_BYTES + large.length);
        try (LakeReader reader = new LakeReader(dir)) {
            assertThat(reader.query("select count(*) n, min(octet_length(bin)) lo from read_parquet('"
                    + reader.glob("p", "public", "Every Kind") + "')").get(0)).containsEntry("n", 40L).containsEntry("lo", (long) large.length);
        }
    }

    /** Event {@code id}: insert, update (with two unchanged columns), delete, in turn; a transaction per 100 events. */
    private static io.dataflow.api.ChangeEvent change(TableSchema schema, long id, Object[] values) {
        io.dataflow.api.Op op = switch ((int) (id % 3)) {
            case 1 -> io.dataflow.api.Op.INSERT;
            case 2 -> io.dataflow.api.Op.UPDATE;
            default -> id == 3000 ? io.dataflow.api.Op.TRUNCATE : io.dataflow.api.Op.DELETE;
        };
        List<String> unchanged = op == io.dataflow.api.Op.UPDATE ? List.of("s", "bin") : List.of();
        if (!unchanged.isEmpty()) {
            values = values.clone();
            values[9] = null;
            values[14] = null;
        }
        String tx = id % 1000 == 1 ? "" : "tx-" + id / 100;
        return new io.dataflow.api.ChangeEvent(schema, op, values, "%020d".formatted(id), SNAPSHOT + id * 1000, tx, false, unchanged);
    }

    static final TableSchema WIDE = new TableSchema(new TableId("public", "wide"), List.of(
            new Column("id", LogicalType.of(Kind.INT64), false),
            new Column("code", LogicalType.of(Kind.STRING), true),
            new Column("repeated", LogicalType.of(Kind.STRING), true),
            new Column("small", LogicalType.of(Kind.INT32), true),
            new Column("day", LogicalType.of(Kind.DATE), true),
            new Column("ts", LogicalType.of(Kind.TIMESTAMP), true),
            new Column("nothing", LogicalType.of(Kind.STRING), true)), List.of("id"));

    static Object[] wideRow(long i) {
        return new Object[] {i, i % 7 == 0 ? null : "code-" + (i % 5), "%060d".formatted(i / 3),
            i % 13 == 0 ? null : (int) (i % 100) - 50, i % 3 == 0 ? null : LocalDate.of(2020, 1, 1).plusDays(i % 1000),
            i % 2 == 0 ? SNAPSHOT : SNAPSHOT - i * 1_000_003L, null};
    }

    /**
     * Over several pages: a unique key (the dictionary does not pay on the first page: PLAIN), a low-cardinality text
     * with nulls (dictionary), a text whose dictionary outgrows its page size after some pages (dictionary, then
     * PLAIN), an all-null column. The column chunks' statistics and encodings must be the ones parquet-java's writer
     * gives the same rows.
     */
    @Test
    void statisticsAndEncodingsAreParquetJavas() throws Exception {
        int rows = 100_000;
        LocalObjectStore store = new LocalObjectStore(dir);
        try (RawFileWriter w = new RawFileWriter(store, "raw/p/public/wide/LOAD00000001.parquet", WIDE, CompressionCodecName.SNAPPY,
                Map.of())) {
            writeInBatches(w, WIDE, 2048, rows, RawFileWriterTest::wideRow);
            w.commit();
        }
        try (ParquetRowWriter w = new ParquetRowWriter(store, "raw/q/public/wide/LOAD00000001.parquet", WIDE, CompressionCodecName.SNAPPY,
                Map.of())) {
            writeRowByRow(w, WIDE, rows, RawFileWriterTest::wideRow);
            w.commit();
        }
        try (LakeReader reader = new LakeReader(dir)) {
            String all = "select * from read_parquet('%s') order by _position";
            List<Map<String, Object>> batched = reader.query(all.formatted(reader.glob("p", "public", "wide")));
            assertThat(batched).hasSize(rows).isEqualTo(reader.query(all.formatted(reader.glob("q", "public", "wide"))));
            String meta = "select path_in_schema, stats_min_value, stats_max_value, stats_null_count, encodings, "
                    + "row_group_num_rows from parquet_metadata('%s') order by row_group_id, path_in_schema";
            List<Map<String, Object>> ours = reader.query(meta.formatted(reader.glob("p", "public", "wide")));
            List<Map<String, Object>> theirs = reader.query(meta.formatted(reader.glob("q", "public", "wide")));
            assertThat(ours).isEqualTo(theirs);
            Map<String, List<String>> encodings = new java.util.HashMap<>();
            ours.forEach(m -> encodings.put((String) m.get("path_in_schema"), List.of(((String) m.get("encodings")).split(", "))));
            assertThat(encodings.get("id")).as("unique keys: PLAIN from the first page").contains("PLAIN").doesNotContain("PLAIN_DICTIONARY");
            assertThat(encodings.get("code")).contains("PLAIN_DICTIONARY").doesNotContain("PLAIN");
            assertThat(encodings.get("repeated")).as("dictionary, then PLAIN").contains("PLAIN_DICTIONARY", "PLAIN");
        }
        assertPageStatistics(dir.resolve("raw/p/public/wide/LOAD00000001.parquet"), rows);
    }

    /** Each page's min, max and null count in the column index are those of the rows the offset index gives it. */
    private static void assertPageStatistics(Path file, int rows) throws Exception {
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        int footerLength = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        var footer = org.apache.parquet.format.Util.readFileMetaData(
                new java.io.ByteArrayInputStream(bytes, bytes.length - 8 - footerLength, footerLength));
        for (var chunk : footer.getRow_groups().get(0).getColumns()) {
            int c = List.of("id", "code", "repeated", "small").indexOf(String.join(".", chunk.getMeta_data().getPath_in_schema()));
            if (c < 0) {
                continue;
            }
            var index = org.apache.parquet.format.Util.readColumnIndex(
                    new java.io.ByteArrayInputStream(bytes, (int) chunk.getColumn_index_offset(), chunk.getColumn_index_length()));
            var pages = org.apache.parquet.format.Util.readOffsetIndex(
                    new java.io.ByteArrayInputStream(bytes, (int) chunk.getOffset_index_offset(), chunk.getOffset_index_length()))
                    .getPage_locations();
            assertThat(pages).as("pages of column %d", c).hasSizeGreaterThan(1);
            for (int p = 0; p < pages.size(); p++) {
                long first = pages.get(p).getFirst_row_index() + 1;
                long last = p + 1 < pages.size() ? pages.get(p + 1).getFirst_row_index() : rows;
                List<Comparable<Object>> values = new ArrayList<>();
                long nulls = 0;
                for (long id = first; id <= last; id++) {
                    Object v = wideRow(id)[c];
                    if (v == null) {
                        nulls++;
                    } else {
                        @SuppressWarnings("unchecked")
                        Comparable<Object> k = (Comparable<Object>) (v instanceof Number n ? (Object) n.longValue() : v);
                        values.add(k);
                    }
                }
                String what = "column " + c + " page " + p;
                assertThat(index.getNull_counts().get(p)).as(what).isEqualTo(nulls);
                assertThat(decode(index.getMin_values().get(p), c)).as(what).isEqualTo(java.util.Collections.min(values));
                assertThat(decode(index.getMax_values().get(p), c)).as(what).isEqualTo(java.util.Collections.max(values));
            }
        }
    }

    private static Object decode(java.nio.ByteBuffer b, int column) {
        b = b.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        return switch (column) {
            case 0 -> b.getLong();
            case 3 -> (long) b.getInt();
            default -> StandardCharsets.UTF_8.decode(b).toString();
        };
    }

    /** Rows 1..rows as full-load batches of {@code capacity} rows. */
    private static void writeInBatches(RawFileWriter w, TableSchema schema, int capacity, int rows,
            java.util.function.LongFunction<Object[]> row) throws Exception {
        LoadBatch batch = new LoadBatch(schema, capacity, LSN, SNAPSHOT);
        for (long id = 1; id <= rows; id++) {
            int r = batch.addRow(id);
            Object[] values = row.apply(id);
            for (int c = 0; c < values.length; c++) {
                batch.set(r, c, values[c]);
            }
            if (batch.isFull() || id == rows) {
                w.write(batch);
                batch.clear();
            }
        }
    }

    /** The same rows as full-load change events through the row writer. */
    private static void writeRowByRow(ParquetRowWriter w, TableSchema schema, int rows, java.util.function.LongFunction<Object[]> row)
            throws Exception {
        for (long id = 1; id <= rows; id++) {
            w.write(new io.dataflow.api.ChangeEvent(schema, io.dataflow.api.Op.READ, row.apply(id),
                    io.dataflow.api.SourcePositions.fullLoad(LSN, id), SNAPSHOT, "", true));
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
