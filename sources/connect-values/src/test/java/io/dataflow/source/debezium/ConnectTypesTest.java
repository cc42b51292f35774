package io.dataflow.source.debezium;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.LogicalType;
import io.dataflow.api.LogicalType.Kind;
import io.dataflow.source.debezium.ConnectTypes;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/** The mapping from Debezium's Connect schemas to logical types and values (config/type-mapping.md). */
class ConnectTypesTest {
    static Schema named(Schema.Type type, String name) {
        return SchemaBuilder.type(type).name(name).optional().build();
    }

    @Test
    void temporalKindsFromSemanticNames() {
        assertThat(ConnectTypes.logicalType(named(Schema.Type.INT32, "io.debezium.time.Date")).kind()).isEqualTo(Kind.DATE);
        assertThat(ConnectTypes.logicalType(named(Schema.Type.INT64, "io.debezium.time.MicroTime")).kind()).isEqualTo(Kind.TIME);
        assertThat(ConnectTypes.logicalType(named(Schema.Type.INT64, "io.debezium.time.MicroTimestamp")).kind()).isEqualTo(Kind.TIMESTAMP);
        assertThat(ConnectTypes.logicalType(named(Schema.Type.STRING, "io.debezium.time.ZonedTimestamp")).kind()).isEqualTo(Kind.TIMESTAMP_TZ);
        assertThat(ConnectTypes.logicalType(named(Schema.Type.STRING, "io.debezium.time.ZonedTime")).kind()).isEqualTo(Kind.TIME_TZ);
        assertThat(ConnectTypes.logicalType(named(Schema.Type.STRING, "io.debezium.time.Interval")).kind()).isEqualTo(Kind.INTERVAL);
    }

    @Test
    void temporalValuesBecomeMicroseconds() {
        Schema millisTs = named(Schema.Type.INT64, "io.debezium.time.Timestamp");
        LogicalType ts = ConnectTypes.logicalType(millisTs);
        assertThat(ConnectTypes.value(millisTs, ts, 1_500L)).isEqualTo(1_500_000L);
        Schema nanoTs = named(Schema.Type.INT64, "io.debezium.time.NanoTimestamp");
        assertThat(ConnectTypes.value(nanoTs, ConnectTypes.logicalType(nanoTs), -1L)).isEqualTo(-1L);
        Schema date = named(Schema.Type.INT32, "io.debezium.time.Date");
        assertThat(ConnectTypes.value(date, ConnectTypes.logicalType(date), -1)).isEqualTo(LocalDate.of(1969, 12, 31));
        Schema zoned = named(Schema.Type.STRING, "io.debezium.time.ZonedTimestamp");
        assertThat(ConnectTypes.value(zoned, ConnectTypes.logicalType(zoned), "1970-01-01T00:00:01.000002Z")).isEqualTo(1_000_002L);
        assertThat(ConnectTypes.value(zoned, ConnectTypes.logicalType(zoned), "1970-01-01T02:00:00+02:00")).isEqualTo(0L);
        assertThat(ConnectTypes.utcTimeMicros("10:00:00.5+02:00")).isEqualTo(8L * 3600_000_000L + 500_000L);
    }

    @Test
    void decimalsKeepPrecisionAndTooWideOnesBecomeExactText() {
        Schema d = Decimal.builder(2).parameter("connect.decimal.precision", "10").optional().build();
        LogicalType t = ConnectTypes.logicalType(d);
        assertThat(t).matches(x -> x.kind() == Kind.DECIMAL && x.precision() == 10 && x.scale() == 2);
        assertThat(ConnectTypes.value(d, t, new BigDecimal("1.50"))).isEqualTo(new BigDecimal("1.50"));
        Schema wide = Decimal.builder(0).parameter("connect.decimal.precision", "50").optional().build();
        assertThat(ConnectTypes.logicalType(wide).kind()).isEqualTo(Kind.STRING);
        assertThat(ConnectTypes.value(wide, LogicalType.of(Kind.STRING), new BigDecimal("12345678901234567890123456789012345678901234567890")))
                .isEqualTo("12345678901234567890123456789012345678901234567890");
        Schema money = Decimal.builder(2).parameter("__debezium.source.column.type", "MONEY").optional().build();
        assertThat(ConnectTypes.logicalType(money)).matches(x -> x.kind() == Kind.DECIMAL && x.precision() == 19);
    }

    @Test
    void variableScaleDecimalsBecomeExactText() {
        Schema vsd = SchemaBuilder.struct().name("io.debezium.data.VariableScaleDecimal")
                .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).optional().build();
        Struct v = new Struct(vsd).put("scale", 3).put("value", ByteBuffer.wrap(new java.math.BigInteger("-1234567").toByteArray()));
        assertThat(ConnectTypes.logicalType(vsd).kind()).isEqualTo(Kind.STRING);
        assertThat(ConnectTypes.value(vsd, LogicalType.of(Kind.STRING), v)).isEqualTo("-1234.567");
    }

    @Test
    void arraysBytesAndWideningOfTinyIntegers() {
        Schema arr = SchemaBuilder.array(Schema.OPTIONAL_INT32_SCHEMA).optional().build();
        LogicalType t = ConnectTypes.logicalType(arr);
        assertThat(t.kind()).isEqualTo(Kind.ARRAY);
        assertThat(t.element().kind()).isEqualTo(Kind.INT32);
        assertThat(ConnectTypes.value(arr, t, Arrays.asList(1, null, 3))).isEqualTo(Arrays.asList(1, null, 3));
        Schema bytes = Schema.OPTIONAL_BYTES_SCHEMA;
        assertThat((byte[]) ConnectTypes.value(bytes, ConnectTypes.logicalType(bytes), ByteBuffer.wrap(new byte[] {1, 2})))
                .containsExactly(1, 2);
        assertThat(ConnectTypes.value(Schema.OPTIONAL_INT8_SCHEMA, ConnectTypes.logicalType(Schema.OPTIONAL_INT8_SCHEMA), (byte) -5))
                .isEqualTo((short) -5);
        assertThat(ConnectTypes.logicalType(SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build()).kind())
                .isEqualTo(Kind.JSON);
        assertThat(List.of(Kind.values())).hasSize(19);
    }

    @Test
    void postgresBitStringsComeBackAsTheirBitsAndMySqlBitsStayBytes() {
        Schema bits = SchemaBuilder.bytes().name("io.debezium.data.Bits").parameter("length", "12")
                .parameter("__debezium.source.column.type", "BIT").build();
        assertThat(ConnectTypes.logicalType(bits, false).kind()).isEqualTo(Kind.STRING);
        // Debezium: 0b001010101010 = 0x2AA, least significant byte first
        assertThat(ConnectTypes.value(bits, ConnectTypes.logicalType(bits, false), new byte[] {(byte) 0xAA, 0x02})).isEqualTo("001010101010");
        assertThat(ConnectTypes.value(bits, ConnectTypes.logicalType(bits, false), java.nio.ByteBuffer.wrap(new byte[] {0x01})))
                .isEqualTo("000000000001");
        assertThat(ConnectTypes.logicalType(bits, true).kind()).as("MySQL's bit(n) is a number: bytes").isEqualTo(Kind.BYTES);
        Schema varbit = SchemaBuilder.bytes().name("io.debezium.data.Bits").parameter("length", "10")
                .parameter("__debezium.source.column.type", "VARBIT").build();
        LogicalType vt = ConnectTypes.logicalType(varbit, false);
        assertThat(vt.kind()).isEqualTo(Kind.STRING);
        assertThat(ConnectTypes.value(varbit, vt, new byte[] {0x05})).as("leading zeros cannot be known").isEqualTo("101");
        assertThat(ConnectTypes.value(varbit, vt, new byte[] {0x00})).isEqualTo("0");
        assertThat(ConnectTypes.value(varbit, vt, new byte[] {})).isEqualTo("");
    }
}
