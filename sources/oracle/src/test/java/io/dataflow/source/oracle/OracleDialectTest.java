package io.dataflow.source.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflow.api.LogicalType;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.config.ConfigException;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.PipelineConfigReader;
import io.dataflow.source.debezium.RecordConverter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Oracle without a server: the pipeline keys, the Debezium configuration, positions in commit order, and the rows made
 * from records shaped as Debezium's Oracle connector documents them (its semantic types, the LOB placeholder).
 */
class OracleDialectTest {
    static PipelineConfig pipeline(String extra) {
        return new PipelineConfigReader(k -> k.equals("ORA_PW") ? "s3cret-Pw" : null).parse("""
                name: erp
                source: {type: oracle, host: ora.example, database: ORCLCDB, user: c##dbzuser, password: "${env:ORA_PW}"%s}
                tables: {include: [INVENTORY.*], exclude: [INVENTORY.AUDIT*]}
                targets: [{type: lake, uri: /tmp/lake}]
                """.formatted(extra), Path.of("."));
    }

    @Test
    void pipelineKeysBecomeTheConnectorsProperties() {
        PipelineConfig p = pipeline(", pdb: ORCLPDB1, log-mining-strategy: redo_log_catalog");
        assertThat(p.source().port()).isEqualTo(1521);
        assertThat(p.source().jdbcUrl()).isEqualTo("jdbc:oracle:thin:@//ora.example:1521/ORCLPDB1");
        Properties props = new OracleDialect().properties(p, List.of(new TableId("INVENTORY", "CUSTOMERS")));
        assertThat(props).containsEntry("connector.class", "io.debezium.connector.oracle.OracleConnector")
                .containsEntry("database.dbname", "ORCLCDB").containsEntry("database.pdb.name", "ORCLPDB1")
                .containsEntry("log.mining.strategy", "redo_log_catalog").containsEntry("lob.enabled", "true")
                .containsEntry("schema.history.internal", "io.dataflow.source.debezium.ObjectStoreSchemaHistory")
                .containsEntry("schema.history.internal.dataflow.pipeline", "erp");
        Pattern tables = Pattern.compile(props.getProperty("table.include.list"));
        assertThat(tables.matcher("INVENTORY.CUSTOMERS").matches()).isTrue();
        assertThat(tables.matcher("INVENTORY.AUDIT_LOG").matches()).isFalse();
        assertThat(tables.matcher("HR.EMPLOYEES").matches()).isFalse();
        assertThat(props.values()).doesNotContain("s3cret-Pw"); // the password is DebeziumSource's, set once, never logged
        assertThat(pipeline("").source().jdbcUrl()).isEqualTo("jdbc:oracle:thin:@//ora.example:1521/ORCLCDB");
        assertThat(new OracleDialect().properties(pipeline(""), List.of())).containsEntry("log.mining.strategy", "online_catalog")
                .doesNotContainKey("database.pdb.name");
    }

    @Test
    void aWrongStrategyNamesTheKey() {
        assertThatThrownBy(() -> pipeline(", log-mining-strategy: fast")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.log-mining-strategy: 'fast'").hasMessageContaining("online_catalog");
    }

    @Test
    void positionsSortInCommitOrder() {
        OracleDialect d = new OracleDialect();
        // three transactions; the second commits at a higher SCN than the first though it started earlier; events by txSeq
        List<String> inCommitOrder = new ArrayList<>();
        for (long[] e : new long[][] {{9_000_000_123L, 1}, {9_000_000_123L, 2}, {9_000_000_123L, 10}, {9_000_000_500L, 1},
                {12_000_000_000_000L, 1}, {12_000_000_000_000L, 2}}) {
            inCommitOrder.add(d.changePosition(Map.of(), source("" + e[0], e[1])));
        }
        List<String> sorted = new ArrayList<>(inCommitOrder);
        sorted.sort(null);
        assertThat(sorted).isEqualTo(inCommitOrder);
        assertThat(inCommitOrder.get(0)).isEqualTo("1-0000000218711a7b-0000000000000001-0000");
        assertThat(d.fullLoadPosition(Map.of("snapshot_scn", "9000000000"), source("1", 0), 5)).startsWith("0-").endsWith("0000000000000005");
        assertThat(OracleDialect.scn("12345:1:0a001b,12400:2:0b")).isEqualTo(12400); // RAC: one commit SCN per redo thread
    }

    private static Struct source(String commitScn, long txSeq) {
        Schema s = SchemaBuilder.struct().field("schema", Schema.STRING_SCHEMA).field("table", Schema.STRING_SCHEMA)
                .field("scn", Schema.OPTIONAL_STRING_SCHEMA).field("commit_scn", Schema.OPTIONAL_STRING_SCHEMA)
                .field("txSeq", Schema.OPTIONAL_INT64_SCHEMA).build();
        return new Struct(s).put("schema", "INVENTORY").put("table", "CUSTOMERS").put("scn", commitScn).put("commit_scn", commitScn)
                .put("txSeq", txSeq);
    }

    /** A column schema as the connector writes it, with the source type it propagates. */
    static SchemaBuilder typed(SchemaBuilder b, String sourceType) {
        return b.parameter("__debezium.source.column.type", sourceType);
    }

    static final Schema VSD = SchemaBuilder.struct().name("io.debezium.data.VariableScaleDecimal").optional()
            .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).build();
    /** A row of INVENTORY.CUSTOMERS as the Oracle connector describes it (decimal.handling.mode=precise, LOBs enabled). */
    static final Schema ROW = SchemaBuilder.struct().name("erp.INVENTORY.CUSTOMERS.Value")
            .field("ID", typed(SchemaBuilder.int64(), "NUMBER").parameter("__debezium.source.column.length", "10").build())
            .field("PRICE", typed(Decimal.builder(2).optional(), "NUMBER").parameter("connect.decimal.precision", "10").build())
            .field("AMOUNT", VSD)
            .field("RATIO", typed(SchemaBuilder.float32().optional(), "BINARY_FLOAT").build())
            .field("SCORE", typed(SchemaBuilder.float64().optional(), "BINARY_DOUBLE").build())
            .field("NAME", typed(SchemaBuilder.string().optional(), "NVARCHAR2").build())
            .field("NOTES", typed(SchemaBuilder.string().optional(), "CLOB").build())
            .field("PHOTO", typed(SchemaBuilder.bytes().optional(), "BLOB").build())
            .field("CREATED", typed(SchemaBuilder.int64().name("io.debezium.time.Timestamp").optional(), "DATE").build())
            .field("UPDATED", typed(SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional(), "TIMESTAMP(6)").build())
            .field("PRECISE", typed(SchemaBuilder.int64().name("io.debezium.time.NanoTimestamp").optional(), "TIMESTAMP(9)").build())
            .field("AT_TZ", typed(SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").optional(), "TIMESTAMP(6) WITH TIME ZONE").build())
            .field("TERM", typed(SchemaBuilder.string().name("io.debezium.time.Interval").optional(), "INTERVAL YEAR(2) TO MONTH").build())
            .field("TAG", typed(SchemaBuilder.bytes().optional(), "RAW").build())
            .field("RID", typed(SchemaBuilder.string().optional(), "ROWID").build())
            .build();
    static final Schema KEY = SchemaBuilder.struct().field("ID", Schema.INT64_SCHEMA).build();

    /** One row; {@code notes} may be Debezium's placeholder for a LOB the change did not touch. */
    static Struct after(String notes) {
        return new Struct(ROW).put("ID", 42L).put("PRICE", new BigDecimal("1234.50"))
                .put("AMOUNT", new Struct(VSD).put("scale", 5).put("value", ByteBuffer.wrap(new BigInteger("-31415926535").toByteArray())))
                .put("RATIO", 0.25f).put("SCORE", 1e300).put("NAME", "Zoë 山田").put("NOTES", notes)
                .put("PHOTO", ByteBuffer.wrap(new byte[] {1, 2, 3})).put("CREATED", 1_700_000_000_000L)
                .put("UPDATED", 1_700_000_000_123_456L).put("PRECISE", 1_700_000_000_123_456_789L)
                .put("AT_TZ", "2024-02-29T23:59:59.999999Z").put("TERM", "P1Y2M").put("TAG", ByteBuffer.wrap(new byte[] {(byte) 0xff}))
                .put("RID", "AAAR3sAAEAAAACXAAA");
    }

    @Test
    void rowsLandInTheRawZoneValueByValue(@TempDir Path lake) throws Exception {
        RecordConverter converter = new RecordConverter(false);
        TableSchema schema = converter.schema(new TableId("INVENTORY", "CUSTOMERS"), ROW, KEY);
        OracleDialect d = new OracleDialect();
        List<String> unchanged = new ArrayList<>();
        Object[] loaded = converter.values(schema, after("a long CLOB text"), new ArrayList<>());
        Object[] updated = converter.values(schema, after("__debezium_unavailable_value"), unchanged);
        LakeSink sink = new LakeSink(new LocalObjectStore(lake), "erp", TargetConfig.Compression.ZSTD);
        sink.recover(Checkpoint.NONE);
        sink.write(List.of(new ChangeEvent(schema, Op.READ, loaded, d.fullLoadPosition(Map.of("snapshot_scn", "100"), source("100", 0), 1),
                        1_700_000_000_000_000L, "", true),
                new ChangeEvent(schema, Op.UPDATE, updated, d.changePosition(Map.of(), source("200", 1)), 1_700_000_001_000_000L, "tx1",
                        false, unchanged)));
        sink.flush();
        try (LakeReader reader = new LakeReader(lake)) {
            List<Map<String, Object>> rows = reader.query("select Op, ID, cast(PRICE as varchar) price, AMOUNT, RATIO, SCORE, NAME, NOTES, "
                    + "hex(PHOTO) photo, cast(CREATED as varchar) created, cast(UPDATED as varchar) upd, cast(PRECISE as varchar) prec, "
                    + "cast(AT_TZ as varchar) tz, TERM, hex(TAG) tag, RID, cast(_unchanged as varchar) unchanged "
                    + "from {raw} order by _position", "erp", "INVENTORY", "CUSTOMERS");
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0)).containsEntry("Op", "I").containsEntry("ID", 42L).containsEntry("price", "1234.50")
                    .containsEntry("AMOUNT", "-314159.26535").containsEntry("RATIO", 0.25f).containsEntry("SCORE", 1e300)
                    .containsEntry("NAME", "Zoë 山田").containsEntry("NOTES", "a long CLOB text").containsEntry("photo", "010203")
                    .containsEntry("created", "2023-11-14 22:13:20").containsEntry("upd", "2023-11-14 22:13:20.123456")
                    .containsEntry("prec", "2023-11-14 22:13:20.123456").containsEntry("tz", "2024-02-29 23:59:59.999999+00")
                    .containsEntry("TERM", "P1Y2M").containsEntry("tag", "FF").containsEntry("RID", "AAAR3sAAEAAAACXAAA");
            assertThat(rows.get(1)).containsEntry("Op", "U").containsEntry("NOTES", null).containsEntry("unchanged", "NOTES");
        }
    }

    @Test
    void everyMappedTypeBecomesItsLogicalTypeAndValue() {
        Struct after = after("__debezium_unavailable_value");
        RecordConverter converter = new RecordConverter(false);
        TableSchema schema = converter.schema(new TableId("INVENTORY", "CUSTOMERS"), ROW, KEY);
        List<String> unchanged = new ArrayList<>();
        Object[] v = converter.values(schema, after, unchanged);

        assertThat(schema.keyColumns()).containsExactly("ID");
        assertThat(schema.columns()).extracting(c -> c.type().kind()).containsExactly(LogicalType.Kind.INT64, LogicalType.Kind.DECIMAL,
                LogicalType.Kind.STRING, LogicalType.Kind.FLOAT32, LogicalType.Kind.FLOAT64, LogicalType.Kind.STRING, LogicalType.Kind.STRING,
                LogicalType.Kind.BYTES, LogicalType.Kind.TIMESTAMP, LogicalType.Kind.TIMESTAMP, LogicalType.Kind.TIMESTAMP,
                LogicalType.Kind.TIMESTAMP_TZ, LogicalType.Kind.INTERVAL, LogicalType.Kind.BYTES, LogicalType.Kind.STRING);
        assertThat(v[0]).isEqualTo(42L);
        assertThat(v[1]).isEqualTo(new BigDecimal("1234.50"));
        assertThat(v[2]).isEqualTo("-314159.26535"); // NUMBER without precision: exact text, whatever its scale
        assertThat(v[3]).isEqualTo(0.25f);
        assertThat(v[4]).isEqualTo(1e300);
        assertThat(v[5]).isEqualTo("Zoë 山田");
        assertThat(v[6]).isNull(); // a LOB the UPDATE did not touch: not sent, named in _unchanged
        assertThat(unchanged).containsExactly("NOTES");
        assertThat((byte[]) v[7]).containsExactly(1, 2, 3);
        assertThat(v[8]).isEqualTo(1_700_000_000_000_000L); // DATE carries a time of day: micros
        assertThat(v[9]).isEqualTo(1_700_000_000_123_456L);
        assertThat(v[10]).isEqualTo(1_700_000_000_123_456L); // nanoseconds cut to micros (Parquet's finest here)
        assertThat(v[11]).isEqualTo(1_709_251_199_999_999L);
        assertThat(v[12]).isEqualTo("P1Y2M");
        assertThat(Arrays.equals((byte[]) v[13], new byte[] {(byte) 0xff})).isTrue();
        assertThat(v[14]).isEqualTo("AAAR3sAAEAAAACXAAA");
    }

    @Test
    void dictionaryRowsBecomeCatalogColumnsTheMappingKnows() {
        assertThat(OracleCatalogReader.column("T", "TIMESTAMP(9) WITH TIME ZONE", 0, null, 9, true, null, false))
                .satisfies(c -> {
                    assertThat(c.dataType()).isEqualTo("timestamp with time zone");
                    assertThat(c.fsp()).isEqualTo(9);
                });
        assertThat(OracleCatalogReader.column("N", "NUMBER", 0, null, null, true, null, false).precision()).isEqualTo(-1);
        assertThat(OracleCatalogReader.column("N", "NUMBER", 0, 12, 2, false, "0", false))
                .satisfies(c -> assertThat(List.of(c.dataType(), c.precision(), c.scale(), c.nullable(), c.columnType()))
                        .containsExactly("number", 12, 2, false, "number(12,2)"));
        assertThat(OracleCatalogReader.column("S", "VARCHAR2", 40, null, null, true, null, false))
                .satisfies(c -> assertThat(List.of(c.dataType(), c.length())).containsExactly("varchar2", 40L));
        assertThat(OracleCatalogReader.column("I", "INTERVAL DAY(3) TO SECOND(4)", 0, null, null, true, null, false))
                .satisfies(c -> assertThat(List.of(c.dataType(), c.fsp())).containsExactly("interval day to second", 4));
    }
}
