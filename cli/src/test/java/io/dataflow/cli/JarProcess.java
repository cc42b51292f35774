package io.dataflow.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code dataflow.jar run} as a separate process, for tests that kill it; output appended to a log file. */
final class JarProcess {
    private JarProcess() {}

    static Process run(Path jar, Path config, Path log) throws Exception {
        return run(jar, config, log, List.of());
    }

    /** With extra JVM options, e.g. {@code -Ddataflow.failpoint=...}. */
    static Process run(Path jar, Path config, Path log, List<String> jvm) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xmx1g"));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", jar.toString(), "run", "--config", config.toString(), "--progress-seconds", "0"));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** The last 20,000 characters of the log, for assertion messages. */
    static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.length() > 20_000 ? s.substring(s.length() - 20_000) : s;
        } catch (Exception e) {
            return "(no log)";
        }
    }
}
