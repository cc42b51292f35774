package io.dataflow.source.mongodb;

import io.dataflow.api.ChangeSource;
import io.dataflow.api.catalog.CatalogReader;
import io.dataflow.config.ConfigException;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.runtime.FullLoadPlan;
import io.dataflow.source.SourceFamily;
import io.dataflow.source.SourceInspector;
import io.dataflow.source.debezium.DebeziumSource;
import java.util.List;
import java.util.Set;

/**
 * MongoDB through Debezium's MongoDB connector: collections as tables of {@code _id}, {@code document} and
 * {@code patch} ({@link MongoDialect}), into the lake. Database targets need a schema, which a collection does not
 * have: they are refused.
 */
public final class MongoFamily implements SourceFamily {
    @Override
    public Set<SourceConfig.Type> types() {
        return Set.of(SourceConfig.Type.MONGODB);
    }

    @Override
    public SourceInspector inspector(SourceConfig source) {
        return new MongoInspector(source);
    }

    @Override
    public CatalogReader catalogReader(SourceConfig source) {
        throw new ConfigException("source.type: mongodb has no relational catalog: a MongoDB source goes into a lake target "
                + "(raw and processed zones), not into a database target (jdbc), and cannot be converted");
    }

    @Override
    public List<SourceInspector.TableInfo> resolveTables(SourceInspector inspector, PipelineConfig pipeline) {
        if (pipeline.hasJdbcTarget()) {
            catalogReader(pipeline.source());
        }
        return ((MongoInspector) inspector).selected(pipeline.tables());
    }

    @Override
    public ChangeSource changeSource(Context context, FullLoadPlan plan) {
        return new DebeziumSource(context, new MongoDialect(), new DebeziumSource.Start(plan.inSource(), false));
    }

    @Override
    public String toString() {
        return "mongodb";
    }

    @Override
    public boolean hasSqlCatalog() {
        return false;
    }
}
