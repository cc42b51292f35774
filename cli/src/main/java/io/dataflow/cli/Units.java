package io.dataflow.cli;

import java.util.Locale;

/** Sizes and durations as DataFlow's commands print them, one way for all. */
public final class Units {
    private Units() {}

    /** {@code 512 B}, {@code 32.6 KiB}, {@code 50.0 MiB}, {@code 1.50 GiB}. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1 << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return n < 1L << 30 ? String.format(Locale.ROOT, "%.1f MiB", n / 1048576.0)
                : String.format(Locale.ROOT, "%.2f GiB", n / 1073741824.0);
    }

    /** {@code 45 s}, {@code 3 min 20 s}, {@code 2 h 2 min}. */
    public static String duration(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        return seconds < 7200 ? seconds / 60 + " min " + seconds % 60 + " s" : seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }

    /** {@link #duration}, or {@code N ms} below a second. */
    public static String millis(long ms) {
        return ms < 1000 ? ms + " ms" : duration(ms / 1000);
    }
}
