package io.dataflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.PipelineConfigReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dataflow iac}: renders what deploy/ needs from a pipeline file, so one file drives DataFlow and native
 * AWS DMS: the DMS table mappings (from tables.include/exclude) as a CloudFormation parameter override or a
 * Terraform variable, plus the pipeline name.
 */
@Command(name = "iac", mixinStandardHelpOptions = true,
        description = {"Renders the AWS DMS table mappings and deployment parameters for a pipeline file, for "
                + "deploy/cloudformation/dms-tasks.yaml (--format cloudformation) or Terraform (--format terraform)."})
final class IacCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format { CLOUDFORMATION, TERRAFORM, JSON }

    @Mixin
    PipelineFileOption pipelineFile;

    @Option(names = "--format", defaultValue = "cloudformation", paramLabel = "FORMAT",
            description = "cloudformation, terraform or json (default ${DEFAULT-VALUE})", converter = FormatConverter.class)
    Format format;

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return Format.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    @Override
    public Integer call() throws Exception {
        PipelineConfig pipeline = new PipelineConfigReader(k -> "${env:" + k + "}").read(pipelineFile.file);
        String mappings = new ObjectMapper().writeValueAsString(tableMappings(pipeline));
        var out = pipelineFile.out();
        switch (format) {
            case CLOUDFORMATION -> out.println("PipelineName=" + pipeline.name() + " SourceEngine=" + dmsEngine(pipeline)
                    + " SourcePort=" + pipeline.source().port() + " SourceDatabase=" + pipeline.source().database()
                    + " TableMappings='" + mappings.replace("'", "'\\''") + "'");
            case TERRAFORM -> out.println("pipeline_name  = \"" + pipeline.name() + "\"\ntable_mappings = " + new ObjectMapper()
                    .writeValueAsString(mappings));
            case JSON -> out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tableMappings(pipeline)));
        }
        out.flush();
        return 0;
    }

    static String dmsEngine(PipelineConfig p) {
        return switch (p.source().type()) {
            case POSTGRES -> "postgres";
            case MARIADB -> "mariadb";
            case MYSQL -> "mysql";
            case ORACLE -> "oracle";
            case SQLSERVER -> "sqlserver";
            case MONGODB -> "mongodb";
        };
    }

    /** DMS selection rules: include rules first, then exclude rules; '*' becomes '%' and '?' becomes '_'. */
    static Map<String, Object> tableMappings(PipelineConfig p) {
        List<Map<String, Object>> rules = new ArrayList<>();
        int id = 1;
        for (String rule : p.tables().include()) {
            rules.add(rule(id++, "include", rule));
        }
        for (String rule : p.tables().exclude()) {
            rules.add(rule(id++, "exclude", rule));
        }
        return Map.of("rules", rules);
    }

    private static Map<String, Object> rule(int id, String action, String rule) {
        int dot = rule.indexOf('.');
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("rule-type", "selection");
        r.put("rule-id", String.valueOf(id));
        r.put("rule-name", action + "-" + id);
        r.put("object-locator", Map.of("schema-name", like(rule.substring(0, dot)), "table-name", like(rule.substring(dot + 1))));
        r.put("rule-action", action);
        return r;
    }

    private static String like(String glob) {
        return glob.replace('*', '%').replace('?', '_');
    }
}
