package io.dataflow.connect;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/** Change records shaped as Debezium's PostgreSQL connector sends them (key, envelope, source block), for tests. */
final class Envelopes {
    static final Schema KEY = SchemaBuilder.struct().name("pg.public.accounts.Key").field("id", Schema.INT64_SCHEMA).build();
    static final Schema ROW = SchemaBuilder.struct().name("pg.public.accounts.Value").optional()
            .field("id", Schema.INT64_SCHEMA).field("balance", Schema.OPTIONAL_INT64_SCHEMA).field("note", Schema.OPTIONAL_STRING_SCHEMA).build();
    static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("version", Schema.STRING_SCHEMA).field("connector", Schema.STRING_SCHEMA).field("name", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA).field("ts_us", Schema.OPTIONAL_INT64_SCHEMA).field("snapshot", Schema.OPTIONAL_STRING_SCHEMA)
            .field("db", Schema.STRING_SCHEMA).field("sequence", Schema.OPTIONAL_STRING_SCHEMA).field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA).field("txId", Schema.OPTIONAL_INT64_SCHEMA).field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    static final Schema ENVELOPE = SchemaBuilder.struct().name("pg.public.accounts.Envelope")
            .field("before", ROW).field("after", ROW).field("source", SOURCE).field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
    static final String TOPIC = "pg.public.accounts";
    static final long COMMIT_MICROS = 1_764_460_800_000_000L; // 2025-11-30

    private Envelopes() {}

    /**
     * The change of row {@code id} at Kafka offset {@code offset}: op c/u/d, the transaction {@code tx} committed after
     * the one ending at {@code commitLsn}, the event at {@code lsn}.
     */
    static SinkRecord change(int partition, long offset, String op, long id, long balance, long tx, long commitLsn, long lsn) {
        Struct row = new Struct(ROW).put("id", id).put("balance", balance).put("note", op.equals("u") ? "__debezium_unavailable_value" : "n" + id);
        Struct source = new Struct(SOURCE).put("version", "3.5.0.Final").put("connector", "postgresql").put("name", "pg")
                .put("ts_ms", COMMIT_MICROS / 1000 + tx).put("ts_us", COMMIT_MICROS + tx * 1000).put("snapshot", "false").put("db", "shop")
                .put("sequence", "[\"" + commitLsn + "\",\"" + lsn + "\"]").put("schema", "public").put("table", "accounts")
                .put("txId", tx).put("lsn", lsn);
        Struct envelope = new Struct(ENVELOPE).put("source", source).put("op", op).put("ts_ms", COMMIT_MICROS / 1000 + tx);
        if (op.equals("d")) {
            envelope.put("before", row);
        } else {
            envelope.put("after", row);
        }
        return new SinkRecord(TOPIC, partition, KEY, new Struct(KEY).put("id", id), ENVELOPE, envelope, offset);
    }

    /** The row schema after {@code alter table accounts add column region text}. */
    static final Schema ROW_V2 = SchemaBuilder.struct().name("pg.public.accounts.Value").optional()
            .field("id", Schema.INT64_SCHEMA).field("balance", Schema.OPTIONAL_INT64_SCHEMA).field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .field("region", Schema.OPTIONAL_STRING_SCHEMA).build();
    static final Schema ENVELOPE_V2 = SchemaBuilder.struct().name("pg.public.accounts.Envelope")
            .field("before", ROW_V2).field("after", ROW_V2).field("source", SOURCE).field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();

    /** An insert of row {@code id} with the added column set, as {@link #change} otherwise. */
    static SinkRecord insertV2(int partition, long offset, long id, long tx, long commitLsn, long lsn) {
        SinkRecord v1 = change(partition, offset, "c", id, id * 10, tx, commitLsn, lsn);
        Struct old = (Struct) v1.value();
        Struct row = new Struct(ROW_V2).put("id", id).put("balance", id * 10).put("note", "n" + id).put("region", "eu");
        Struct envelope = new Struct(ENVELOPE_V2).put("after", row).put("source", old.getStruct("source")).put("op", "c")
                .put("ts_ms", old.getInt64("ts_ms"));
        return new SinkRecord(TOPIC, partition, KEY, v1.key(), ENVELOPE_V2, envelope, offset);
    }

    /** A heartbeat-like record: no envelope. */
    static SinkRecord other(int partition, long offset) {
        return new SinkRecord(TOPIC, partition, null, null, null, null, offset);
    }
}
