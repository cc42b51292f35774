package io.dataflow.storage;

import io.dataflow.api.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A {@link ObjectStore.PendingObject} for stores that publish a whole object in one call: written into memory,
 * handed to the store on {@link #commit()}; abandoning it leaves nothing.
 */
public final class BufferedPendingObject implements ObjectStore.PendingObject {

    /** What publishes the buffered content. */
    public interface Publisher {
        void publish(byte[] content) throws IOException;
    }

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Publisher publisher;

    public BufferedPendingObject(Publisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public OutputStream stream() {
        return buffer;
    }

    @Override
    public long bytesWritten() {
        return buffer.size();
    }

    @Override
    public void commit() throws IOException {
        publisher.publish(buffer.toByteArray());
    }

    @Override
    public void close() {
        // nothing was published unless committed
    }
}
