package io.dataflow.storage;

import io.dataflow.api.ObjectStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** Objects in memory, per instance; for unit tests. Same consistency as documented on {@link ObjectStore}. */
public final class InMemoryObjectStore implements ObjectStore {
    private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();

    @Override
    public PendingObject create(String key) {
        return new BufferedPendingObject(content -> objects.put(key, content));
    }

    @Override
    public boolean putIfAbsent(String key, byte[] content) {
        return objects.putIfAbsent(key, content.clone()) == null;
    }

    @Override
    public synchronized Optional<Versioned> getVersioned(String key) {
        byte[] v = objects.get(key);
        return v == null ? Optional.empty() : Optional.of(new Versioned(v.clone(), LocalObjectStore.digest(v)));
    }

    @Override
    public synchronized boolean putIfMatch(String key, byte[] content, String version) {
        byte[] v = objects.get(key);
        if (v == null || !LocalObjectStore.digest(v).equals(version)) {
            return false;
        }
        objects.put(key, content.clone());
        return true;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(objects.get(key)).map(byte[]::clone);
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        return objects.tailMap(prefix).entrySet().stream()
                .takeWhile(e -> e.getKey().startsWith(prefix))
                .map(e -> new ObjectInfo(e.getKey(), e.getValue().length))
                .toList();
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
    }

    /** A snapshot of all keys and sizes, for assertions. */
    public Map<String, Integer> sizes() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        objects.forEach((k, v) -> out.put(k, v.length));
        return out;
    }

    @Override
    public String describe() {
        return "memory";
    }
}
