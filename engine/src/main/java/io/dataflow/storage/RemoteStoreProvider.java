package io.dataflow.storage;

import io.dataflow.api.ObjectStore;
import io.dataflow.config.S3Settings;
import java.io.IOException;

/**
 * Opens object stores of one URI scheme that lives outside this module (e.g. {@code s3}); found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.dataflow.storage.RemoteStoreProvider}) by
 * {@link ObjectStores}.
 */
public interface RemoteStoreProvider {

    /** The URI scheme, without the colon: {@code s3}. */
    String scheme();

    ObjectStore open(String uri, S3Settings settings) throws IOException;
}
