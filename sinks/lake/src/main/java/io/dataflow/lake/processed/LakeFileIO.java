package io.dataflow.lake.processed;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;

/**
 * The lake's {@link StoreFileIO} for catalogs that create their FileIO by class name ({@code io-impl}), as AWS Glue's
 * does: the catalog's properties carry {@value #ID}, the key under which the pipeline registered its store's FileIO.
 */
public final class LakeFileIO implements FileIO {
    static final String ID = "dataflow.lake-io";
    private static final Map<String, StoreFileIO> REGISTERED = new ConcurrentHashMap<>();
    private StoreFileIO io;
    private Map<String, String> properties = Map.of();

    /** Registers a store's FileIO; returns the property value naming it. */
    static String register(StoreFileIO io) {
        String id = java.util.UUID.randomUUID().toString();
        REGISTERED.put(id, io);
        return id;
    }

    static void unregister(String id) {
        REGISTERED.remove(id);
    }

    @Override
    public void initialize(Map<String, String> props) {
        this.properties = Map.copyOf(props);
        String id = props.get(ID);
        io = id == null ? null : REGISTERED.get(id);
        if (io == null) {
            throw new IllegalStateException(getClass().getName() + " is DataFlow's own FileIO; it needs the property " + ID
                    + " set by DataFlow");
        }
    }

    @Override
    public Map<String, String> properties() {
        return properties;
    }

    @Override
    public InputFile newInputFile(String path) {
        return io.newInputFile(path);
    }

    @Override
    public InputFile newInputFile(String path, long length) {
        return io.newInputFile(path, length);
    }

    @Override
    public OutputFile newOutputFile(String path) {
        return io.newOutputFile(path);
    }

    @Override
    public void deleteFile(String path) {
        io.deleteFile(path);
    }
}
