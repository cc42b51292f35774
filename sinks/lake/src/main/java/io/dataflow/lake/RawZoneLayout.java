package io.dataflow.lake;

import io.dataflow.api.TableId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the raw zone keeps each file; pure functions.
 *
 * <pre>
 * raw/&lt;pipeline&gt;/&lt;schema&gt;/&lt;table&gt;/LOAD00000001.parquet                  full load
 * raw/&lt;pipeline&gt;/&lt;schema&gt;/&lt;table&gt;/&lt;yyyy&gt;/&lt;MM&gt;/&lt;dd&gt;/&lt;position&gt;.parquet   changes, by commit date (UTC)
 * </pre>
 *
 * Change files are named by the first position they hold, so writing the same changes again replaces the
 * same file instead of adding a duplicate, and every file written after a checkpoint is found by comparing
 * names with the checkpoint's position.
 */
public final class RawZoneLayout {
    public static final String SUFFIX = ".parquet";
    private static final String LOAD_PREFIX = "LOAD";
    private final String pipeline;

    public RawZoneLayout(String pipeline) {
        this.pipeline = pipeline;
    }

    /** The prefix of everything this pipeline writes to the raw zone. */
    public String root() {
        return "raw/" + pipeline + "/";
    }

    public String tableDir(TableId table) {
        return root() + segment(table.schema()) + "/" + segment(table.table()) + "/";
    }

    /** The n-th (1-based) full-load file of a table. */
    public String loadFile(TableId table, int n) {
        return tableDir(table) + String.format(Locale.ROOT, "%s%08d%s", LOAD_PREFIX, n, SUFFIX);
    }

    /** The date folder of a change committed at {@code commitMicros} (UTC). */
    public static String datePath(long commitMicros) {
        ZonedDateTime t = Instant.EPOCH.plusNanos(0).plusSeconds(Math.floorDiv(commitMicros, 1_000_000L)).atZone(ZoneOffset.UTC);
        return String.format(Locale.ROOT, "%04d/%02d/%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth());
    }

    public String changeFile(TableId table, long commitMicros, String firstPosition) {
        return tableDir(table) + datePath(commitMicros) + "/" + firstPosition + SUFFIX;
    }

    /** True for a full-load file name (the last path segment). */
    public static boolean isLoadFile(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return name.startsWith(LOAD_PREFIX) && name.endsWith(SUFFIX);
    }

    /** The first position a change file holds, from its name; empty for other files. */
    public static Optional<String> positionOf(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        if (!name.endsWith(SUFFIX) || isLoadFile(key)) {
            return Optional.empty();
        }
        return Optional.of(name.substring(0, name.length() - SUFFIX.length()));
    }

    /** The table a folder of {@link #tableDir} belongs to (the inverse of {@link #tableDir}). */
    public TableId tableOf(String dir) {
        String[] parts = dir.substring(root().length()).split("/");
        return new TableId(unsegment(parts[0]), unsegment(parts[1]));
    }

    /** The name a {@link #segment} stands for. */
    static String unsegment(String segment) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%' && i + 2 < segment.length()) {
                b.append((char) Integer.parseInt(segment.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * A path segment for a schema or table name: kept as is (case included) except '/', '\', a leading '.'
     * and control characters, which are percent-encoded so every name maps to one folder and back.
     */
    public static String segment(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c == '%' || c < 0x20 || (i == 0 && c == '.')) {
                b.append(String.format(Locale.ROOT, "%%%02X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
