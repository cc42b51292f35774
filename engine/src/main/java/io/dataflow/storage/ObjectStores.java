package io.dataflow.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/** Opens the {@link ObjectStore} a lake URI names. */
public final class ObjectStores {
    private ObjectStores() {}

    /**
     * Opens {@code file:///abs/path}, {@code file:relative}, or a plain path (relative to the working
     * directory). {@code s3://} is not available in this version.
     */
    public static ObjectStore open(String uri) throws IOException {
        return new LocalObjectStore(localPath(uri));
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
        if (uri.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new IllegalArgumentException("unsupported lake URI scheme in '" + uri
                    + "'; use a folder path or a file: URI (S3 targets are not available in this version)");
        }
        return Path.of(uri);
    }
}
