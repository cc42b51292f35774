package io.dataflow.api.catalog;

import io.dataflow.api.TableId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Reads what conversion needs from a source's catalog: each selected table, and per schema the objects it skips. */
public interface CatalogReader {

    Engine engine();

    /** One table: columns, keys, indexes, foreign keys, checks, notes. */
    SourceTable table(Connection c, TableId id) throws SQLException;

    /** The views, triggers, routines and the like of one schema. */
    List<SourceObject> objects(Connection c, String schema) throws SQLException;

    /** The selected tables, and the objects of their schemas. */
    default Catalog read(Connection c, List<TableId> selected) throws SQLException {
        List<SourceTable> tables = new ArrayList<>();
        Set<String> schemas = new TreeSet<>();
        for (TableId id : selected) {
            tables.add(table(c, id));
            schemas.add(id.schema());
        }
        List<SourceObject> others = new ArrayList<>();
        for (String schema : schemas) {
            others.addAll(objects(c, schema));
        }
        return new Catalog(engine(), tables, others);
    }
}
