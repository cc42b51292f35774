package io.dataflow.lake.processed;

import io.dataflow.api.ObjectStore;
import io.dataflow.runtime.FailPoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.LocationProviders;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;

/**
 * One Iceberg table kept in the lake's object store without a catalog server. Version {@code N} of the table is the
 * object {@code metadata/v<N>.metadata.json}; a commit creates version {@code N+1} with the store's atomic
 * create-if-absent (a rename on a local folder, {@code If-None-Match: *} on S3), so of two writers racing for the same
 * version exactly one wins and the other gets {@link CommitFailedException} (Iceberg then retries on the new version).
 * {@code metadata/version-hint.text} names the latest version for readers that use the Hadoop-catalog convention
 * (Spark's {@code hadoop} catalog, DuckDB's {@code iceberg_scan}); DataFlow itself lists the versions.
 */
final class StoreTableOperations implements TableOperations {
    private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.metadata\\.json");
    static final String HINT = "version-hint.text";
    private final StoreFileIO io;
    private final String tableKey;
    private TableMetadata current;
    private int version;
    private boolean loaded;

    /** {@code tableKey}: the table's folder in the store, without a trailing slash. */
    StoreTableOperations(StoreFileIO io, String tableKey) {
        this.io = io;
        this.tableKey = tableKey;
    }

    String location() {
        return io.location(tableKey);
    }

    @Override
    public synchronized TableMetadata current() {
        if (!loaded) {
            refresh();
        }
        return current;
    }

    @Override
    public synchronized TableMetadata refresh() {
        try {
            int latest = 0;
            for (ObjectStore.ObjectInfo o : io.store().list(tableKey + "/metadata/v")) {
                Matcher m = VERSION.matcher(o.key().substring(o.key().lastIndexOf('/') + 1));
                if (m.matches()) {
                    latest = Math.max(latest, Integer.parseInt(m.group(1)));
                }
            }
            version = latest;
            current = latest == 0 ? null : TableMetadataParser.read(io, io.location(versionKey(latest)));
            loaded = true;
            return current;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String versionKey(int n) {
        return tableKey + "/metadata/v" + n + ".metadata.json";
    }

    @Override
    public synchronized void commit(TableMetadata base, TableMetadata metadata) {
        if (base != current()) {
            throw new CommitFailedException("table %s changed since it was read", tableKey);
        }
        int next = version + 1;
        String key = versionKey(next);
        byte[] json = TableMetadataParser.toJson(metadata).getBytes(StandardCharsets.UTF_8);
        try {
            FailPoints.hit("processed.before-metadata");
            if (!io.store().putIfAbsent(key, json)) {
                refresh();
                throw new CommitFailedException("another writer committed version %d of %s first", next, tableKey);
            }
            FailPoints.hit("processed.after-metadata");
            io.store().put(tableKey + "/metadata/" + HINT, Integer.toString(next).getBytes(StandardCharsets.UTF_8));
            removeOldVersions(next, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        refresh();
    }

    /** Keeps the newest {@code write.metadata.previous-versions-max} versions (default 100), as Iceberg's catalogs do. */
    private void removeOldVersions(int latest, TableMetadata metadata) throws IOException {
        int keep = metadata.propertyAsInt("write.metadata.previous-versions-max", 100) + 1;
        int old = latest - keep;
        if (old > 0) {
            io.store().delete(versionKey(old));
        }
    }

    @Override
    public FileIO io() {
        return io;
    }

    @Override
    public String metadataFileLocation(String fileName) {
        return location() + "/metadata/" + fileName;
    }

    @Override
    public synchronized LocationProvider locationProvider() {
        return LocationProviders.locationsFor(current().location(), current().properties());
    }
}
