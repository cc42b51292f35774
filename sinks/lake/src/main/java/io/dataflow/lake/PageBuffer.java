package io.dataflow.lake;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.parquet.bytes.BytesInput;

/** A growable byte buffer for one Parquet page's parts, written little-endian as the format wants; reused page after page. */
final class PageBuffer {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] bytes;
    private int size;

    PageBuffer(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            long wanted = Math.max((long) bytes.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("a Parquet page part cannot exceed 2 GiB");
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }

    void writeByte(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    void writeInt(int v) {
        ensure(4);
        INT.set(bytes, size, v);
        size += 4;
    }

    void writeLong(long v) {
        ensure(8);
        LONG.set(bytes, size, v);
        size += 8;
    }

    void writeBytes(byte[] src, int offset, int length) {
        ensure(length);
        System.arraycopy(src, offset, bytes, size, length);
        size += length;
    }

    /** A value as a BYTE_ARRAY of PLAIN encoding: its length (4 bytes) and its bytes. */
    void writeLengthAndBytes(byte[] src, int offset, int length) {
        ensure(4 + length);
        INT.set(bytes, size, length);
        System.arraycopy(src, offset, bytes, size + 4, length);
        size += 4 + length;
    }

    void writeUnsignedVarInt(int v) {
        ensure(5);
        while ((v & ~0x7f) != 0) {
            bytes[size++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        bytes[size++] = (byte) v;
    }

    /** Makes room for {@code length} bytes written by the caller into {@link #array()} at {@link #size()}, then counts them. */
    byte[] reserve(int length) {
        ensure(length);
        return bytes;
    }

    void advance(int length) {
        size += length;
    }

    /** Overwrites 4 bytes at {@code at} (a length prefix written before its content was known). */
    void setInt(int at, int v) {
        INT.set(bytes, at, v);
    }

    byte[] array() {
        return bytes;
    }

    /** The content as Parquet input, valid until this buffer is next written (page writers copy what they keep). */
    BytesInput bytesInput() {
        return BytesInput.from(bytes, 0, size);
    }
}
