package io.dataflow.storage.s3;

import io.dataflow.api.ObjectStore;
import io.dataflow.storage.RemoteStoreProvider;
import io.dataflow.config.S3Settings;
import java.io.IOException;

/** Opens {@code s3://bucket/prefix} lakes. */
public final class S3StoreProvider implements RemoteStoreProvider {

    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public ObjectStore open(String uri, S3Settings settings) throws IOException {
        return S3ObjectStore.open(uri, settings);
    }
}
