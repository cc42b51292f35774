package io.dataflow.source.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflow.api.LogicalType;
import io.dataflow.api.Op;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.config.ConfigException;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.PipelineConfigReader;
import io.dataflow.source.debezium.RecordConverter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import io.dataflow.api.ChangeEvent;
import io.dataflow.api.Checkpoint;
import io.dataflow.config.TargetConfig;
import io.dataflow.lake.LakeSink;
import io.dataflow.storage.LocalObjectStore;
import io.dataflow.testing.LakeReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MongoDB without a server: the pipeline keys, the Debezium configuration, resume-token positions in commit order, and
 * the rows made from change events shaped as Debezium's MongoDB connector documents them ({@code after} a JSON string,
 * {@code updateDescription}, deletes carrying only the key).
 */
class MongoDialectTest {
    /** The envelope of Debezium's MongoDB connector (3.x), as documented. */
    static final Schema UPDATE_DESCRIPTION = SchemaBuilder.struct().optional().name("io.debezium.connector.mongodb.changestream.updatedescription")
            .field("removedFields", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .field("updatedFields", SchemaBuilder.string().optional().name("io.debezium.data.Json").build())
            .field("truncatedArrays", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build()).build();
    static final Schema SOURCE = SchemaBuilder.struct().field("db", Schema.STRING_SCHEMA).field("collection", Schema.STRING_SCHEMA)
            .field("ord", Schema.INT32_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA).build();
    static final Schema ENVELOPE = SchemaBuilder.struct().name("shop.inventory.orders.Envelope")
            .field("before", SchemaBuilder.string().optional().name("io.debezium.data.Json").build())
            .field("after", SchemaBuilder.string().optional().name("io.debezium.data.Json").build())
            .field("updateDescription", UPDATE_DESCRIPTION)
            .field("source", SOURCE).field("op", Schema.OPTIONAL_STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
    static final Schema KEY = SchemaBuilder.struct().name("shop.inventory.orders.Key").field("id", Schema.STRING_SCHEMA).build();

    static PipelineConfig pipeline(String extra) {
        return new PipelineConfigReader(k -> k.equals("MONGO_URL") ? "mongodb://app:Pa55@m1:27017,m2:27017/?replicaSet=rs0" : null).parse("""
                name: shop
                source: {type: mongodb, database: inventory%s}
                tables: {include: [inventory.orders, inventory.cust*]}
                targets: [{type: lake, uri: /tmp/lake}]
                """.formatted(extra), Path.of("."));
    }

    @Test
    void pipelineKeysBecomeTheConnectorsProperties() {
        PipelineConfig p = pipeline(", connection-string: \"${env:MONGO_URL}\", capture-mode: change_streams");
        Properties props = new MongoDialect().properties(p, List.of(new TableId("inventory", "orders")));
        assertThat(props).containsEntry("connector.class", "io.debezium.connector.mongodb.MongoDbConnector")
                .containsEntry("mongodb.connection.string", "mongodb://app:Pa55@m1:27017,m2:27017/?replicaSet=rs0")
                .containsEntry("capture.mode", "change_streams").containsEntry("database.include.list", "\\Qinventory\\E")
                .doesNotContainKey("schema.history.internal");
        Pattern collections = Pattern.compile(props.getProperty("collection.include.list"));
        assertThat(collections.matcher("inventory.orders").matches()).isTrue();
        assertThat(collections.matcher("inventory.customers").matches()).isTrue();
        assertThat(collections.matcher("inventory.audit").matches()).isFalse();
        // built from host, port, user and password when no connection string is given (credentials URL-encoded)
        PipelineConfig built = new PipelineConfigReader(k -> null).parse("""
                name: shop
                source: {type: mongodb, host: db.example, database: inventory, user: "ops@x", password: "p:w/d"}
                targets: [{type: lake, uri: /tmp/lake}]
                """, Path.of("."));
        assertThat(MongoSourceKeys.connectionString(built.source())).isEqualTo("mongodb://ops%40x:p%3Aw%2Fd@db.example:27017/?authSource=admin");
        assertThat(new MongoDialect().properties(built, List.of())).containsEntry("capture.mode", "change_streams_update_full");
    }

    @Test
    void aConnectionStringIsASecretInErrors() {
        assertThatThrownBy(() -> pipeline(", connection-string: [\"mongodb://app:Pa55@m1\"]")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.connection-string").hasMessageNotContaining("Pa55");
        assertThatThrownBy(() -> pipeline(", capture-mode: oplog")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.capture-mode: 'oplog'");
    }

    private static Struct envelope(String op, String after, Struct update) {
        return new Struct(ENVELOPE).put("op", op).put("after", after).put("updateDescription", update).put("ts_ms", 1L)
                .put("source", new Struct(SOURCE).put("db", "inventory").put("collection", "orders").put("ord", 1).put("ts_ms", 1_700_000_000_000L));
    }

    private static Struct key(String id) {
        return new Struct(KEY).put("id", id);
    }

    @Test
    void readsInsertsUpdatesAndDeletesBecomeDocumentRows() {
        MongoDialect d = new MongoDialect();
        RecordConverter converter = new RecordConverter(false);
        String oid = "{\"$oid\": \"65f1a2b3c4d5e6f708192a3b\"}";
        String doc = "{\"_id\": " + oid + ", \"customer\": {\"name\": \"Zoë\", \"tags\": [\"a\", \"b\"]}, \"total\": {\"$numberDecimal\": \"12.50\"}}";

        Struct read = d.row(envelope("r", doc, null), Op.READ, key(oid));
        TableSchema schema = converter.schema(d.table(envelope("r", doc, null).getStruct("source")), read.schema(), d.keySchema(KEY));
        assertThat(schema.id()).isEqualTo(new TableId("inventory", "orders"));
        assertThat(schema.keyColumns()).containsExactly("_id");
        assertThat(schema.columns()).extracting(c -> c.name() + ":" + c.type().kind())
                .containsExactly("_id:STRING", "document:JSON", "patch:JSON");
        assertThat(converter.values(schema, read, new ArrayList<>())).containsExactly(oid, doc, null);

        Struct fullUpdate = d.row(envelope("u", doc.replace("12.50", "13.00"), null), Op.UPDATE, key(oid));
        assertThat(converter.values(schema, fullUpdate, new ArrayList<>())[1]).asString().contains("13.00");

        Struct patch = new Struct(UPDATE_DESCRIPTION).put("updatedFields", "{\"total\": {\"$numberDecimal\": \"14.00\"}}")
                .put("removedFields", List.of("customer.tags"));
        Struct patched = d.row(envelope("u", null, patch), Op.UPDATE, key(oid));
        assertThat(converter.values(schema, patched, new ArrayList<>())).containsExactly(oid, null,
                "{\"$set\": {\"total\": {\"$numberDecimal\": \"14.00\"}}, \"$unset\": [\"customer.tags\"]}");

        Struct deleted = d.row(envelope("d", null, null), Op.DELETE, key("42"));
        assertThat(converter.values(schema, deleted, new ArrayList<>())).containsExactly("42", null, null);
        assertThat(d.row(envelope("d", null, null), Op.DELETE, null)).isNull(); // a tombstone has no key struct
        assertThat(LogicalType.Kind.JSON).isEqualTo(schema.columns().get(1).type().kind());
    }

    @Test
    void documentsLandInTheRawZone(@TempDir Path lake) throws Exception {
        MongoDialect d = new MongoDialect();
        RecordConverter converter = new RecordConverter(false);
        String oid = "{\"$oid\": \"65f1a2b3c4d5e6f708192a3b\"}";
        String doc = "{\"_id\": " + oid + ", \"items\": [{\"sku\": \"A-1\", \"qty\": 2}]}";
        Struct read = d.row(envelope("r", doc, null), Op.READ, key(oid));
        TableSchema schema = converter.schema(new TableId("inventory", "orders"), read.schema(), d.keySchema(KEY));
        Struct patch = new Struct(UPDATE_DESCRIPTION).put("updatedFields", "{\"items.0.qty\": 3}");
        LakeSink sink = new LakeSink(new LocalObjectStore(lake), "shop", TargetConfig.Compression.ZSTD);
        sink.recover(Checkpoint.NONE);
        sink.write(List.of(
                new ChangeEvent(schema, Op.READ, converter.values(schema, read, new ArrayList<>()), d.fullLoadPosition(Map.of(), null, 1),
                        1_700_000_000_000_000L, "", true),
                new ChangeEvent(schema, Op.UPDATE, converter.values(schema, d.row(envelope("u", null, patch), Op.UPDATE, key(oid)),
                        new ArrayList<>()), d.changePosition(Map.of("resume_token", "8265F1A2B3000000012B"), null), 1_700_000_001_000_000L, "", false),
                new ChangeEvent(schema, Op.DELETE, converter.values(schema, d.row(envelope("d", null, null), Op.DELETE, key(oid)),
                        new ArrayList<>()), d.changePosition(Map.of("resume_token", "8265F1A2B3000000022B"), null), 1_700_000_002_000_000L, "", false)));
        sink.flush();
        try (LakeReader reader = new LakeReader(lake)) {
            assertThat(reader.query("select Op, _id, json_extract_string(document, '$.items[0].sku') sku, patch from {raw} order by _position",
                    "shop", "inventory", "orders")).extracting(r -> r.get("Op") + " " + r.get("_id") + " " + r.get("sku") + " " + r.get("patch"))
                    .containsExactly("I " + oid + " A-1 null", "U " + oid + " null {\"$set\": {\"items.0.qty\": 3}}", "D " + oid + " null null");
        }
    }

    @Test
    void positionsSortInCommitOrder() {
        MongoDialect d = new MongoDialect();
        // resume tokens of one stream, in order: cluster time, then the operation's place (a transaction's ops share a time)
        List<String> tokens = List.of("8265F1A2B3000000012B022C0100296E5A1004", "8265F1A2B3000000012B022C0100296E5A1005",
                "8265F1A2B3000000022B022C0100296E5A1004", "8265F1A2B4000000012B022C0100296E5A1004");
        List<String> positions = new ArrayList<>();
        for (String t : tokens) {
            positions.add(d.changePosition(Map.of("resume_token", t, "sec", 0, "ord", 0), null));
        }
        List<String> sorted = new ArrayList<>(positions);
        sorted.sort(null);
        assertThat(sorted).isEqualTo(positions);
        assertThat(positions.get(0)).isEqualTo("1-8265f1a2b3000000012b022c0100296e5a1004");
        assertThat(d.changePosition(Map.of("sec", 1_700_000_000, "ord", 3), null))
                .isLessThan(d.changePosition(Map.of("sec", 1_700_000_000, "ord", 4), null))
                .isLessThan(d.changePosition(Map.of("sec", 1_700_000_001, "ord", 1), null));
    }
}
