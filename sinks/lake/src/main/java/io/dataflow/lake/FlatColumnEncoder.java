package io.dataflow.lake;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.column.statistics.Statistics;

/**
 * One flat (not repeated) column of a raw-zone file ({@link RawFileWriter}), encoded page by page straight from the
 * arrays of a {@link io.dataflow.api.LoadBatch} or of {@link ChangeRows} into a row group's page writer, as
 * parquet-java's V1 writer would encode it: version-1 data pages of at most the properties' page size and page row
 * count; definition levels (optional columns) in the RLE / bit-packing hybrid; values dictionary-encoded while the
 * dictionary stays under the dictionary page size and pays for itself on the first page, PLAIN after falling back;
 * page statistics (min, max, nulls) and size statistics. Subclasses hold the values of one physical type.
 *
 * <p>Parquet-java's column writers do the same per value through several layers of calls; for a full load and for a
 * change backlog that is most of the CPU (see bench/), so the file writer encodes its common columns itself and
 * leaves the rest (lists, decimals, floats, booleans) to parquet-java, in the same file.
 */
abstract class FlatColumnEncoder {
    final ColumnDescriptor column;
    private final PageWriter pages;
    private final boolean optional;
    private final int pageRowLimit;
    private final int pageByteLimit;
    final int dictionaryByteLimit;
    private final Scratch scratch;
    /** The page's values in PLAIN encoding (when not, or no longer, dictionary-encoding). */
    final PageBuffer plain = new PageBuffer(1024);
    private int[] levels = new int[1024];
    int[] ids = new int[1024];
    int idCount;
    /** Values are still dictionary-encoded. */
    boolean dictionary;
    private boolean dictionaryPagesWritten;
    private boolean firstPage = true;
    /** Rows, nulls and the PLAIN size of the values of the page being filled. */
    int rows;
    int nulls;
    long plainBytes;

    /**
     * What the encoders of one file writer (one thread) share: the buffer a page is assembled in before the page
     * writer copies it, and the level/id encoder.
     */
    static final class Scratch {
        final PageBuffer page = new PageBuffer(1 << 16);
        final HybridEncoder hybrid = new HybridEncoder();
    }

    /** Dictionary-encodes unless the properties turn the dictionary off for this column (the position column). */
    FlatColumnEncoder(ColumnDescriptor column, PageWriter pages, ParquetProperties props, Scratch scratch) {
        if (column.getMaxRepetitionLevel() != 0 || column.getMaxDefinitionLevel() > 1) {
            throw new IllegalArgumentException("column " + Arrays.toString(column.getPath()) + " is not flat");
        }
        this.column = column;
        this.pages = pages;
        this.scratch = scratch;
        this.optional = column.getMaxDefinitionLevel() == 1;
        this.pageRowLimit = props.getPageRowCountLimit();
        this.pageByteLimit = props.getPageSizeThreshold();
        this.dictionaryByteLimit = props.getDictionaryPageSizeThreshold();
        this.dictionary = props.isDictionaryEnabled(column);
    }

    /** Rows the page can take before it reaches the page row count. */
    final int room() {
        return pageRowLimit - rows;
    }

    /** Makes room for {@code count} more rows in the page's arrays (at most {@link #room()}). */
    final void reserve(int count) {
        if (rows + count > levels.length) {
            int size = Math.max(rows + count, levels.length * 2);
            levels = Arrays.copyOf(levels, size);
            ids = Arrays.copyOf(ids, size);
        }
    }

    /** Counts a null row of the page (room reserved). */
    final void nullRow() {
        if (!optional) {
            throw new IllegalArgumentException("null in the required column " + Arrays.toString(column.getPath()));
        }
        levels[rows++] = 0;
        nulls++;
    }

    /** Counts a row of the page whose value the caller adds (room reserved). */
    final void valueRow() {
        levels[rows++] = 1;
    }

    final void addId(int id) {
        ids[idCount++] = id;
    }

    /** The page holds the page row count or the page size. */
    final boolean pageFull() {
        return rows >= pageRowLimit || (dictionary ? (long) idCount << 2 : plain.size()) >= pageByteLimit;
    }

    /** Bytes held for this column in the row group: pages written (compressed) and the page being filled. */
    final long bufferedBytes() {
        return pages.getMemSize() + (dictionary ? ((long) idCount << 2) + dictionaryBytes() : plain.size());
    }

    /** Writes the last page and the dictionary page (if a page used it): the column chunk is complete. */
    final void finish() throws IOException {
        if (rows > 0) {
            writePage();
        }
        if (dictionaryPagesWritten) {
            pages.writeDictionaryPage(new DictionaryPage(dictionaryPage().bytesInput(), dictionarySize(), Encoding.PLAIN_DICTIONARY));
        }
    }

    /** Encodes the page and hands it to the page writer. */
    final void writePage() throws IOException {
        int values = rows - nulls;
        int bitWidth = dictionary ? HybridEncoder.bitWidth(Math.max(0, dictionarySize() - 1)) : 0;
        if (dictionary && firstPage && values > 0
                && ((long) values * bitWidth + 7) / 8 + 1 + dictionaryBytes() >= plainBytes) {
            fallBack();
        }
        PageBuffer page = scratch.page;
        HybridEncoder hybrid = scratch.hybrid;
        page.reset();
        Encoding levelEncoding = Encoding.BIT_PACKED;
        if (optional) {
            int at = page.size();
            page.writeInt(0);
            hybrid.encode(levels, rows, 1, page);
            page.setInt(at, page.size() - at - 4);
            levelEncoding = Encoding.RLE;
        }
        Encoding valueEncoding = Encoding.PLAIN;
        BytesInput body;
        if (values > 0 && dictionary) {
            page.writeByte(bitWidth);
            hybrid.encode(ids, idCount, bitWidth, page);
            valueEncoding = Encoding.PLAIN_DICTIONARY;
            dictionaryPagesWritten = true;
            body = page.bytesInput();
        } else {
            // the levels, then the PLAIN values where they are: a page of large values is not copied once more
            body = BytesInput.concat(page.bytesInput(), plain.bytesInput());
        }
        Statistics<?> stats = statistics();
        stats.setNumNulls(nulls);
        SizeStatistics sizes = new SizeStatistics(column.getPrimitiveType(), unencodedBytes(), List.of(), List.of());
        pages.writePage(body, rows, rows, stats, sizes, null, Encoding.BIT_PACKED, levelEncoding, valueEncoding);
        rows = 0;
        nulls = 0;
        idCount = 0;
        plainBytes = 0;
        plain.reset();
        firstPage = false;
        resetPage();
    }

    /** Turns the page's dictionary ids into PLAIN values and encodes the rest of the column chunk PLAIN. */
    final void fallBack() {
        plain.reset();
        for (int i = 0; i < idCount; i++) {
            writePlainEntry(ids[i]);
        }
        idCount = 0;
        dictionary = false;
        if (!dictionaryPagesWritten) {
            clearDictionary();
        }
    }

    /** Appends dictionary entry {@code id} to {@link #plain}. */
    abstract void writePlainEntry(int id);

    abstract int dictionarySize();

    /** The dictionary's size as a PLAIN dictionary page. */
    abstract long dictionaryBytes();

    abstract PageBuffer dictionaryPage();

    abstract void clearDictionary();

    /** The page's min and max (nulls are set by the caller). */
    abstract Statistics<?> statistics();

    /** BYTE_ARRAY bytes of the page's values without length prefixes; 0 for other types. */
    abstract long unencodedBytes();

    /** Forgets the page's statistics (and anything compared against the page's previous value). */
    abstract void resetPage();
}
