package io.dataflow.lake;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Parquet compression without Hadoop: ZSTD through zstd-jni, Snappy through snappy-java, or none.
 * (Parquet's own factory loads Hadoop classes even for uncompressed pages.)
 */
final class CodecFactory implements CompressionCodecFactory {
    private static final int ZSTD_LEVEL = 3;

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED -> new Compressor(codec) {
                @Override
                public BytesInput compress(BytesInput bytes) {
                    return bytes;
                }
            };
            case ZSTD -> new Compressor(codec) {
                @Override
                public BytesInput compress(BytesInput bytes) throws IOException {
                    return BytesInput.from(Zstd.compress(bytes.toByteArray(), ZSTD_LEVEL));
                }
            };
            case SNAPPY -> new Compressor(codec) {
                @Override
                public BytesInput compress(BytesInput bytes) throws IOException {
                    return BytesInput.from(Snappy.compress(bytes.toByteArray()));
                }
            };
            default -> throw new IllegalArgumentException("unsupported Parquet codec " + codec);
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                byte[] in = bytes.toByteArray();
                return switch (codec) {
                    case UNCOMPRESSED -> BytesInput.from(in);
                    case ZSTD -> BytesInput.from(Zstd.decompress(in, uncompressedSize));
                    case SNAPPY -> BytesInput.from(Snappy.uncompress(in));
                    default -> throw new IOException("unsupported Parquet codec " + codec);
                };
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                    throws IOException {
                byte[] in = new byte[compressedSize];
                input.get(in);
                output.put(decompress(BytesInput.from(in), uncompressedSize).toByteArray());
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public void release() {}

    private abstract static class Compressor implements BytesInputCompressor {
        private final CompressionCodecName codec;

        Compressor(CompressionCodecName codec) {
            this.codec = codec;
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public void release() {}
    }
}
