package io.dataflow.storage;

import io.dataflow.api.ObjectStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Objects as files under a root folder. Writes go to a hidden temporary file in the target folder, are
 * fsynced, then atomically renamed into place, and the folder is fsynced: a crash leaves either the old
 * object or the new one, plus at most a stray temporary file that {@link #list(String)} ignores.
 */
public final class LocalObjectStore implements ObjectStore {
    static final String TEMP_PREFIX = ".tmp-";
    private final Path root;

    public LocalObjectStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
    }

    public Path root() {
        return root;
    }

    Path resolve(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.contains("..")) {
            throw new IllegalArgumentException("invalid object key '" + key + "'");
        }
        return root.resolve(key);
    }

    @Override
    public PendingObject create(String key) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(TEMP_PREFIX + target.getFileName() + "-" + UUID.randomUUID());
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        CountingOutputStream counting =
                new CountingOutputStream(new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16));
        return new PendingObject() {
            private boolean done;

            @Override
            public OutputStream stream() {
                return counting;
            }

            @Override
            public long bytesWritten() {
                return counting.count();
            }

            @Override
            public void commit() throws IOException {
                counting.flush();
                channel.force(true);
                channel.close();
                move(temp, target);
                fsyncDirectory(target.getParent());
                done = true;
            }

            @Override
            public void close() throws IOException {
                if (!done) {
                    done = true;
                    channel.close();
                    Files.deleteIfExists(temp);
                }
            }
        };
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system under " + to.getParent() + " cannot rename atomically; "
                    + "use a local file system for the lake", e);
        }
    }

    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open directories; the rename is still atomic there.
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] content) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(TEMP_PREFIX + target.getFileName() + "-" + UUID.randomUUID());
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(true);
            }
            // A hard link fails if the target exists: an atomic create-if-absent with the full content.
            Files.createLink(target, temp);
            fsyncDirectory(target.getParent());
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public int read(String key, long offset, byte[] into, int at, int length) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(resolve(key), java.nio.file.StandardOpenOption.READ)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(into, at, length);
            long pos = offset;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos);
                if (n < 0) {
                    break;
                }
                pos += n;
            }
            return (int) (pos - offset);
        } catch (NoSuchFileException e) {
            throw new java.io.FileNotFoundException(describe() + ": no object " + key);
        }
    }

    @Override
    public long length(String key) throws IOException {
        try {
            return Files.size(resolve(key));
        } catch (NoSuchFileException e) {
            throw new java.io.FileNotFoundException(describe() + ": no object " + key);
        }
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        // Walk from the deepest folder the prefix names, then filter by the full prefix.
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<ObjectInfo> out = new ArrayList<>();
        // Other writers create and rename temporary files meanwhile: an entry that vanishes while listed is skipped.
        Files.walkFileTree(start, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path p, java.nio.file.attribute.BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !p.getFileName().toString().startsWith(".")) {
                    String key = root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
                    if (key.startsWith(prefix)) {
                        out.add(new ObjectInfo(key, attrs.size()));
                    }
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        out.sort(Comparator.comparing(ObjectInfo::key));
        return out;
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(resolve(key));
    }

    @Override
    public Optional<Versioned> getVersioned(String key) throws IOException {
        return get(key).map(b -> new Versioned(b, digest(b)));
    }

    /**
     * Compare-and-replace under an exclusive lock on a hidden sidecar file, held across processes
     * ({@code fcntl} locks on Linux), so two processes cannot both replace the same version.
     */
    @Override
    public boolean putIfMatch(String key, byte[] content, String version) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path lock = target.resolveSibling(".lock-" + target.getFileName());
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                java.nio.channels.FileLock ignored = ch.lock()) {
            Optional<byte[]> current = get(key);
            if (current.isEmpty() || !digest(current.get()).equals(version)) {
                return false;
            }
            put(key, content);
            return true;
        }
    }

    static String digest(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int cleanUpIncomplete(String prefix) throws IOException {
        return removeStrayTempFiles(prefix);
    }

    /** Removes temporary files left by a crash under {@code prefix}. */
    public int removeStrayTempFiles(String prefix) throws IOException {
        Path start = prefix.isEmpty() ? root : root.resolve(prefix);
        if (!Files.isDirectory(start)) {
            return 0;
        }
        int n = 0;
        try (Stream<Path> walk = Files.walk(start)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p) && p.getFileName().toString().startsWith(TEMP_PREFIX)) {
                    Files.deleteIfExists(p);
                    n++;
                }
            }
        }
        return n;
    }

    @Override
    public String describe() {
        return root.toString();
    }
}
