package io.dataflow.lake.processed;

import io.dataflow.api.TableId;
import java.io.Closeable;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * The processed zone's tables registered in an Iceberg catalog (an Iceberg REST catalog, AWS Glue). The tables still
 * live at their place in the lake ({@code <lake>/processed/<pipeline>/<schema>/<table>}) and their files are written
 * through the lake's own store; the catalog holds the pointer to the current metadata and arbitrates commits.
 */
final class CatalogAdapter implements ProcessedCatalog {
    private final Catalog catalog;
    private final Closeable resources;
    private final StoreFileIO io;
    private final String pipeline;
    private final Function<TableId, TableIdentifier> names;
    private final String description;

    CatalogAdapter(Catalog catalog, Closeable resources, StoreFileIO io, String pipeline, Function<TableId, TableIdentifier> names,
            String description) {
        this.catalog = catalog;
        this.resources = resources;
        this.io = io;
        this.pipeline = pipeline;
        this.names = names;
        this.description = description;
    }

    /** One namespace per pipeline and source schema ({@code <pipeline>_<schema>}), the table keeping its source name. */
    static TableIdentifier namespaced(String pipeline, TableId id) {
        return TableIdentifier.of(Namespace.of(pipeline + "_" + id.schema()), id.table());
    }

    /**
     * One Glue database for the pipeline, tables named {@code <schema>_<table>}, in lower case and with characters
     * other than letters, digits and underscores replaced, as Glue and Athena require.
     */
    static TableIdentifier glueName(String database, TableId id) {
        return TableIdentifier.of(Namespace.of(glueSafe(database)), glueSafe(id.schema() + "_" + id.table()));
    }

    static String glueSafe(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    @Override
    public Optional<Table> load(TableId id) {
        try {
            return Optional.of(catalog.loadTable(names.apply(id)));
        } catch (NoSuchTableException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw unreachable("load " + names.apply(id), e);
        }
    }

    /** A catalog failure as an I/O failure naming the catalog (the pipeline retries those with backoff). */
    private java.io.UncheckedIOException unreachable(String what, RuntimeException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (root != e && root.getMessage() != null && !reason.contains(root.getMessage())) {
            reason += " (" + root.getMessage() + ")";
        }
        return new java.io.UncheckedIOException(new IOException(description + ": cannot " + what + ": " + reason, e));
    }

    @Override
    public Table create(TableId id, Schema schema, PartitionSpec spec, Map<String, String> properties) {
        TableIdentifier name = names.apply(id);
        try {
            if (catalog instanceof SupportsNamespaces ns && !ns.namespaceExists(name.namespace())) {
                try {
                    ns.createNamespace(name.namespace(), new java.util.HashMap<>(Map.of("comment", "DataFlow processed zone of pipeline " + pipeline)));
                } catch (AlreadyExistsException raced) {
                    // created meanwhile
                }
            }
            return catalog.buildTable(name, schema).withPartitionSpec(spec).withLocation(location(id))
                    .withProperties(new java.util.HashMap<>(properties)).create();
        } catch (RuntimeException e) {
            throw unreachable("create " + name, e);
        }
    }

    @Override
    public String location(TableId id) {
        return io.location(LakeCatalog.tableKey(pipeline, id));
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
