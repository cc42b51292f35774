package io.dataflow.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} and {@code ${file:PATH}} references inside string values, so secrets stay
 * out of pipeline files. A file's content is used without its trailing newline. {@code $${} escapes.
 */
public final class References {
    private static final Pattern REF = Pattern.compile("\\$?\\$\\{(env|file):([^}]*)}");
    /** The start of a reference, not escaped ({@code $${}). */
    private static final Pattern UNCLOSED = Pattern.compile("(?<!\\$)\\$\\{(env|file):");
    private final Function<String, String> env;
    private final Path baseDir;

    public References(Function<String, String> env, Path baseDir) {
        this.env = env;
        this.baseDir = baseDir;
    }

    public String resolve(String path, String value) {
        Matcher m = REF.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().startsWith("$$")) {
                replacement = m.group().substring(1);
            } else if (m.group(1).equals("env")) {
                replacement = env.apply(m.group(2));
                if (replacement == null) {
                    throw new ConfigException(path + ": '" + m.group() + "' names environment variable " + m.group(2)
                            + ", which is not set; export it or change the value");
                }
            } else {
                Path file = baseDir.resolve(m.group(2));
                try {
                    replacement = Files.readString(file, StandardCharsets.UTF_8).replaceFirst("\\r?\\n$", "");
                } catch (IOException e) {
                    throw new ConfigException(path + ": '" + m.group() + "' names file " + file
                            + ", which cannot be read (" + e.getClass().getSimpleName() + ")");
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        for (Matcher open = UNCLOSED.matcher(value); open.find(); ) {
            if (!REF.matcher(value).region(open.start(), value.length()).lookingAt()) {
                throw new ConfigException(path + ": a '" + open.group() + "' reference has no closing '}'; write ${env:NAME} or ${file:PATH}");
            }
        }
        return out.toString();
    }
}
