package io.dataflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One run's settings, from the command line: the PostgreSQL source, DataFlow's jar and launcher, the work folder, how
 * often each measurement repeats, the heap given to {@code dataflow run} (without a limit the JVM grows to a
 * quarter of RAM before collecting) and the reader of PostgreSQL's change stream ({@code --streaming-engine}: debezium or
 * native) in the streaming scenarios that do not compare the two.
 */
record Settings(String host, String user, String db, int port, Path jar, Path launcher, Path work, int repeats, String heap,
        String streamingEngine) {

    static Settings from(Map<String, String> opt) throws IOException {
        return new Settings("127.0.0.1", "postgres", opt.getOrDefault("db", "dataflow_bench"), 5432,
                Path.of(opt.getOrDefault("jar", "cli/target/dataflow.jar")).toAbsolutePath(),
                Path.of(opt.getOrDefault("launcher", "bin/dataflow")).toAbsolutePath(),
                Files.createDirectories(Path.of(opt.getOrDefault("work", "bench/results/tmp")).toAbsolutePath()),
                Integer.parseInt(opt.getOrDefault("repeats", "3")), opt.getOrDefault("heap", "512m"),
                opt.getOrDefault("streaming-engine", "debezium"));
    }
}
