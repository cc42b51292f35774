package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.config.PipelineConfigReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The documents in config/ stay true to the code. */
class DocsTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void pipelineReferenceIsGeneratedFromTheKeyDeclarations() throws Exception {
        String doc = Files.readString(ROOT.resolve("config/pipeline-reference.md"));
        assertThat(doc).as("config/pipeline-reference.md is stale: regenerate with 'java -jar cli/target/dataflow.jar "
                + "config-reference'").endsWith(PipelineConfigReader.reference());
    }

    @Test
    void typeConversionIsGeneratedFromTheMappingFiles() throws Exception {
        String doc = Files.readString(ROOT.resolve("config/type-conversion.md"));
        assertThat(doc).as("config/type-conversion.md is stale: regenerate with scripts/gen-docs.sh")
                .endsWith(io.dataflow.convert.TypeMappings.reference());
    }

    @Test
    void theExamplePipelineIsValid() {
        var migration = new PipelineConfigReader(k -> "secret").read(ROOT.resolve("config/example-migration.yaml"));
        assertThat(migration.targets().get(0).jdbc().engine()).isEqualTo("postgres");
        assertThat(migration.transforms()).hasSize(1);
        var config = new PipelineConfigReader(k -> "secret").read(ROOT.resolve("config/example-pipeline.yaml"));
        assertThat(config.name()).isEqualTo("shop");
        var maria = new PipelineConfigReader(k -> "secret").read(ROOT.resolve("config/example-mariadb.yaml"));
        assertThat(maria.source().type()).isEqualTo(io.dataflow.config.SourceConfig.Type.MARIADB);
        assertThat(maria.targets().get(0).isS3()).isTrue();
        var compose = new PipelineConfigReader(k -> "secret").read(ROOT.resolve("docker/pipeline.yaml"));
        assertThat(compose.targets().get(0).s3().endpoint()).isEqualTo("http://minio:9000");
    }
}
