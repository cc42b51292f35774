package io.dataflow.source.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflow.config.Key;
import io.dataflow.config.Section;
import io.dataflow.config.SourceConfig;
import io.dataflow.config.SourceKeys;
import io.dataflow.config.Values;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code source} keys of PostgreSQL: the replication slot, the publication and the reader of the change stream. */
public final class PostgresSourceKeys implements SourceKeys {
    static final Key<String> SLOT = Key.optional("slot", "string", PostgresSourceKeys::identifier, null,
            "replication slot (default: dataflow_<name>)");
    static final Key<String> PUBLICATION = Key.optional("publication", "string", PostgresSourceKeys::identifier, null,
            "publication (default: dataflow_<name>)");
    static final Key<String> STREAMING_ENGINE = Key.optional("streaming-engine", "debezium | native",
            (p, v) -> Values.oneOf(p, v, "debezium", "native"), "debezium",
            "what reads the change stream: Debezium's PostgreSQL connector, or DataFlow's own pgoutput reader (faster; no reload requests)");

    /** Whether a source reads its changes with the native pgoutput reader. */
    static boolean nativeStreaming(SourceConfig source) {
        return source.option(STREAMING_ENGINE.name(), "debezium").equals("native");
    }

    @Override
    public Set<SourceConfig.Type> types() {
        return Set.of(SourceConfig.Type.POSTGRES);
    }

    @Override
    public List<Key<?>> keys() {
        return List.of(SLOT, PUBLICATION, STREAMING_ENGINE);
    }

    @Override
    public SourceConfig read(Section source, SourceConfig c) {
        return new SourceConfig(c.type(), c.host(), c.port(), c.database(), c.user(), c.password(),
                source.has(SLOT) ? source.get(SLOT) : c.slot(), source.has(PUBLICATION) ? source.get(PUBLICATION) : c.publication(),
                c.sslMode(), c.debezium(), c.serverId(), c.options()).withOptions(Map.of(STREAMING_ENGINE.name(), source.get(STREAMING_ENGINE)));
    }

    static String identifier(String path, JsonNode v) {
        return Values.matching(path, v, "[a-z_][a-z0-9_]{0,62}", "is not allowed; use 1-63 lower-case letters, digits or '_'");
    }
}
