package io.dataflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.PipelineConfigReader;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dataflow iac}: renders what deploy/ needs from a pipeline file, so one file drives DataFlow and native
 * AWS DMS: the DMS table mappings (from tables.include/exclude and the table rules) as a CloudFormation parameter override or a
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

    /**
     * The AWS DMS table mappings: selection rules (include, then exclude; '*' becomes '%' and '?' becomes '_'), then the
     * pipeline's table rules as transformation rules and source filters (see {@link io.dataflow.config.DmsTableMappingsWriter}).
     */
    static Map<String, Object> tableMappings(PipelineConfig p) {
        return io.dataflow.config.DmsTableMappingsWriter.render(p);
    }
}
