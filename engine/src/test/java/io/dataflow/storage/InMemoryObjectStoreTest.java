package io.dataflow.storage;

import io.dataflow.api.ObjectStore;

class InMemoryObjectStoreTest extends ObjectStoreContract {
    @Override
    protected ObjectStore store() {
        return new InMemoryObjectStore();
    }
}
