package io.dataflow.source.binlog;

import java.util.List;

/** The key-range SQL of {@link BinlogChunkLoader}, for tests. */
public final class BinlogChunkLoaderAccess {
    private BinlogChunkLoaderAccess() {}

    public static String rowCompare(List<String> keys, boolean lower) {
        return BinlogChunkLoader.rowCompare(keys, 0, lower);
    }

    public static List<String> rowCompareValues(List<String> values) {
        return BinlogChunkLoader.rowCompareValues(values, 0);
    }
}
