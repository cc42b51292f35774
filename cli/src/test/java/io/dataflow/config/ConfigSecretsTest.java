package io.dataflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No configuration error prints a secret: a value that came from a {@code ${env:}}/{@code ${file:}} reference, or that
 * stands under a secret-bearing key, is named by its key and kind, never shown — whatever shape the mistake has.
 */
class ConfigSecretsTest {
    static final String SECRET = "Tr0ub4dor&3-hunter2";
    final Map<String, String> env = Map.of("DB_PASSWORD", SECRET, "AWS_SECRET", SECRET, "LAKE", "gs://" + SECRET);

    String errorOf(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> new PipelineConfigReader(env::get).parse(yaml, Path.of(".")))
                .getMessage();
    }

    @Test
    void aWronglyShapedSourceDoesNotEchoItsPassword() {
        String msg = errorOf("""
                name: p
                source:
                  - {type: postgres, database: shop, password: '${env:DB_PASSWORD}'}
                targets: [{type: lake, uri: /tmp/lake}]
                """);
        assertThat(msg).startsWith("source: a list (not shown").contains("is not a mapping").doesNotContain(SECRET);
    }

    @Test
    void aPasswordWrittenInTheFileIsNotEchoedEither() {
        String msg = errorOf("""
                name: p
                source: [{type: postgres, database: shop, password: plain-text-password}]
                targets: [{type: lake, uri: /tmp/lake}]
                """);
        assertThat(msg).doesNotContain("plain-text-password").contains("source");
    }

    @Test
    void aMappingGivenForThePasswordIsNamedByItsKind() {
        String msg = errorOf("""
                name: p
                source: {type: postgres, database: shop, password: {hunter2: x}}
                targets: [{type: lake, uri: /tmp/lake}]
                """);
        assertThat(msg).startsWith("source.password: a mapping (not shown").contains("is not a text value").doesNotContain("hunter2");
    }

    @Test
    void theS3SecretUnderWronglyShapedTargetsIsNotEchoed() {
        String msg = errorOf("""
                name: p
                source: {type: postgres, database: shop}
                targets: {type: lake, uri: 's3://bucket/x', s3: {access-key-id: AKIA1, secret-access-key: '${env:AWS_SECRET}'}}
                """);
        assertThat(msg).startsWith("targets: a mapping (not shown").doesNotContain(SECRET);
    }

    @Test
    void aSecretReferenceUnderAnOrdinaryKeyIsNotEchoed() {
        String msg = errorOf("""
                name: p
                source: {type: postgres, database: shop, port: '${env:DB_PASSWORD}'}
                targets: [{type: lake, uri: /tmp/lake}]
                """);
        assertThat(msg).startsWith("source.port: a text (not shown").contains("is not an integer").doesNotContain(SECRET);
    }

    @Test
    void aReferenceNamedInAnotherKindOfMessageIsMasked() {
        String msg = errorOf("""
                name: p
                source: {type: postgres, database: shop}
                targets: [{type: lake, uri: '${env:LAKE}'}]
                """);
        assertThat(msg).startsWith("targets[0].uri:").contains("unsupported lake URI scheme").doesNotContain(SECRET);
    }

    @Test
    void aReferencedValueIsMaskedOnlyWhereAValueIsQuoted() {
        String msg = catchThrowableOfType(ConfigException.class, () -> new PipelineConfigReader(Map.of("U", "postgres")::get).parse("""
                name: p
                source: {type: db2, database: shop, user: '${env:U}'}
                targets: [{type: lake, uri: /tmp/lake}]
                """, Path.of("."))).getMessage();
        assertThat(msg).isEqualTo("source.type: 'db2' is not allowed; expected one of postgres, mariadb, mysql, oracle, sqlserver, mongodb");
    }

    @Test
    void brokenYamlDoesNotEchoTheLineItBrokeOn() {
        String msg = errorOf("""
                name: p
                source: {type: postgres, database: shop, password: plain-text-password}}
                targets: [{type: lake, uri: /tmp/lake}]
                """);
        assertThat(msg).startsWith("pipeline file is not valid YAML at line 2").doesNotContain("plain-text-password");
    }

    @Test
    void aSecretFromAFileIsNotEchoed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("pw"), SECRET + "\n");
        Path file = Files.writeString(dir.resolve("p.yaml"), """
                name: p
                source: {type: postgres, database: shop, user: '${file:pw}', port: 0}
                targets: [{type: lake, uri: /tmp/lake}]
                """);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new PipelineConfigReader(env::get).read(file));
        assertThat(e.getMessage()).startsWith("source.port: '0' is not a TCP port");
        String wrongUser = catchThrowableOfType(ConfigException.class, () -> new PipelineConfigReader(env::get).parse("""
                name: p
                source: {type: postgres, database: shop, host: {h: '${file:pw}'}}
                targets: [{type: lake, uri: /tmp/lake}]
                """, dir)).getMessage();
        assertThat(wrongUser).startsWith("source.host: a mapping (not shown").doesNotContain(SECRET);
    }
}
