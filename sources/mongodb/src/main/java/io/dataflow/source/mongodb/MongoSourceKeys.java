package io.dataflow.source.mongodb;

import io.dataflow.config.Key;
import io.dataflow.config.Section;
import io.dataflow.config.SourceConfig;
import io.dataflow.config.SourceKeys;
import io.dataflow.config.Values;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code source} keys of MongoDB: a connection string (instead of host and port, for replica sets, sharded
 * clusters and {@code mongodb+srv://}), and what an update carries ({@code capture-mode}).
 */
public final class MongoSourceKeys implements SourceKeys {
    static final Key<String> CONNECTION_STRING = Key.optional("connection-string", "string", Values::nonEmptyString, null,
            "mongodb://host1:27017,host2:27017/?replicaSet=rs0 (or mongodb+srv://...); default: mongodb://host:port/ with user "
                    + "and password; a secret (it may hold credentials): use ${env:NAME}");
    static final Key<String> CAPTURE_MODE = Key.optional("capture-mode",
            "change_streams_update_full | change_streams | change_streams_update_full_with_pre_image | change_streams_with_pre_image",
            (p, v) -> Values.oneOf(p, v, "change_streams_update_full", "change_streams", "change_streams_update_full_with_pre_image",
                    "change_streams_with_pre_image"), "change_streams_update_full",
            "what an update carries: the full document as of the change's read (default), or only the patch (change_streams); "
                    + "the _with_pre_image modes add the document before the change (MongoDB 6+, pre-images enabled per collection)");

    @Override
    public Set<SourceConfig.Type> types() {
        return Set.of(SourceConfig.Type.MONGODB);
    }

    @Override
    public List<Key<?>> keys() {
        return List.of(CONNECTION_STRING, CAPTURE_MODE);
    }

    @Override
    public SourceConfig read(Section source, SourceConfig common) {
        Map<String, String> options = new HashMap<>();
        if (source.has(CONNECTION_STRING)) {
            options.put("connection-string", source.get(CONNECTION_STRING));
        }
        options.put("capture-mode", source.get(CAPTURE_MODE));
        return common.withOptions(options);
    }

    /** The connection string to use: the configured one, else one built from host, port, user and password. */
    static String connectionString(SourceConfig s) {
        String configured = s.option("connection-string", "");
        if (!configured.isEmpty()) {
            return configured;
        }
        String credentials = s.password().isEmpty() ? "" : encode(s.user()) + ":" + encode(s.password()) + "@";
        return "mongodb://" + credentials + s.host() + ":" + s.port() + "/" + (credentials.isEmpty() ? "" : "?authSource=admin");
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
