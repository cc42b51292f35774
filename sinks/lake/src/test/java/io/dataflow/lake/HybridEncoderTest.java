package io.dataflow.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.junit.jupiter.api.Test;

/** Whatever the encoder writes, parquet-java's decoder must read back the same values. */
class HybridEncoderTest {
    private final HybridEncoder encoder = new HybridEncoder();

    @Test
    void runsLiteralsAndTheirMixesRoundTripAtEveryWidth() throws Exception {
        Random random = new Random(7);
        for (int width = 0; width <= 31; width++) {
            int bound = width == 0 ? 1 : (int) Math.min(1L << width, Integer.MAX_VALUE);
            for (int shape = 0; shape < 6; shape++) {
                int count = 1 + random.nextInt(3000);
                int[] values = new int[count];
                for (int i = 0; i < count; i++) {
                    values[i] = switch (shape) {
                        case 0 -> 0;                                        // one long run
                        case 1 -> random.nextInt(bound);                    // literals only
                        case 2 -> (i / (1 + random.nextInt(20))) % bound;    // runs of random lengths, some shorter than 8
                        case 3 -> i % 11 < 9 ? bound - 1 : random.nextInt(bound); // runs broken by literals
                        case 4 -> i < count - 3 ? 1 % bound : 0;            // a run then a short tail
                        default -> random.nextInt(4) == 0 ? random.nextInt(bound) : bound / 2;
                    };
                }
                assertRoundTrip(values, width);
            }
        }
    }

    @Test
    void shortInputsAndExactGroups() throws Exception {
        assertRoundTrip(new int[] {1}, 1);
        assertRoundTrip(new int[] {1, 0, 1, 0, 1, 0, 1, 0}, 1);
        assertRoundTrip(new int[] {3, 3, 3, 3, 3, 3, 3, 3}, 2);
        assertRoundTrip(new int[] {1, 2, 3, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, 3);
        assertRoundTrip(new int[0], 5);
    }

    @Test
    void aConstantPageIsOneRun() {
        PageBuffer out = new PageBuffer(16);
        encoder.encode(new int[20_000], 20_000, 1, out);
        assertThat(out.size()).as("varint header (3 bytes) and one value byte").isEqualTo(4);
    }

    @Test
    void widthIsTheBitsOfTheLargestValue() {
        assertThat(HybridEncoder.bitWidth(0)).isZero();
        assertThat(HybridEncoder.bitWidth(1)).isEqualTo(1);
        assertThat(HybridEncoder.bitWidth(255)).isEqualTo(8);
        assertThat(HybridEncoder.bitWidth(256)).isEqualTo(9);
    }

    private void assertRoundTrip(int[] values, int width) throws Exception {
        PageBuffer out = new PageBuffer(16);
        encoder.encode(values, values.length, width, out);
        RunLengthBitPackingHybridDecoder decoder = new RunLengthBitPackingHybridDecoder(width,
                ByteBufferInputStream.wrap(ByteBuffer.wrap(out.array(), 0, out.size())));
        int[] read = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            read[i] = decoder.readInt();
        }
        assertThat(read).as("width %d, %d values", width, values.length).isEqualTo(values);
    }
}
