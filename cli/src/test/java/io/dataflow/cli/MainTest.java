package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line without a database: help, usage errors and pipeline-file errors. */
class MainTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void everyCommandHasHelp() {
        Result top = run("--help");
        assertThat(top.code()).isZero();
        assertThat(top.out()).contains("run", "check", "demo", "config-reference");
        for (String cmd : new String[] {"run", "check", "demo", "config-reference", "iac", "cleanup", "rebuild", "validate"}) {
            Result r = run(cmd, "--help");
            assertThat(r.code()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).contains("Usage: dataflow " + cmd);
        }
        assertThat(run("run", "--help").out()).contains("--config", "Exit codes", "SIGTERM");
    }

    @Test
    void usageErrorsExitTwo() {
        Result r = run("run");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--config=FILE'", "dataflow run --help");
        assertThat(run("frobnicate").code()).isEqualTo(2);
    }

    @Test
    void aBadPipelineFileExitsTwoWithOneLineAndNoStackTrace() throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, """
                name: shop
                source: {type: postgres, database: shop, port: "54x"}
                targets: [{type: lake, uri: ./lake}]
                """);
        for (String cmd : new String[] {"run", "check"}) {
            Result r = run(cmd, "--config", file.toString());
            assertThat(r.code()).as(cmd).isEqualTo(2);
            assertThat(r.err()).as(cmd).isEqualTo("error: source.port: '54x' is not an integer" + System.lineSeparator());
        }
    }

    @Test
    void aMissingFileSaysSo() {
        Result r = run("run", "--config", dir.resolve("missing.yaml").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no such file");
    }

    @Test
    void iacRendersDmsTableMappingsFromTheRules() throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, """
                name: shop
                source: {type: mariadb, database: shop}
                tables: {include: [shop.*, 'crm.order_?'], exclude: [shop.tmp_*]}
                targets: [{type: lake, uri: ./lake}]
                """);
        Result json = run("iac", "--config", file.toString(), "--format", "json");
        assertThat(json.code()).isZero();
        assertThat(json.out()).contains("\"schema-name\" : \"shop\"", "\"table-name\" : \"%\"", "\"table-name\" : \"order__\"",
                "\"rule-action\" : \"exclude\"", "\"table-name\" : \"tmp_%\"");
        Result cfn = run("iac", "--config", file.toString());
        assertThat(cfn.out()).startsWith("PipelineName=shop SourceEngine=mariadb SourcePort=3306 SourceDatabase=shop TableMappings='{\"rules\":[");
        Result tf = run("iac", "--config", file.toString(), "--format", "terraform");
        assertThat(tf.out()).contains("pipeline_name  = \"shop\"", "table_mappings = \"{\\\"rules\\\"");
    }

    @Test
    void configReferencePrintsTheKeys() {
        assertThat(run("config-reference").out()).contains("### source", "| `publication` |");
    }
}
