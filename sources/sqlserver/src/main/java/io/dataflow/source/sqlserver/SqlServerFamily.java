package io.dataflow.source.sqlserver;

import io.dataflow.api.ChangeSource;
import io.dataflow.api.catalog.CatalogReader;
import io.dataflow.config.SourceConfig;
import io.dataflow.runtime.FullLoadPlan;
import io.dataflow.source.SourceFamily;
import io.dataflow.source.SourceInspector;
import io.dataflow.source.debezium.DebeziumSource;
import java.util.Set;

/**
 * SQL Server through Debezium's SQL Server connector, which reads the database's own CDC change tables (so SQL Server
 * Agent must run, and CDC be enabled for the database and each table). The full load is Debezium's snapshot.
 */
public final class SqlServerFamily implements SourceFamily {
    @Override
    public Set<SourceConfig.Type> types() {
        return Set.of(SourceConfig.Type.SQLSERVER);
    }

    @Override
    public SourceInspector inspector(SourceConfig source) {
        return new SqlServerInspector(source);
    }

    @Override
    public CatalogReader catalogReader(SourceConfig source) {
        return new SqlServerCatalogReader();
    }

    @Override
    public ChangeSource changeSource(Context context, FullLoadPlan plan) {
        return new DebeziumSource(context, new SqlServerDialect(), new DebeziumSource.Start(plan.inSource(), false));
    }

    @Override
    public String toString() {
        return "sqlserver";
    }
}
