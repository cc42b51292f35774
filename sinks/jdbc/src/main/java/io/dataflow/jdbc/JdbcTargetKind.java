package io.dataflow.jdbc;

import io.dataflow.api.Sink;
import io.dataflow.config.TargetConfig;
import io.dataflow.convert.SchemaConverter;
import io.dataflow.runtime.FullLoadPlan;
import io.dataflow.api.ObjectStore;
import io.dataflow.target.TargetKind;
import java.io.IOException;
import java.sql.SQLException;

/**
 * A database target (PostgreSQL, MariaDB/MySQL): tables converted from the source's catalog, changes applied in commit
 * order; state in its {@code _dataflow} schema. It applies full-load rows as they come, so the full load must be one
 * consistent snapshot.
 */
public final class JdbcTargetKind implements TargetKind {

    @Override
    public TargetConfig.Type type() {
        return TargetConfig.Type.JDBC;
    }

    @Override
    public boolean needsConsistentFullLoad(TargetConfig target) {
        return true;
    }

    @Override
    public ObjectStore stateStore(TargetConfig target) throws IOException {
        return new JdbcObjectStore(new TargetConnections(target.jdbc()));
    }

    @Override
    public Sink sink(Context context) throws IOException, SQLException {
        var config = context.pipeline();
        var jdbc = context.target().jdbc();
        SchemaConverter.Conversion conversion = Conversions.forTarget(config, jdbc, Conversions.catalog(config, context.tables()));
        JdbcSink sink = new JdbcSink(config.name(), new TargetConnections(jdbc), conversion, jdbc.tablePrep(), context.issues(),
                context.fullLoad() == FullLoadPlan.Kind.SOURCE_SNAPSHOT)
                .onSchemaChanges(id -> {
                    try {
                        return Conversions.forTable(config, jdbc, id, context.tables());
                    } catch (SQLException e) {
                        throw new IOException(e.getMessage(), e);
                    }
                }, config.ddl(), context.counters());
        sink.prepare();
        return sink;
    }

    @Override
    public String toString() {
        return "jdbc";
    }
}
