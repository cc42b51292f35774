package io.dataflow.config;

import java.util.LinkedHashMap;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Readers for config values; each failure names the key path, the value and what is allowed. */
public final class Values {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|KiB|MiB|GiB)?", Pattern.CASE_INSENSITIVE);

    private Values() {}

    /** Key names whose values are secrets: never printed, whatever their shape. */
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|token|credential|passphrase|private-key|connection-string).*");

    /** True for a key whose value is a secret, e.g. {@code password}, {@code secret-access-key}. */
    public static boolean isSecretKey(String key) {
        return SECRET_KEY.matcher(key).matches();
    }

    /**
     * How a message shows the value at {@code path}: quoted (cut at 80 characters), or, when it is or holds a secret (a
     * value from a {@code ${env:}}/{@code ${file:}} reference, or anything under a secret-bearing key), only its kind.
     */
    public static String show(String path, JsonNode v) {
        if (isSecretPath(path) || holdsSecret(v)) {
            return kind(v) + " (not shown: it holds a secret or a ${env:}/${file:} reference)";
        }
        String s = v.isTextual() ? v.asText() : v.toString();
        return "'" + (s.length() > 80 ? s.substring(0, 77) + "..." : s) + "'";
    }

    /** True when the value at {@code path} (e.g. {@code source.password}, {@code x.tokens[2]}) stands under a secret-bearing key. */
    static boolean isSecretPath(String path) {
        String last = path.substring(path.lastIndexOf('.') + 1);
        return isSecretKey(last.replaceAll("\\[\\d+]$", ""));
    }

    private static boolean holdsSecret(JsonNode v) {
        if (v instanceof SecretText) {
            return true;
        }
        if (v.isObject()) {
            for (var it = v.fields(); it.hasNext(); ) {
                var e = it.next();
                if (isSecretKey(e.getKey()) || holdsSecret(e.getValue())) {
                    return true;
                }
            }
        } else if (v.isArray()) {
            for (JsonNode child : v) {
                if (holdsSecret(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String kind(JsonNode v) {
        return v.isObject() ? "a mapping" : v.isArray() ? "a list" : v.isTextual() ? "a text" : v.isNumber() ? "a number"
                : v.isBoolean() ? "a boolean" : "a value";
    }

    public static String string(String path, JsonNode v) {
        if (!v.isValueNode() || v.isNull()) {
            throw new ConfigException(path + ": " + show(path, v) + " is not a text value");
        }
        return v.asText();
    }

    public static String nonEmptyString(String path, JsonNode v) {
        String s = string(path, v);
        if (s.isBlank()) {
            throw new ConfigException(path + ": empty; expected a non-empty value");
        }
        return s;
    }

    public static int port(String path, JsonNode v) {
        int p = integer(path, v);
        if (p < 1 || p > 65535) {
            throw new ConfigException(path + ": " + show(path, v) + " is not a TCP port; expected 1..65535");
        }
        return p;
    }

    public static int integer(String path, JsonNode v) {
        if (v.isInt()) {
            return v.asInt();
        }
        if (v.isTextual() && v.asText().matches("-?\\d{1,9}")) {
            return Integer.parseInt(v.asText());
        }
        throw new ConfigException(path + ": " + show(path, v) + " is not an integer");
    }

    public static int positiveInt(String path, JsonNode v) {
        int n = integer(path, v);
        if (n <= 0) {
            throw new ConfigException(path + ": " + show(path, v) + " must be greater than 0");
        }
        return n;
    }

    public static long positiveLong(String path, JsonNode v) {
        if (v.isIntegralNumber() || v.isTextual() && v.asText().trim().matches("-?\\d+")) {
            long n = wholeNumber(path, v, "1.." + Long.MAX_VALUE);
            if (n > 0) {
                return n;
            }
        }
        throw new ConfigException(path + ": " + show(path, v) + " is not a positive integer");
    }

    /** An integral number or its digits, as a long; out of that range is an error naming {@code range}. */
    private static long wholeNumber(String path, JsonNode v, String range) {
        if (v.isIntegralNumber() ? !v.canConvertToLong() : !fitsLong(v.asText().trim())) {
            throw new ConfigException(path + ": " + show(path, v) + " is out of range; expected " + range);
        }
        return v.isIntegralNumber() ? v.asLong() : Long.parseLong(v.asText().trim());
    }

    private static boolean fitsLong(String digits) {
        try {
            Long.parseLong(digits);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public static boolean bool(String path, JsonNode v) {
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
            return Boolean.parseBoolean(v.asText());
        }
        throw new ConfigException(path + ": " + show(path, v) + " is not a boolean; expected true or false");
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}; a bare integer is milliseconds. */
    public static Duration duration(String path, JsonNode v) {
        String range = "1ms to " + Long.MAX_VALUE + "ms";
        if (v.isIntegralNumber()) {
            long n = wholeNumber(path, v, range);
            if (n > 0) {
                return Duration.ofMillis(n);
            }
        }
        Matcher m = DURATION.matcher(v.asText().trim());
        if (v.isTextual() && m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                Duration d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
                d.toMillis(); // the flush policy counts in milliseconds
                if (!d.isZero()) {
                    return d;
                }
            } catch (NumberFormatException | ArithmeticException e) {
                throw new ConfigException(path + ": " + show(path, v) + " is out of range; expected " + range);
            }
        }
        throw new ConfigException(path + ": " + show(path, v) + " is not a positive duration; expected e.g. 500ms, 2s, 1m, 1h");
    }

    /** {@code 64MB}, {@code 512KB}, {@code 1GB} (powers of 1024), or a bare number of bytes. */
    public static long size(String path, JsonNode v) {
        String range = "1 byte to " + (Long.MAX_VALUE >> 30) + "GB";
        if (v.isIntegralNumber()) {
            long n = wholeNumber(path, v, range);
            if (n > 0) {
                return n;
            }
        }
        Matcher m = SIZE.matcher(v.asText().trim());
        if (v.isTextual() && m.matches()) {
            String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT).replace("I", "");
            long mult = switch (unit) {
                case "KB" -> 1L << 10;
                case "MB" -> 1L << 20;
                case "GB" -> 1L << 30;
                default -> 1L;
            };
            try {
                long n = Math.multiplyExact(Long.parseLong(m.group(1)), mult);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException | ArithmeticException e) {
                throw new ConfigException(path + ": " + show(path, v) + " is out of range; expected " + range);
            }
        }
        throw new ConfigException(path + ": " + show(path, v) + " is not a positive size; expected e.g. 64MB, 512KB, 1GB");
    }

    public static List<String> stringList(String path, JsonNode v) {
        if (v.isTextual()) {
            return List.of(v.asText());
        }
        if (!v.isArray()) {
            throw new ConfigException(path + ": " + show(path, v) + " is not a list; expected e.g. [public.*]");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            out.add(nonEmptyString(path + "[" + i + "]", v.get(i)));
        }
        return out;
    }

    /** Reads one of an enum's values, spelled in lower case with '-' for '_'. */
    public static <E extends Enum<E>> E choice(String path, JsonNode v, Class<E> type) {
        String s = v.isTextual() ? v.asText() : "";
        for (E e : type.getEnumConstants()) {
            if (spell(e).equals(s)) {
                return e;
            }
        }
        throw new ConfigException(path + ": " + show(path, v) + " is not allowed; expected one of "
                + Arrays.stream(type.getEnumConstants()).map(Values::spell).collect(Collectors.joining(", ")));
    }

    public static String spell(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A non-empty string matching {@code regex}; otherwise the error says what it {@code problem}s. */
    public static String matching(String path, JsonNode v, String regex, String problem) {
        String s = nonEmptyString(path, v);
        if (!s.matches(regex)) {
            throw new ConfigException(path + ": " + show(path, v) + " " + problem);
        }
        return s;
    }

    /** One of the given words. */
    public static String oneOf(String path, JsonNode v, String... allowed) {
        String s = nonEmptyString(path, v);
        if (!List.of(allowed).contains(s)) {
            throw new ConfigException(path + ": " + show(path, v) + " is not allowed; expected one of " + String.join(", ", allowed));
        }
        return s;
    }

    /** A mapping of names to string values. */
    public static Map<String, String> stringMap(String path, JsonNode v) {
        if (!v.isObject()) {
            throw new ConfigException(path + ": " + show(path, v) + " is not a mapping of property names to values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        v.fields().forEachRemaining(e -> out.put(e.getKey(), string(path + "." + e.getKey(), e.getValue())));
        return out;
    }
}
