package io.dataflow.source;

import io.dataflow.api.ChangeSource;
import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.source.binlog.BinlogDialect;
import io.dataflow.source.binlog.BinlogInspector;
import io.dataflow.source.debezium.DebeziumSource;
import io.dataflow.source.postgres.PostgresDialect;
import io.dataflow.source.postgres.PostgresInspector;
import java.util.List;
import java.util.Map;

/** Picks the inspector and the change source of a pipeline's source type. */
public final class Sources {
    private Sources() {}

    public static SourceInspector inspector(SourceConfig source) {
        return source.type() == SourceConfig.Type.POSTGRES ? new PostgresInspector(source) : new BinlogInspector(source);
    }

    public static ChangeSource changeSource(PipelineConfig pipeline, List<TableId> tables, Map<String, String> tuning) {
        SourceConfig.Type type = pipeline.source().type();
        return new DebeziumSource(pipeline, tables, tuning, type == SourceConfig.Type.POSTGRES ? new PostgresDialect() : new BinlogDialect(type));
    }
}
