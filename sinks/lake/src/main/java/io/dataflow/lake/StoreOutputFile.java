package io.dataflow.lake;

import io.dataflow.api.ObjectStore.PendingObject;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/** A Parquet {@link OutputFile} over a pending object: Parquet streams into it; the caller commits it. */
final class StoreOutputFile implements OutputFile {
    private final PendingObject pending;
    private final String key;

    StoreOutputFile(PendingObject pending, String key) {
        this.pending = pending;
        this.key = key;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
        OutputStream out = pending.stream();
        return new PositionOutputStream() {
            @Override
            public long getPos() {
                return pending.bytesWritten();
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() {
                // the pending object is committed or aborted by its owner
            }
        };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }

    @Override
    public String getPath() {
        return key;
    }
}
