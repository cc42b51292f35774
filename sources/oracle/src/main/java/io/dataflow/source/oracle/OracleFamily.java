package io.dataflow.source.oracle;

import io.dataflow.api.ChangeSource;
import io.dataflow.api.catalog.CatalogReader;
import io.dataflow.config.SourceConfig;
import io.dataflow.runtime.FullLoadPlan;
import io.dataflow.source.SourceFamily;
import io.dataflow.source.SourceInspector;
import io.dataflow.source.debezium.DebeziumSource;
import java.util.Set;

/**
 * Oracle through Debezium's Oracle connector (LogMiner by default). The full load is Debezium's snapshot (no parallel
 * loader); the schema history lives in the pipeline's state store. Verified only without a server: see the README.
 */
public final class OracleFamily implements SourceFamily {
    @Override
    public Set<SourceConfig.Type> types() {
        return Set.of(SourceConfig.Type.ORACLE);
    }

    @Override
    public SourceInspector inspector(SourceConfig source) {
        return new OracleInspector(source);
    }

    @Override
    public CatalogReader catalogReader(SourceConfig source) {
        return new OracleCatalogReader();
    }

    @Override
    public ChangeSource changeSource(Context context, FullLoadPlan plan) {
        return new DebeziumSource(context, new OracleDialect(), new DebeziumSource.Start(plan.inSource(), false));
    }

    @Override
    public String toString() {
        return "oracle";
    }
}
