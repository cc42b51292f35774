package io.dataflow.lake.processed;

import io.dataflow.api.ObjectStore;
import java.io.EOFException;
import java.io.IOException;
import org.apache.iceberg.io.SeekableInputStream;

/**
 * A seekable stream over one object, read in ranged blocks of at most {@link #BLOCK} bytes: Parquet readers jump to
 * the footer and then to the column chunks they need, and never hold the whole object.
 */
public final class StoreInputStream extends SeekableInputStream {
    static final int BLOCK = 1 << 20;
    private final ObjectStore store;
    private final String key;
    private final long length;
    private byte[] block = new byte[0];
    private long blockStart;
    private int blockLength;
    private long pos;

    public StoreInputStream(ObjectStore store, String key, long length) {
        this.store = store;
        this.key = key;
        this.length = length;
    }

    @Override
    public long getPos() {
        return pos;
    }

    @Override
    public void seek(long newPos) throws IOException {
        if (newPos < 0 || newPos > length) {
            throw new EOFException("seek to " + newPos + " outside " + key + " (" + length + " bytes)");
        }
        pos = newPos;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos >= length) {
            return -1;
        }
        if (len >= BLOCK) {
            int n = store.read(key, pos, b, off, (int) Math.min(len, length - pos));
            pos += n;
            return n;
        }
        if (pos < blockStart || pos >= blockStart + blockLength) {
            int want = (int) Math.min(BLOCK, length - pos);
            if (block.length < want) {
                block = new byte[want];
            }
            blockLength = store.read(key, pos, block, 0, want);
            blockStart = pos;
            if (blockLength <= 0) {
                throw new EOFException(key + " ended at " + pos + " of " + length + " bytes");
            }
        }
        int n = (int) Math.min(len, blockStart + blockLength - pos);
        System.arraycopy(block, (int) (pos - blockStart), b, off, n);
        pos += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, length - pos));
        pos += skipped;
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, length - pos);
    }
}
