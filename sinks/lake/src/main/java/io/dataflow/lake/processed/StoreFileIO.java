package io.dataflow.lake.processed;

import io.dataflow.api.ObjectStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;

/**
 * Iceberg's file access over the lake's own {@link ObjectStore}: the processed zone reads and writes through the same
 * store (and so the same retry policy, credentials and encryption settings) as the raw zone. Locations are
 * {@code <root>/<key>}, where {@code root} is the lake's absolute folder or {@code s3://bucket/prefix}, so the paths in
 * the table metadata are the ones Spark, Trino, Athena or DuckDB open.
 */
final class StoreFileIO implements FileIO {
    private final transient ObjectStore store;
    private final String root;

    StoreFileIO(ObjectStore store, String root) {
        this.store = store;
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    /** The location of a key of the store. */
    String location(String key) {
        return root + "/" + key;
    }

    /** The key of a location under this store's root. */
    String key(String location) {
        String loc = location;
        if (loc.startsWith("file:") && !root.startsWith("file:")) {
            loc = loc.substring("file:".length()).replaceFirst("^//", "");
        }
        if (!loc.startsWith(root + "/")) {
            throw new IllegalArgumentException("location " + location + " is outside the lake " + root);
        }
        return loc.substring(root.length() + 1);
    }

    ObjectStore store() {
        return store;
    }

    /**
     * Manifests are kept in memory once read (Iceberg's manifest cache, per FileIO): they never change, and every commit
     * plans the table again (on S3, a GET per manifest otherwise).
     */
    @Override
    public java.util.Map<String, String> properties() {
        return java.util.Map.of(org.apache.iceberg.CatalogProperties.IO_MANIFEST_CACHE_ENABLED, "true");
    }

    @Override
    public InputFile newInputFile(String location) {
        return new StoreInputFile(location, -1);
    }

    @Override
    public InputFile newInputFile(String location, long length) {
        return new StoreInputFile(location, length);
    }

    @Override
    public OutputFile newOutputFile(String location) {
        return new OutputFile() {
            @Override
            public PositionOutputStream create() {
                return open();
            }

            @Override
            public PositionOutputStream createOrOverwrite() {
                return open();
            }

            private PositionOutputStream open() {
                try {
                    return new StoreOutputStream(store.create(key(location)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public String location() {
                return location;
            }

            @Override
            public InputFile toInputFile() {
                return newInputFile(location);
            }
        };
    }

    @Override
    public void deleteFile(String location) {
        try {
            store.delete(key(location));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final class StoreInputFile implements InputFile {
        private final String location;
        private long length;

        StoreInputFile(String location, long length) {
            this.location = location;
            this.length = length;
        }

        @Override
        public long getLength() {
            if (length < 0) {
                try {
                    length = store.length(key(location));
                } catch (FileNotFoundException e) {
                    throw new NotFoundException("%s does not exist", location);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return length;
        }

        @Override
        public SeekableInputStream newStream() {
            return new StoreInputStream(store, key(location), getLength());
        }

        @Override
        public String location() {
            return location;
        }

        @Override
        public boolean exists() {
            try {
                getLength();
                return true;
            } catch (NotFoundException e) {
                return false;
            }
        }
    }

    /** Writes through a pending object of the store, published on close. */
    private static final class StoreOutputStream extends PositionOutputStream {
        private final ObjectStore.PendingObject pending;
        private boolean closed;

        StoreOutputStream(ObjectStore.PendingObject pending) {
            this.pending = pending;
        }

        @Override
        public long getPos() {
            return pending.bytesWritten();
        }

        @Override
        public void write(int b) throws IOException {
            pending.stream().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            pending.stream().write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                try {
                    pending.commit();
                } finally {
                    pending.close();
                }
            }
        }
    }
}
