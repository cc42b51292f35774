package io.dataflow.source.postgres.load;

import java.nio.charset.StandardCharsets;

/**
 * Splits one row of {@code COPY ... TO STDOUT} text format into its fields: tab-separated, {@code \N} for null,
 * backslash escapes for the delimiter, newlines and other characters.
 */
public final class CopyReader {
    /** Session settings under which {@link PgTextValues} reads values. */
    public static final String[] SESSION = {
        "SET DateStyle = ISO, YMD", "SET IntervalStyle = iso_8601", "SET TimeZone = 'UTC'", "SET extra_float_digits = 3",
        "SET bytea_output = hex"
    };

    private CopyReader() {}

    /** The fields of one row (without its trailing newline); null for {@code \N}. */
    public static String[] fields(byte[] row, int columns) {
        String line = new String(row, StandardCharsets.UTF_8);
        int end = line.endsWith("\n") ? line.length() - 1 : line.length();
        String[] out = new String[columns];
        if (line.indexOf('\\') < 0) {
            // No escapes and no nulls on this row (the common case): split on tabs.
            int start = 0;
            for (int field = 0; field < columns; field++) {
                int tab = line.indexOf('\t', start);
                int stop = tab < 0 || tab > end ? end : tab;
                out[field] = line.substring(start, stop);
                start = stop + 1;
            }
            return out;
        }
        int field = 0;
        StringBuilder b = new StringBuilder();
        boolean isNull = false;
        for (int i = 0; i <= end; i++) {
            char c = i < end ? line.charAt(i) : '\t';
            if (c == '\t') {
                if (field < columns) {
                    out[field] = isNull ? null : b.toString();
                }
                field++;
                b.setLength(0);
                isNull = false;
                continue;
            }
            if (c == '\\' && i + 1 < end) {
                char e = line.charAt(++i);
                switch (e) {
                    case 'N' -> isNull = true;
                    case 't' -> b.append('\t');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'v' -> b.append('\u000b');
                    case 'x' -> {
                        int j = i + 1;
                        int v = 0;
                        while (j < end && j < i + 3 && Character.digit(line.charAt(j), 16) >= 0) {
                            v = v * 16 + Character.digit(line.charAt(j++), 16);
                        }
                        b.append((char) v);
                        i = j - 1;
                    }
                    default -> {
                        if (e >= '0' && e <= '7') {
                            int j = i;
                            int v = 0;
                            while (j < end && j < i + 3 && line.charAt(j) >= '0' && line.charAt(j) <= '7') {
                                v = v * 8 + (line.charAt(j++) - '0');
                            }
                            b.append((char) v);
                            i = j - 1;
                        } else {
                            b.append(e);
                        }
                    }
                }
                continue;
            }
            b.append(c);
        }
        return out;
    }
}
