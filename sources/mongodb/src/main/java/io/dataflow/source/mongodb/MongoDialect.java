package io.dataflow.source.mongodb;

import io.dataflow.api.Op;
import io.dataflow.api.SourcePositions;
import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.source.debezium.Dialect;
import io.dataflow.source.debezium.TableRegex;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * MongoDB through Debezium's MongoDB connector (change streams). A collection is a table of three columns: {@code _id}
 * (the key, in MongoDB's extended JSON: {@code {"$oid": "..."}}, {@code 42}, {@code "abc"}), {@code document} (the
 * whole document as extended JSON; null for a delete) and {@code patch} (for an update without a full document,
 * {@code capture-mode: change_streams}: {@code {"$set": {...}, "$unset": [...]}}). Nested documents and arrays stay
 * inside the JSON.
 *
 * <p>Positions: full-load rows get {@code 0-0-<row ordinal>}; changes get {@code 1-<resume token>}: the change
 * stream's resume token ({@code _data}) is the hex of an order-preserving encoding of the event's cluster time and
 * its place in a transaction, so it sorts in commit order as text. Without one, {@code 1-<seconds, increment>}.
 */
public final class MongoDialect implements Dialect {
    /** The row a collection's change becomes. */
    static final Schema ROW = SchemaBuilder.struct().name("io.dataflow.mongodb.Document")
            .field("_id", Schema.STRING_SCHEMA)
            .field("document", SchemaBuilder.string().name("io.debezium.data.Json").optional().build())
            .field("patch", SchemaBuilder.string().name("io.debezium.data.Json").optional().build())
            .build();
    /** Its key. */
    static final Schema KEY = SchemaBuilder.struct().name("io.dataflow.mongodb.Key").field("_id", Schema.STRING_SCHEMA).build();

    @Override
    public Properties properties(PipelineConfig pipeline, List<TableId> tables) {
        SourceConfig s = pipeline.source();
        Properties p = new Properties();
        p.setProperty("connector.class", "io.debezium.connector.mongodb.MongoDbConnector");
        p.setProperty("mongodb.connection.string", MongoSourceKeys.connectionString(s));
        p.setProperty("capture.mode", s.option("capture-mode", "change_streams_update_full"));
        p.setProperty("database.include.list", java.util.regex.Pattern.quote(s.database()));
        // collections are named db.collection, as the pipeline's rules name them (schema = the database)
        p.setProperty("collection.include.list", TableRegex.of(pipeline.tables()));
        return p;
    }

    @Override
    public String metricsDomain() {
        return "debezium.mongodb";
    }

    @Override
    public TableId table(Struct source) {
        return new TableId(source.getString("db"), source.getString("collection"));
    }

    /**
     * The document row of a change: {@code after} is the document (a JSON string) for reads, inserts and full-document
     * updates; an update without it carries {@code updateDescription}; a delete only its key.
     */
    @Override
    public Struct row(Struct envelope, Op op, Object key) {
        String id = key instanceof Struct k ? k.getString("id") : null;
        if (id == null) {
            return null;
        }
        Struct row = new Struct(ROW).put("_id", id);
        if (op == Op.DELETE) {
            return row;
        }
        Object after = Dialect.field(envelope, "after");
        if (after != null) {
            return row.put("document", after.toString());
        }
        Object update = Dialect.field(envelope, "updateDescription");
        if (update instanceof Struct u) {
            return row.put("patch", patch(u));
        }
        return row;
    }

    /** {@code updateDescription} (updatedFields: a JSON string, removedFields: a list) as one JSON patch. */
    static String patch(Struct update) {
        StringBuilder b = new StringBuilder("{");
        Object set = Dialect.field(update, "updatedFields");
        if (set != null) {
            b.append("\"$set\": ").append(set);
        }
        Object removed = Dialect.field(update, "removedFields");
        if (removed instanceof List<?> list && !list.isEmpty()) {
            b.append(b.length() > 1 ? ", " : "").append("\"$unset\": [");
            for (int i = 0; i < list.size(); i++) {
                b.append(i > 0 ? ", " : "").append('"').append(list.get(i).toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            b.append(']');
        }
        return b.append('}').toString();
    }

    @Override
    public Schema keySchema(Schema recordKeySchema) {
        return KEY;
    }

    @Override
    public String fullLoadPosition(Map<String, ?> offset, Struct source, long ordinal) {
        return SourcePositions.fullLoad(0, ordinal);
    }

    @Override
    public String changePosition(Map<String, ?> offset, Struct source) {
        Object token = offset.get("resume_token");
        if (token != null && !token.toString().isEmpty()) {
            return SourcePositions.tokenChange(token.toString());
        }
        long sec = offset.get("sec") instanceof Number n ? n.longValue() : 0;
        long ord = offset.get("ord") instanceof Number n ? n.longValue() : 0;
        return SourcePositions.change((sec << 32) | (ord & 0xffffffffL), 0, 0);
    }

    @Override
    public boolean isPermanent(String text) {
        return Dialect.super.isPermanent(text) || text.contains("Authentication failed") || text.contains("not authorized")
                || text.contains("replica set");
    }
}
