package io.dataflow.api;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * A flat namespace of immutable objects addressed by {@code /}-separated keys, the one storage port of the
 * lake and of the state store. Implementations: {@link LocalObjectStore} (a folder),
 * {@link InMemoryObjectStore} (tests).
 *
 * <p>Consistency, per method:
 * <ul>
 *   <li>{@link #create(String)}: nothing is visible until {@link PendingObject#commit()} returns; then the
 *       whole object is visible at once (atomic publish) and durable. An abandoned or aborted pending
 *       object leaves nothing visible.</li>
 *   <li>{@link #put(String, byte[])}: atomic replace: readers see the old or the new content, never a mix.</li>
 *   <li>{@link #putIfAbsent(String, byte[])}: atomic create; false when the key exists.</li>
 *   <li>{@link #list(String)}: every object committed before the call began is listed; objects being
 *       written are not.</li>
 *   <li>{@link #delete(String)}: idempotent; a missing key is not an error.</li>
 *   <li>{@link #putIfMatch(String, byte[], String)}: atomic compare-and-replace against the version
 *       {@link #getVersioned(String)} returned; false when the object changed or vanished meanwhile.</li>
 * </ul>
 */
public interface ObjectStore extends AutoCloseable {

    /** Starts writing an object; it becomes visible, replacing any object at that key, on commit. */
    PendingObject create(String key) throws IOException;

    /** Writes a small object in one call; atomic replace. */
    default void put(String key, byte[] content) throws IOException {
        try (PendingObject p = create(key)) {
            p.stream().write(content);
            p.commit();
        }
    }

    /** Creates a small object only if no object has that key; returns false if one exists. */
    boolean putIfAbsent(String key, byte[] content) throws IOException;

    /** Reads a whole object, empty when the key does not exist. */
    default Optional<byte[]> get(String key) throws IOException {
        return getVersioned(key).map(Versioned::content);
    }

    /**
     * Reads up to {@code length} bytes of an object starting at {@code offset} into {@code into[at..]}: a ranged read,
     * so large objects (Parquet files read back by the processed zone) are never held whole. Returns the bytes read,
     * fewer than {@code length} only at the end of the object.
     *
     * @throws java.io.FileNotFoundException when the key does not exist
     */
    default int read(String key, long offset, byte[] into, int at, int length) throws IOException {
        byte[] all = get(key).orElseThrow(() -> new java.io.FileNotFoundException(describe() + ": no object " + key));
        if (offset >= all.length) {
            return 0;
        }
        int n = (int) Math.min(length, all.length - offset);
        System.arraycopy(all, (int) offset, into, at, n);
        return n;
    }

    /**
     * The size of an object in bytes.
     *
     * @throws java.io.FileNotFoundException when the key does not exist
     */
    default long length(String key) throws IOException {
        for (ObjectInfo o : list(key)) {
            if (o.key().equals(key)) {
                return o.size();
            }
        }
        throw new java.io.FileNotFoundException(describe() + ": no object " + key);
    }

    /** Reads a whole object with a version token for {@link #putIfMatch}. */
    Optional<Versioned> getVersioned(String key) throws IOException;

    /** Replaces an object only if it still has {@code version}; returns false otherwise. */
    boolean putIfMatch(String key, byte[] content, String version) throws IOException;

    /**
     * Removes what crashed writers left under {@code prefix} (temporary files, unfinished multipart uploads);
     * none of it was ever visible. Returns how many were removed.
     */
    default int cleanUpIncomplete(String prefix) throws IOException {
        return 0;
    }

    /** Keys of all objects whose key starts with {@code prefix}, sorted. */
    List<ObjectInfo> list(String prefix) throws IOException;

    void delete(String key) throws IOException;

    /** Where this store lives, for messages (a folder path or a URI). */
    String describe();

    @Override
    default void close() throws IOException {}

    /** One listed object. */
    record ObjectInfo(String key, long size) {}

    /** An object's content and a token that changes whenever the object is replaced. */
    record Versioned(byte[] content, String version) {}

    /** An object being written: write to {@link #stream()}, then {@link #commit()} or {@link #close()} to abort. */
    interface PendingObject extends AutoCloseable {
        OutputStream stream();

        /** Bytes written so far. */
        long bytesWritten();

        /** Publishes the object atomically and durably. */
        void commit() throws IOException;

        /** Aborts unless committed. */
        @Override
        void close() throws IOException;
    }
}
