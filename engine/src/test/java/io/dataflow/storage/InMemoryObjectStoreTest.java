package io.dataflow.storage;

class InMemoryObjectStoreTest extends ObjectStoreContract {
    @Override
    ObjectStore store() {
        return new InMemoryObjectStore();
    }
}
