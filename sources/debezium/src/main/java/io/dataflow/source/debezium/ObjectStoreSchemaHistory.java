package io.dataflow.source.debezium;

import io.dataflow.state.CheckpointStore;
import io.dataflow.api.ObjectStore;
import io.debezium.config.Configuration;
import io.debezium.relational.history.AbstractFileBasedSchemaHistory;
import io.debezium.relational.history.HistoryRecord;
import io.debezium.relational.history.HistoryRecordComparator;
import io.debezium.relational.history.SchemaHistoryException;
import io.debezium.relational.history.SchemaHistoryListener;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Debezium's schema history (the DDL a MySQL-family connector has seen) kept in the lake's state folder,
 * {@code _state/<pipeline>/schema-history/<sequence>.json}, through the {@link ObjectStore} interface, so a
 * restart on another host (or after the local disk is gone) recovers it from the lake, local or S3.
 * One object per record; records are read back in key order.
 */
public class ObjectStoreSchemaHistory extends AbstractFileBasedSchemaHistory {
    public static final String PIPELINE = "schema.history.internal.dataflow.pipeline";

    /**
     * The connector properties that keep a connector's schema history here, in the pipeline's state store, for the
     * captured tables only, without schema-change records in the stream.
     */
    public static java.util.Properties properties(String pipeline) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("schema.history.internal", ObjectStoreSchemaHistory.class.getName());
        p.setProperty(PIPELINE, pipeline);
        p.setProperty("schema.history.internal.store.only.captured.tables.ddl", "true");
        p.setProperty("include.schema.changes", "false");
        return p;
    }
    public static final String SOURCE_ID = "schema.history.internal." + SourceServices.ID_PROPERTY;

    /** Whether a pipeline has a schema history yet. */
    public static boolean exists(ObjectStore store, String pipeline) throws IOException {
        return !store.list(CheckpointStore.stateDir(pipeline) + "schema-history/").isEmpty();
    }

    /**
     * Starts a pipeline's schema history with the tables as they were at {@code position} (a binlog offset in
     * Debezium's layout): one record per {@code CREATE TABLE} statement, in {@code database}. The connector then
     * recovers the schema from these records and decodes every event after the position with the schema it had at
     * that event, applying the DDL it meets, instead of rebuilding the history from the schema as it is when it starts.
     */
    public static void seed(ObjectStore store, String pipeline, Map<String, ?> partition, Map<String, ?> position,
            List<Map.Entry<String, String>> databaseAndDdl) throws IOException {
        String dir = CheckpointStore.stateDir(pipeline) + "schema-history/";
        long n = store.list(dir).size() + 1;
        java.time.Instant now = java.time.Instant.now();
        for (Map.Entry<String, String> e : databaseAndDdl) {
            HistoryRecord r = new HistoryRecord(partition, position, e.getKey(), null, e.getValue(), new io.debezium.relational.history.TableChanges(), now);
            String json = io.debezium.document.DocumentWriter.defaultWriter().write(r.document());
            store.put(dir + String.format(Locale.ROOT, "%012d.json", n++), json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private ObjectStore store;
    private String dir;
    private long next;

    @Override
    public void configure(Configuration config, HistoryRecordComparator comparator, SchemaHistoryListener listener,
            boolean useCatalogBeforeSchema) {
        super.configure(config, comparator, listener, useCatalogBeforeSchema);
        String pipeline = value(config, PIPELINE);
        SourceServices services = SourceServices.of(value(config, SOURCE_ID)).orElseThrow(() -> new SchemaHistoryException(
                "schema history needs " + PIPELINE + " and " + SOURCE_ID + " of a running DataFlow source"));
        if (pipeline == null) {
            throw new SchemaHistoryException("schema history needs " + PIPELINE);
        }
        store = services.stateStore();
        dir = CheckpointStore.stateDir(pipeline) + "schema-history/";
    }

    private static String value(Configuration config, String key) {
        String v = config.getString(key);
        return v != null ? v : config.getString(key.substring("schema.history.internal.".length()));
    }

    @Override
    protected void doPreStart() {
        try {
            List<ObjectStore.ObjectInfo> objects = store.list(dir);
            for (ObjectStore.ObjectInfo o : objects) {
                byte[] content = store.get(o.key()).orElseThrow(() -> new IOException(o.key() + " vanished"));
                toHistoryRecord(new ByteArrayInputStream(content));
            }
            next = objects.size() + 1;
        } catch (IOException e) {
            throw new SchemaHistoryException("cannot read the schema history under " + store.describe() + "/" + dir, e);
        }
    }

    @Override
    protected void doStoreRecord(HistoryRecord record) {
        String key = dir + String.format(Locale.ROOT, "%012d.json", next);
        try {
            store.put(key, fromHistoryRecord(record));
            next++;
        } catch (IOException e) {
            throw new SchemaHistoryException("cannot write the schema history record " + store.describe() + "/" + key, e);
        }
    }

    @Override
    public boolean storageExists() {
        return true;
    }

    @Override
    public void initializeStorage() {
        // objects need no preparation
    }

    @Override
    protected void doStop() {
        // the store belongs to the pipeline, which closes it
    }

    @Override
    public String toString() {
        return "lake schema history " + (store == null ? "" : store.describe() + "/" + dir);
    }
}
