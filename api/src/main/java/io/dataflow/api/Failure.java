package io.dataflow.api;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * Whether retrying can overcome a failure, and why: the one classification that storage, sources, targets and the
 * pipeline's restart loop share. Transient failures (a lost connection, a server restart, throttling) are retried with
 * backoff from the last checkpoint; permanent ones (bad credentials, a missing right, a wrong setting) stop at once
 * with a message that says what to do.
 *
 * @param kind   transient or permanent
 * @param reason what failed, for messages
 */
public record Failure(Kind kind, String reason) {

    /** Whether a retry may succeed. */
    public enum Kind {
        TRANSIENT,
        PERMANENT
    }

    /** An exception that carries its own classification. */
    public interface Classified {
        Failure failure();
    }

    /** Words in an error message that mean retrying cannot help: authentication and missing rights. */
    private static final List<String> PERMANENT_MARKERS = List.of("access denied", "permission denied", "must be superuser",
            "password authentication failed");

    public static Failure transientFailure(String reason) {
        return new Failure(Kind.TRANSIENT, reason);
    }

    public static Failure permanent(String reason) {
        return new Failure(Kind.PERMANENT, reason);
    }

    public static Failure of(boolean permanent, String reason) {
        return new Failure(permanent ? Kind.PERMANENT : Kind.TRANSIENT, reason);
    }

    public boolean isPermanent() {
        return kind == Kind.PERMANENT;
    }

    /**
     * Classifies any error: the first {@link Classified} exception in its cause chain decides; otherwise a message that
     * names an authentication failure or a missing right is permanent; anything else is transient (the restart loop's
     * bound on consecutive failures still stops what never passes).
     */
    public static Failure classify(Throwable error) {
        if (isOutOfMemory(error)) {
            return permanent(outOfMemory(error));
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Classified c) {
                return c.failure();
            }
        }
        String text = messages(error);
        return of(mentionsPermanentCause(text), text);
    }

    /** True when the heap ran out somewhere in this error's cause chain. */
    public static boolean isOutOfMemory(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /**
     * An out-of-memory error with what was being done when it struck (a table's load), so that the message names it. Its
     * cause is the {@link OutOfMemoryError}, so {@link #isOutOfMemory} finds it.
     */
    public static final class OutOfMemoryWhile extends RuntimeException {
        public OutOfMemoryWhile(String doing, OutOfMemoryError cause) {
            super(doing, cause);
        }
    }

    /** {@link #outOfMemory()}, naming what was being done when the error says it ({@link OutOfMemoryWhile}). */
    public static String outOfMemory(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryWhile w) {
                return outOfMemory().replaceFirst(": give", java.util.regex.Matcher.quoteReplacement(" while " + w.getMessage()
                        + ": a row needs about ten times its largest value in heap ('dataflow assess' lists each table's largest "
                        + "values); give"));
            }
        }
        return outOfMemory();
    }

    /** What to say when the heap ran out: a restart would run out again, so the fix is the heap or the batch sizes. */
    public static String outOfMemory() {
        long max = Runtime.getRuntime().maxMemory() >> 20;
        return "out of memory (heap limit " + max + " MiB): give the JVM more heap, e.g. JAVA_OPTS=-Xmx" + Math.max(1, 2 * max / 1024 + 1)
                + "g, or lower full-load.chunk-rows and the targets' flush.rows and flush.bytes";
    }

    /** True when the text names an authentication failure or a missing right. */
    public static boolean mentionsPermanentCause(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return PERMANENT_MARKERS.stream().anyMatch(lower::contains);
    }

    /**
     * Classifies a database error by its SQLSTATE: connection problems (08), transaction rollbacks such as deadlocks
     * (40), insufficient resources (53), operator intervention (57) and a driver's connection error without a state
     * are transient; any other known state (authentication 28, rights 42501, data and schema errors) is permanent; an
     * error without a state is transient, since nothing says otherwise.
     */
    public static Failure ofSql(SQLException e) {
        SQLException first = e.getNextException() != null ? e.getNextException() : e;
        String state = first.getSQLState() == null ? "" : first.getSQLState();
        String message = first.getMessage() == null ? "" : first.getMessage();
        boolean transientState = state.startsWith("08") || state.startsWith("40") || state.startsWith("53") || state.startsWith("57")
                || state.equals("HY000") && message.toLowerCase(Locale.ROOT).contains("connection");
        return of(!transientState && !state.isEmpty(), message + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")"));
    }

    /** The distinct messages of an error's cause chain, joined with " / " (at most about 600 characters). */
    public static String messages(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 600; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !b.toString().contains(t.getMessage())) {
                b.append(b.length() == 0 ? "" : " / ").append(t.getMessage());
            }
        }
        return b.length() == 0 ? e.getClass().getSimpleName() : b.toString();
    }

    /** A short description of an error and its root cause. */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = message(e);
        return root == e ? top : top + " (cause: " + message(root) + ")";
    }

    /** An error's message; a file-system error also says what went wrong with the file (its message is only the path). */
    private static String message(Throwable e) {
        if (e instanceof java.nio.file.FileSystemException f) {
            String what = f instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : f instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                    : f instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                    : f instanceof java.nio.file.NotDirectoryException ? "not a directory"
                    : f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
            return f.getFile() + ": " + what + (f.getOtherFile() == null ? "" : " (" + f.getOtherFile() + ")");
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
