package io.dataflow.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.Column;
import io.dataflow.api.LogicalType;
import io.dataflow.api.LogicalType.Kind;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Column defaults through a raw-zone file's metadata: written by the sink, read back by a replay of the raw zone. */
class ColumnDefaultsTest {
    private static final TableId T = new TableId("shop", "orders");

    @Test
    void everyKindOfDefaultComesBackAsTheModelsValue() {
        TableSchema schema = new TableSchema(T, List.of(
                new Column("id", LogicalType.of(Kind.INT64), false),
                new Column("flag", LogicalType.of(Kind.BOOLEAN), true, true),
                new Column("small", LogicalType.of(Kind.INT16), true, (short) -3),
                new Column("n", LogicalType.of(Kind.INT32), true, 5),
                new Column("big", LogicalType.of(Kind.INT64), true, 9_000_000_000L),
                new Column("ratio", LogicalType.of(Kind.FLOAT64), true, 0.25),
                new Column("price", LogicalType.decimal(10, 2), true, new BigDecimal("12.50")),
                new Column("status", LogicalType.of(Kind.STRING), false, "new, \"quoted\""),
                new Column("blob", LogicalType.of(Kind.BYTES), true, new byte[] {0, 1, (byte) 0xff}),
                new Column("day", LogicalType.of(Kind.DATE), true, LocalDate.of(2020, 2, 29)),
                new Column("at", LogicalType.of(Kind.TIMESTAMP), true, 1_700_000_000_000_000L)), List.of("id"));
        String encoded = ColumnDefaults.encode(schema).orElseThrow();
        TableSchema read = ColumnDefaults.decode(new TableSchema(T, schema.columns().stream()
                .map(c -> new Column(c.name(), c.type(), true)).toList(), List.of("id")), encoded);
        for (int i = 0; i < schema.columns().size(); i++) {
            assertThat(read.columns().get(i).defaultValue()).as(schema.columns().get(i).name())
                    .isEqualTo(schema.columns().get(i).defaultValue());
        }
        assertThat(read.keyColumns()).containsExactly("id");
    }

    @Test
    void aSchemaWithoutDefaultsWritesNothingAndOldFilesReadAsBefore() {
        TableSchema schema = new TableSchema(T, List.of(new Column("id", LogicalType.of(Kind.INT64), false)), List.of("id"));
        assertThat(ColumnDefaults.encode(schema)).isEmpty();
        assertThat(ColumnDefaults.decode(schema, null)).isEqualTo(schema);
        assertThat(ColumnDefaults.decode(schema, "not json")).isEqualTo(schema);
        assertThat(ColumnDefaults.decode(schema, "{\"id\": \"x\"}").columns().get(0).defaultValue()).isNull();
    }

    @Test
    void theReaderTakesThemFromTheFilesMetadata() {
        TableSchema schema = new TableSchema(T, List.of(new Column("id", LogicalType.of(Kind.INT64), false),
                new Column("y", LogicalType.of(Kind.INT32), true, 5)), List.of("id"));
        org.apache.parquet.schema.MessageType file = org.apache.parquet.schema.Types.buildMessage()
                .required(org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64).named("id")
                .optional(org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32).named("y")
                .named("orders");
        TableSchema read = RawZoneReader.schema(file, Map.of("dataflow.table", "shop.orders", "dataflow.primary_key", "id",
                ColumnDefaults.KEY, ColumnDefaults.encode(schema).orElseThrow()));
        assertThat(read.columns().get(1).defaultValue()).isEqualTo(5);
        assertThat(read.columns().get(0).defaultValue()).isNull();
    }
}
