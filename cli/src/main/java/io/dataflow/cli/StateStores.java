package io.dataflow.cli;

import io.dataflow.config.PipelineConfig;
import io.dataflow.config.TargetConfig;
import io.dataflow.jdbc.JdbcObjectStore;
import io.dataflow.jdbc.TargetConnections;
import io.dataflow.storage.ObjectStore;
import io.dataflow.storage.ObjectStores;
import java.io.IOException;

/**
 * Where a pipeline keeps its state (checkpoint, lease, schema history, full-load chunks): with its first target,
 * so state and data share one failure domain. A lake keeps it under {@code _state/}; a database target in its
 * {@code _dataflow} schema.
 */
final class StateStores {
    private StateStores() {}

    static ObjectStore open(PipelineConfig pipeline) throws IOException {
        return open(pipeline.targets().get(0));
    }

    static ObjectStore open(TargetConfig target) throws IOException {
        if (target.type() == TargetConfig.Type.JDBC) {
            return new JdbcObjectStore(new TargetConnections(target.jdbc()));
        }
        return ObjectStores.open(target.uri(), target.s3());
    }
}
