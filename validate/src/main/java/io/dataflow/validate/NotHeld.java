package io.dataflow.validate;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values a target cannot hold and that the pipeline, by its documented conversion rules, wrote otherwise (as NULL, or
 * without NUL characters): the run counts them ("values a target could not hold"), and validation reports them as such,
 * with the reason, instead of as differences. A target value that is not exactly the documented result is still a
 * difference.
 */
final class NotHeld {
    /** What kind of store a target is, as far as the conversion rules go. */
    enum Store {
        POSTGRES, MYSQL, LAKE
    }

    private static final Pattern DURATION = Pattern.compile("(-)?(\\d+):(\\d\\d):(\\d\\d)(\\.\\d+)?");

    private NotHeld() {}

    /** Why the target holds {@code target} for the source's {@code source}, when a conversion rule says so; else empty. */
    static Optional<String> reason(Object source, Object target, Store store) {
        if (source == null) {
            return Optional.empty();
        }
        switch (store) {
            case MYSQL -> {
                if (target == null && (source instanceof Double d && (d.isNaN() || d.isInfinite())
                        || source instanceof Float f && (f.isNaN() || f.isInfinite()))) {
                    return Optional.of("NaN or infinity has no MariaDB value; written as NULL");
                }
                if (target == null && year(source).map(y -> y < 1000 || y > 9999).orElse(false)) {
                    return Optional.of("date outside MariaDB's years 1000..9999; written as NULL");
                }
            }
            case POSTGRES -> {
                if (source instanceof String s && s.indexOf('\0') >= 0 && s.replace("\0", "").equals(target)) {
                    return Optional.of("NUL characters dropped (PostgreSQL text cannot hold them)");
                }
                if (target == null && source instanceof String s && outsideTimeOfDay(s)) {
                    return Optional.of("durations outside PostgreSQL's time of day (00:00..24:00) written as NULL");
                }
            }
            case LAKE -> {
                if (target == null && year(source).map(y -> y < -9999 || y > 99999).orElse(false)) {
                    return Optional.of("infinite dates and timestamps written as NULL");
                }
            }
            default -> throw new IllegalStateException(store.toString());
        }
        return Optional.empty();
    }

    private static Optional<Integer> year(Object v) {
        if (v instanceof LocalDate d) {
            return Optional.of(d.getYear());
        }
        if (v instanceof LocalDateTime t) {
            return Optional.of(t.getYear());
        }
        if (v instanceof OffsetDateTime t) {
            return Optional.of(t.getYear());
        }
        if (v instanceof java.sql.Date d) {
            return Optional.of(d.toLocalDate().getYear());
        }
        if (v instanceof java.sql.Timestamp t) {
            return Optional.of(t.toLocalDateTime().getYear());
        }
        return Optional.empty();
    }

    private static boolean outsideTimeOfDay(String s) {
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            return false;
        }
        int hours = Integer.parseInt(m.group(2));
        return m.group(1) != null || hours > 24 || hours == 24 && !s.matches("24:00:00(\\.0*)?");
    }
}
