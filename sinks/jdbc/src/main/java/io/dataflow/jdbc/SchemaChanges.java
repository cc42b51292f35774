package io.dataflow.jdbc;

import io.dataflow.api.StorageException;
import io.dataflow.api.TableId;
import io.dataflow.api.catalog.Engine;
import io.dataflow.convert.TargetDialect;
import io.dataflow.convert.TargetTable;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schema changes during CDC on a database target: a table or a column that appears in the source is converted again
 * from the source's catalog as it is now and created in the target, committed at once (MariaDB commits DDL anyway),
 * which a replay from the checkpoint tolerates.
 */
final class SchemaChanges {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaChanges.class);

    /** Converts one source table again, from the source's catalog as it is now. */
    interface Reconverter {
        Optional<TargetTable> reconvert(TableId source) throws IOException;
    }

    private final TargetDialect dialect;
    private final Engine engine;
    private final Reconverter reconverter;

    SchemaChanges(TargetDialect dialect, Engine engine, Reconverter reconverter) {
        this.dialect = dialect;
        this.engine = engine;
        this.reconverter = reconverter;
    }

    /** Creates a table that appeared in the source (with its indexes); null when the source no longer has it. */
    TargetTable createTable(Connection c, TableId source) throws StorageException, SQLException {
        TargetTable fresh = reconvert(source, "the new table " + source);
        if (fresh == null) {
            return null;
        }
        try (Statement st = c.createStatement()) {
            st.execute(dialect.createSchema(fresh.id().schema()));
            for (String sql : dialect.createTable(fresh, true)) {
                st.execute(sql);
            }
            for (TargetTable.TargetIndex i : fresh.indexes()) {
                st.execute(dialect.createIndex(fresh, i));
            }
        }
        c.commit();
        LOG.info("table {} appeared in the source: created {} in the target", source, fresh.id());
        return fresh;
    }

    /** Adds source columns that appeared to the target table, nullable, typed by converting the source table again. */
    TargetTable addColumns(Connection c, TargetTable t, List<String> sourceColumns) throws StorageException, SQLException {
        TargetTable fresh = reconvert(t.source(), "the new columns " + sourceColumns + " of " + t.source());
        List<TargetTable.TargetColumn> columns = new ArrayList<>(t.columns());
        try (Statement st = c.createStatement()) {
            for (String name : sourceColumns) {
                TargetTable.TargetColumn col = fresh == null ? null : fresh.bySourceName(name).orElse(null);
                if (col == null) {
                    throw new StorageException("column " + t.source() + "." + name + " is not in the source's catalog any more; add it to "
                            + "target table " + t.id() + " by hand, then restart", true, null);
                }
                TargetTable.TargetColumn nullable = new TargetTable.TargetColumn(col.sourceName(), col.name(), col.type(), true,
                        col.defaultExpr(), false, col.enumLabels(), col.enumType(), col.mapping(), col.source());
                String sql = "ALTER TABLE " + dialect.qualified(t.id()) + " ADD COLUMN "
                        + (engine == Engine.MYSQL ? "" : "IF NOT EXISTS ") + dialect.columnDefinition(nullable);
                st.execute(sql);
                columns.add(nullable);
                LOG.info("column {}.{} appeared in the source: {}", t.source(), name, sql);
            }
        }
        c.commit();
        return new TargetTable(t.source(), t.id(), columns, t.primaryKey(), t.applyKey(), t.indexes(), t.foreignKeys());
    }

    /** The table converted again from the source's catalog; null when the source no longer has it. */
    private TargetTable reconvert(TableId source, String what) throws StorageException {
        try {
            return reconverter.reconvert(source).orElse(null);
        } catch (IOException e) {
            throw new StorageException("reading " + what + " from the source: " + e.getMessage(), false, e);
        }
    }
}
