package io.dataflow.api.catalog;

import io.dataflow.api.TableId;
import java.util.List;
import java.util.Optional;

/** What schema conversion reads from a source: the selected tables and the objects it will not convert. */
public record Catalog(Engine engine, List<SourceTable> tables, List<SourceObject> others) {

    public Catalog {
        tables = List.copyOf(tables);
        others = List.copyOf(others);
    }

    public Optional<SourceTable> table(TableId id) {
        return tables.stream().filter(t -> t.id().equals(id)).findFirst();
    }
}
