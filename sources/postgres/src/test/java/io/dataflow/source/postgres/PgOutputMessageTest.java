package io.dataflow.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflow.api.LogicalType;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** pgoutput messages, written here byte by byte as the protocol documents them, and the values the stream sends. */
class PgOutputMessageTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    private PgOutputMessage decoded() {
        ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray());
        PgOutputMessage m = PgOutputMessage.decode(b);
        assertThat(b.remaining()).as("bytes left after the message").isZero();
        return m;
    }

    private void string(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }

    private void text(String s) throws IOException {
        byte[] v = s.getBytes(StandardCharsets.UTF_8);
        out.write('t');
        out.writeInt(v.length);
        out.write(v);
    }

    @Test
    void beginAndCommitCarryTheTransactionAndItsTimesSincePostgresEpoch() throws IOException {
        out.write('B');
        out.writeLong(0x1_0000_0010L);
        out.writeLong(1_000_000L); // one second after 2000-01-01
        out.writeInt(-2); // xids are unsigned 32-bit
        assertThat(decoded()).isEqualTo(new PgOutputMessage.Begin(0x1_0000_0010L, 946_684_801_000_000L, 4_294_967_294L));
        bytes.reset();
        out.write('C');
        out.write(0);
        out.writeLong(100);
        out.writeLong(180);
        out.writeLong(0);
        assertThat(decoded()).isEqualTo(new PgOutputMessage.Commit(100, 180, 946_684_800_000_000L));
    }

    @Test
    void relationNamesItsColumnsTypesAndKeyFlags() throws IOException {
        out.write('R');
        out.writeInt(16384);
        string("Sales");
        string("order lines");
        out.write('d');
        out.writeShort(2);
        out.write(1);
        string("id");
        out.writeInt(23);
        out.writeInt(-1);
        out.write(0);
        string("Ünit");
        out.writeInt(1700);
        out.writeInt((10 << 16 | 2) + 4);
        PgOutputMessage.Relation r = (PgOutputMessage.Relation) decoded();
        assertThat(r.oid()).isEqualTo(16384);
        assertThat(r.namespace()).isEqualTo("Sales");
        assertThat(r.name()).isEqualTo("order lines");
        assertThat(r.replicaIdentity()).isEqualTo('d');
        assertThat(r.columns()).containsExactly(new PgOutputMessage.RelationColumn("id", 23, -1, true),
                new PgOutputMessage.RelationColumn("Ünit", 1700, (10 << 16 | 2) + 4, false));
    }

    @Test
    void tuplesTellNullFromUnchangedToastFromText() throws IOException {
        out.write('U');
        out.writeInt(7);
        out.write('O');
        out.writeShort(3);
        text("1");
        text("old body");
        out.write('n');
        out.write('N');
        out.writeShort(3);
        text("1");
        out.write('u');
        text("");
        PgOutputMessage.Update u = (PgOutputMessage.Update) decoded();
        assertThat(u.relation()).isEqualTo(7);
        assertThat(u.oldKind()).isEqualTo('O');
        assertThat(u.old().values()).containsExactly("1", "old body", null);
        assertThat(u.row().values()).containsExactly("1", null, "");
        assertThat(u.row().unchanged()).containsExactly(false, true, false);
        assertThat(u.row().anyUnchanged()).isTrue();
        assertThat(u.old().anyUnchanged()).isFalse();
    }

    @Test
    void updateWithoutOldValuesAndDeleteByKey() throws IOException {
        out.write('U');
        out.writeInt(7);
        out.write('N');
        out.writeShort(1);
        text("2");
        PgOutputMessage.Update u = (PgOutputMessage.Update) decoded();
        assertThat(u.oldKind()).isEqualTo('0');
        assertThat(u.old()).isNull();
        bytes.reset();
        out.write('D');
        out.writeInt(7);
        out.write('K');
        out.writeShort(2);
        text("2");
        out.write('n');
        PgOutputMessage.Delete d = (PgOutputMessage.Delete) decoded();
        assertThat(d.oldKind()).isEqualTo('K');
        assertThat(d.old().values()).containsExactly("2", null);
    }

    @Test
    void truncateListsEveryTableAndItsOptions() throws IOException {
        out.write('T');
        out.writeInt(2);
        out.write(3);
        out.writeInt(10);
        out.writeInt(11);
        PgOutputMessage.Truncate t = (PgOutputMessage.Truncate) decoded();
        assertThat(t.relations()).containsExactly(10, 11);
        assertThat(t.cascade()).isTrue();
        assertThat(t.restartIdentity()).isTrue();
    }

    @Test
    void anUnknownMessageOrTupleKindIsAnErrorNamingIt() throws IOException {
        out.write('S'); // a streamed transaction (protocol 2), which this reader never asks for
        assertThatThrownBy(this::decoded).hasMessageContaining("unknown message type 'S'");
        bytes.reset();
        out.write('I');
        out.writeInt(1);
        out.write('N');
        out.writeShort(1);
        out.write('b'); // binary values (protocol 2 with binary = true)
        assertThatThrownBy(this::decoded).hasMessageContaining("unexpected column kind 'b'");
    }

    @Test
    void valuesTheFullLoadSelectsThroughAnExpressionAreReadFromTheirPlainOutput() {
        assertThat(PgStreamTable.money("-$1,234.50")).isEqualTo(new BigDecimal("-1234.50"));
        assertThat(PgStreamTable.money("$0.07")).isEqualTo(new BigDecimal("0.07"));
        assertThat(PgStreamTable.hstoreJson("\"a\"=>\"1\", \"b \\\"q\\\"\"=>NULL, \"c\"=>\"x\\\\y\n\""))
                .isEqualTo("{\"a\":\"1\",\"b \\\"q\\\"\":null,\"c\":\"x\\\\y\\n\"}");
        assertThat(PgStreamTable.hstoreJson("")).isEqualTo("{}");
        assertThat(PgStreamTable.money("$12,345,678.00")).isEqualTo(new BigDecimal("12345678.00"));
    }

    @Test
    void theStreamAndTheFullLoadReadValuesUnderTheSameSettings() {
        assertThat(PgTextValues.SESSION).containsExactly("SET DateStyle = 'ISO,YMD'", "SET IntervalStyle = 'iso_8601'", "SET TimeZone = 'UTC'",
                "SET extra_float_digits = '3'", "SET bytea_output = 'hex'");
        assertThat(PgOutputSource.SESSION_OPTIONS).isEqualTo("-c DateStyle=ISO,YMD -c IntervalStyle=iso_8601 -c TimeZone=UTC "
                + "-c extra_float_digits=3 -c bytea_output=hex -c lc_monetary=C");
    }

    @Test
    void onlyConstantDefaultsAreKept() {
        assertThat(PgStreamTable.constantDefault("5", LogicalType.of(LogicalType.Kind.INT32))).isEqualTo(5);
        assertThat(PgStreamTable.constantDefault("'-1'::integer", LogicalType.of(LogicalType.Kind.INT32))).isEqualTo(-1);
        assertThat(PgStreamTable.constantDefault("'it''s'::text", LogicalType.of(LogicalType.Kind.STRING))).isEqualTo("it's");
        assertThat(PgStreamTable.constantDefault("true", LogicalType.of(LogicalType.Kind.BOOLEAN))).isEqualTo(true);
        assertThat(PgStreamTable.constantDefault("nextval('t_id_seq'::regclass)", LogicalType.of(LogicalType.Kind.INT64))).isNull();
        assertThat(PgStreamTable.constantDefault("now()", LogicalType.of(LogicalType.Kind.TIMESTAMP_TZ))).isNull();
        assertThat(PgStreamTable.constantDefault(null, LogicalType.of(LogicalType.Kind.STRING))).isNull();
    }
}
