package io.dataflow.storage;

import io.dataflow.api.ObjectStore;
import io.dataflow.config.S3Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** Opens the {@link ObjectStore} a lake URI names: local folders here, other schemes through their {@link RemoteStoreProvider}. */
public final class ObjectStores {
    private static final List<RemoteStoreProvider> REMOTE = io.dataflow.engine.Providers.load(RemoteStoreProvider.class);

    private ObjectStores() {}

    /**
     * Opens {@code s3://bucket/prefix} (with {@code s3} settings), {@code file:///abs/path}, {@code file:relative},
     * or a plain path (relative to the working directory).
     */
    public static ObjectStore open(String uri, S3Settings s3) throws IOException {
        for (RemoteStoreProvider p : REMOTE) {
            if (uri.startsWith(p.scheme() + "://")) {
                return p.open(uri, s3);
            }
        }
        if (uri.startsWith("s3://")) {
            throw new IOException("cannot open " + uri + ": the S3 storage module (dataflow-storage-s3) is not on the class path");
        }
        return new LocalObjectStore(localPath(uri));
    }

    /** Opens a local lake URI or path. */
    public static ObjectStore open(String uri) throws IOException {
        return open(uri, S3Settings.DEFAULT);
    }

    /** The folder a {@code file:} URI or plain path names; throws for other schemes. */
    public static Path localPath(String uri) {
        if (uri.startsWith("file:")) {
            String rest = uri.substring("file:".length());
            if (rest.startsWith("//")) {
                return Path.of(URI.create(uri));
            }
            return Path.of(rest);
        }
        if (uri.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            throw new IllegalArgumentException("unsupported lake URI scheme in '" + uri
                    + "'; use a folder path, a file: URI or s3://bucket/prefix");
        }
        return Path.of(uri);
    }
}
