package io.dataflow.source.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.LogicalType;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.PipelineConfigReader;
import io.dataflow.source.debezium.RecordConverter;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import io.dataflow.api.ChangeEvent;
import io.dataflow.api.Checkpoint;
import io.dataflow.api.Op;
import io.dataflow.config.TargetConfig;
import io.dataflow.lake.LakeSink;
import io.dataflow.storage.LocalObjectStore;
import io.dataflow.testing.LakeReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQL Server without a server: the pipeline keys, the Debezium configuration, LSN positions in commit order, and the
 * rows made from records shaped as Debezium's SQL Server connector documents them.
 */
class SqlServerDialectTest {
    static PipelineConfig pipeline(String extra) {
        return new PipelineConfigReader(k -> null).parse("""
                name: sales
                source: {type: sqlserver, host: mssql.example, database: Sales, user: dataflow%s}
                tables: {include: [dbo.*]}
                targets: [{type: lake, uri: /tmp/lake}]
                """.formatted(extra), Path.of("."));
    }

    @Test
    void pipelineKeysBecomeTheConnectorsProperties() {
        PipelineConfig p = pipeline(", encrypt: true, trust-server-certificate: true");
        assertThat(p.source().port()).isEqualTo(1433);
        assertThat(p.source().jdbcUrl())
                .isEqualTo("jdbc:sqlserver://mssql.example:1433;databaseName=Sales;encrypt=true;trustServerCertificate=true;loginTimeout=10");
        Properties props = new SqlServerDialect().properties(p, List.of(new TableId("dbo", "Orders")));
        assertThat(props).containsEntry("connector.class", "io.debezium.connector.sqlserver.SqlServerConnector")
                .containsEntry("database.names", "Sales").containsEntry("database.encrypt", "true")
                .containsEntry("database.trustServerCertificate", "true")
                .containsEntry("schema.history.internal.dataflow.pipeline", "sales");
        assertThat(Pattern.compile(props.getProperty("table.include.list")).matcher("dbo.Orders").matches()).isTrue();
        assertThat(pipeline("").source().jdbcUrl()).contains("encrypt=true;trustServerCertificate=false");
    }

    @Test
    void positionsSortInCommitOrder() {
        SqlServerDialect d = new SqlServerDialect();
        String[][] events = {
                {"00000027:00000758:0005", "00000027:00000750:0002", "1"},
                {"00000027:00000758:0005", "00000027:00000750:0002", "2"}, // an UPDATE: before and after images
                {"00000027:00000758:0005", "00000027:00000752:0003", "1"},
                {"00000027:00000A00:0001", "00000027:000009ff:0001", "1"},
                {"00000100:00000001:0001", "00000100:00000001:0001", "1"}};
        List<String> inCommitOrder = new ArrayList<>();
        for (String[] e : events) {
            inCommitOrder.add(d.changePosition(Map.of(), source(e[0], e[1], Long.parseLong(e[2]))));
        }
        List<String> sorted = new ArrayList<>(inCommitOrder);
        sorted.sort(null);
        assertThat(sorted).isEqualTo(inCommitOrder);
        assertThat(inCommitOrder.get(3)).isEqualTo("1-0000002700000a000001-00000027000009ff0001-00000001");
    }

    private static Struct source(String commit, String change, long serial) {
        Schema s = SchemaBuilder.struct().field("schema", Schema.STRING_SCHEMA).field("table", Schema.STRING_SCHEMA)
                .field("commit_lsn", Schema.OPTIONAL_STRING_SCHEMA).field("change_lsn", Schema.OPTIONAL_STRING_SCHEMA)
                .field("event_serial_no", Schema.OPTIONAL_INT64_SCHEMA).build();
        return new Struct(s).put("schema", "dbo").put("table", "Orders").put("commit_lsn", commit).put("change_lsn", change)
                .put("event_serial_no", serial);
    }

    private static SchemaBuilder typed(SchemaBuilder b, String sourceType) {
        return b.parameter("__debezium.source.column.type", sourceType);
    }

    @Test
    void everyMappedTypeBecomesItsLogicalTypeAndValue() {
        Schema geo = SchemaBuilder.struct().name("io.debezium.data.geometry.Geography").optional()
                .field("wkb", Schema.BYTES_SCHEMA).field("srid", Schema.OPTIONAL_INT32_SCHEMA).build();
        Schema row = SchemaBuilder.struct().name("sales.dbo.Orders.Value")
                .field("Id", typed(SchemaBuilder.int32(), "INT").build())
                .field("Active", typed(SchemaBuilder.bool().optional(), "BIT").build())
                .field("Qty", typed(SchemaBuilder.int16().optional(), "TINYINT").build())
                .field("Total", typed(Decimal.builder(4).optional(), "MONEY").parameter("connect.decimal.precision", "19").build())
                .field("Fee", typed(Decimal.builder(4).optional(), "SMALLMONEY").parameter("connect.decimal.precision", "10").build())
                .field("Placed", typed(SchemaBuilder.int64().name("io.debezium.time.Timestamp").optional(), "DATETIME").build())
                .field("Shipped", typed(SchemaBuilder.int64().name("io.debezium.time.NanoTimestamp").optional(), "DATETIME2")
                        .parameter("__debezium.source.column.scale", "7").build())
                .field("Minute", typed(SchemaBuilder.int64().name("io.debezium.time.Timestamp").optional(), "SMALLDATETIME").build())
                .field("Local", typed(SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").optional(), "DATETIMEOFFSET").build())
                .field("Slot", typed(SchemaBuilder.int64().name("io.debezium.time.NanoTime").optional(), "TIME").build())
                .field("Ref", typed(SchemaBuilder.string().optional(), "UNIQUEIDENTIFIER").build())
                .field("Notes", typed(SchemaBuilder.string().optional(), "NVARCHAR").parameter("__debezium.source.column.length", "2147483647").build())
                .field("Doc", typed(SchemaBuilder.string().name("io.debezium.data.Xml").optional(), "XML").build())
                .field("Version", typed(SchemaBuilder.bytes().optional(), "TIMESTAMP").build())
                .field("Place", geo)
                .build();
        Schema key = SchemaBuilder.struct().field("Id", Schema.INT32_SCHEMA).build();
        byte[] wkb = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x40};
        Struct after = new Struct(row).put("Id", 7).put("Active", true).put("Qty", (short) 255).put("Total", new BigDecimal("922337203685477.5807"))
                .put("Fee", new BigDecimal("-214748.3648")).put("Placed", 1_700_000_000_003L).put("Shipped", 1_700_000_000_123_456_700L)
                .put("Minute", 1_700_000_040_000L).put("Local", "2024-06-01T10:00:00.1234567+02:00").put("Slot", 45_296_123_456_700L)
                .put("Ref", "6F9619FF-8B86-D011-B42D-00C04FC964FF").put("Notes", "x".repeat(5000)).put("Doc", "<a b=\"1\"/>")
                .put("Version", ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 0, 0, 7, (byte) 0xd1}))
                .put("Place", new Struct(geo).put("wkb", ByteBuffer.wrap(wkb)).put("srid", 4326));

        RecordConverter converter = new RecordConverter(false);
        TableSchema schema = converter.schema(new TableId("dbo", "Orders"), row, key);
        Object[] v = converter.values(schema, after, new ArrayList<>());

        assertThat(schema.columns()).extracting(c -> c.type().kind()).containsExactly(LogicalType.Kind.INT32, LogicalType.Kind.BOOLEAN,
                LogicalType.Kind.INT16, LogicalType.Kind.DECIMAL, LogicalType.Kind.DECIMAL, LogicalType.Kind.TIMESTAMP, LogicalType.Kind.TIMESTAMP,
                LogicalType.Kind.TIMESTAMP, LogicalType.Kind.TIMESTAMP_TZ, LogicalType.Kind.TIME, LogicalType.Kind.STRING, LogicalType.Kind.STRING,
                LogicalType.Kind.STRING, LogicalType.Kind.BYTES, LogicalType.Kind.BYTES);
        assertThat(schema.columns().get(3).type().precision()).isEqualTo(19);
        assertThat(v).startsWith(7, true, (short) 255, new BigDecimal("922337203685477.5807"), new BigDecimal("-214748.3648"),
                1_700_000_000_003_000L, 1_700_000_000_123_456L, 1_700_000_040_000_000L);
        assertThat(v[8]).isEqualTo(1_717_228_800_123_456L); // the instant in UTC; 100 ns cut to micros
        assertThat(v[9]).isEqualTo(45_296_123_456L); // 12:34:56.1234567 as micros of the day
        assertThat(v[10]).isEqualTo("6F9619FF-8B86-D011-B42D-00C04FC964FF");
        assertThat((String) v[11]).hasSize(5000);
        assertThat(v[12]).isEqualTo("<a b=\"1\"/>");
        assertThat((byte[]) v[13]).containsExactly(0, 0, 0, 0, 0, 0, 7, 0xd1);
        assertThat((byte[]) v[14]).isEqualTo(wkb); // WKB, as for MariaDB's geometry
    }

    @Test
    void rowsLandInTheRawZoneValueByValue(@TempDir Path lake) throws Exception {
        Schema row = SchemaBuilder.struct().name("sales.dbo.Orders.Value")
                .field("Id", typed(SchemaBuilder.int32(), "INT").build())
                .field("Total", typed(Decimal.builder(4).optional(), "MONEY").parameter("connect.decimal.precision", "19").build())
                .field("Shipped", typed(SchemaBuilder.int64().name("io.debezium.time.NanoTimestamp").optional(), "DATETIME2").build())
                .field("Local", typed(SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").optional(), "DATETIMEOFFSET").build())
                .field("Ref", typed(SchemaBuilder.string().optional(), "UNIQUEIDENTIFIER").build())
                .build();
        Schema key = SchemaBuilder.struct().field("Id", Schema.INT32_SCHEMA).build();
        RecordConverter converter = new RecordConverter(false);
        TableSchema schema = converter.schema(new TableId("dbo", "Orders"), row, key);
        Struct before = new Struct(row).put("Id", 7).put("Total", new BigDecimal("10.0000")).put("Shipped", 1_700_000_000_123_456_700L)
                .put("Local", "2024-06-01T10:00:00+02:00").put("Ref", "6F9619FF-8B86-D011-B42D-00C04FC964FF");
        Struct after = new Struct(row).put("Id", 7).put("Total", new BigDecimal("12.3400")).put("Shipped", 1_700_000_000_123_456_700L)
                .put("Local", "2024-06-01T10:00:00+02:00").put("Ref", "6F9619FF-8B86-D011-B42D-00C04FC964FF");
        SqlServerDialect d = new SqlServerDialect();
        LakeSink sink = new LakeSink(new LocalObjectStore(lake), "sales", TargetConfig.Compression.ZSTD);
        sink.recover(Checkpoint.NONE);
        sink.write(List.of(new ChangeEvent(schema, Op.READ, converter.values(schema, before, new ArrayList<>()), d.fullLoadPosition(Map.of(), null, 1),
                        1_700_000_000_000_000L, "", true),
                new ChangeEvent(schema, Op.UPDATE, converter.values(schema, after, new ArrayList<>()),
                        d.changePosition(Map.of(), source("00000027:00000758:0005", "00000027:00000750:0002", 2)), 1_700_000_001_000_000L, "", false),
                new ChangeEvent(schema, Op.DELETE, converter.values(schema, after, new ArrayList<>()),
                        d.changePosition(Map.of(), source("00000028:00000010:0001", "00000028:00000008:0001", 1)), 1_700_000_002_000_000L, "", false)));
        sink.flush();
        try (LakeReader reader = new LakeReader(lake)) {
            assertThat(reader.query("select Op, Id, cast(Total as varchar) total, cast(Shipped as varchar) shipped, cast(Local as varchar) l, Ref "
                    + "from {raw} order by _position", "sales", "dbo", "Orders"))
                    .extracting(r -> r.get("Op") + " " + r.get("Id") + " " + r.get("total") + " " + r.get("shipped") + " " + r.get("l") + " " + r.get("Ref"))
                    .containsExactly("I 7 10.0000 2023-11-14 22:13:20.123456 2024-06-01 08:00:00+00 6F9619FF-8B86-D011-B42D-00C04FC964FF",
                            "U 7 12.3400 2023-11-14 22:13:20.123456 2024-06-01 08:00:00+00 6F9619FF-8B86-D011-B42D-00C04FC964FF",
                            "D 7 12.3400 2023-11-14 22:13:20.123456 2024-06-01 08:00:00+00 6F9619FF-8B86-D011-B42D-00C04FC964FF");
        }
    }

    @Test
    void catalogRowsBecomeCatalogColumnsTheMappingKnows() {
        assertThat(SqlServerCatalogReader.column("N", "nvarchar", -1L, null, null, null, true, null, false))
                .satisfies(c -> assertThat(List.of(c.dataType(), c.length(), c.columnType())).containsExactly("nvarchar", -1L, "nvarchar(max)"));
        assertThat(SqlServerCatalogReader.column("D", "datetime2", null, null, null, 7, false, "(getdate())", false))
                .satisfies(c -> assertThat(List.of(c.fsp(), c.defaultExpr())).containsExactly(7, "getdate()"));
        assertThat(SqlServerCatalogReader.column("M", "decimal", null, 18, 4, null, true, "((0))", false))
                .satisfies(c -> assertThat(List.of(c.precision(), c.scale(), c.defaultExpr(), c.columnType()))
                        .containsExactly(18, 4, "0", "decimal(18,4)"));
    }
}
