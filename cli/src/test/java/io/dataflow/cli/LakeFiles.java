package io.dataflow.cli;

import io.dataflow.testing.LakeReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/** Raw-zone files of one table, for tests that compare full-load and change files. */
final class LakeFiles {
    private LakeFiles() {}

    static Path tableDir(Path lake, String pipeline, String schema, String table) {
        return lake.resolve("raw").resolve(pipeline).resolve(schema).resolve(table);
    }

    static Path firstLoadFile(Path lake, String pipeline, String schema, String table) {
        return tableDir(lake, pipeline, schema, table).resolve("LOAD00000001.parquet");
    }

    static Path firstChangeFile(Path lake, String pipeline, String schema, String table) throws IOException {
        try (var files = Files.walk(tableDir(lake, pipeline, schema, table))) {
            return files.filter(f -> f.toString().endsWith(".parquet") && !f.getFileName().toString().startsWith("LOAD")).findFirst()
                    .orElseThrow();
        }
    }

    /** "name TYPE" per column, as DuckDB reads the file. */
    static List<String> schema(LakeReader reader, Path file) throws SQLException {
        return reader.query("select column_name, column_type from (describe select * from read_parquet('" + file + "'))").stream()
                .map(r -> r.get("column_name") + " " + r.get("column_type")).toList();
    }
}
