package io.dataflow.source.binlog;

import io.dataflow.config.Key;
import io.dataflow.config.Section;
import io.dataflow.config.SourceConfig;
import io.dataflow.config.SourceKeys;
import io.dataflow.config.Values;
import java.util.List;
import java.util.Set;

/** The {@code source} keys of MariaDB and MySQL: the replica server id. */
public final class BinlogSourceKeys implements SourceKeys {
    static final Key<Long> SERVER_ID = Key.optional("server-id", "integer", Values::positiveLong, null,
            "the replica server id, unique among the server's replicas (default: derived from the name)");

    @Override
    public Set<SourceConfig.Type> types() {
        return Set.of(SourceConfig.Type.MARIADB, SourceConfig.Type.MYSQL);
    }

    @Override
    public List<Key<?>> keys() {
        return List.of(SERVER_ID);
    }

    @Override
    public SourceConfig read(Section source, SourceConfig c) {
        return source.has(SERVER_ID) ? new SourceConfig(c.type(), c.host(), c.port(), c.database(), c.user(), c.password(), c.slot(),
                c.publication(), c.sslMode(), c.debezium(), source.get(SERVER_ID), c.options()) : c;
    }
}
