package io.dataflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** YAML that would silently change meaning is refused with one line naming the key. */
class ConfigYamlTest {
    static String errorOf(String yaml) {
        return catchThrowableOfType(ConfigException.class,
                () -> new PipelineConfigReader(Map.of("PW", "x")::get).parse(yaml, Path.of("."))).getMessage();
    }

    @Test
    void anAliasIsRefusedNotReadAsItsName() {
        assertThat(errorOf("""
                name: p
                x: &u shop
                source: {type: postgres, database: *u}
                targets: [{type: lake, uri: /tmp/lake}]
                """)).isEqualTo("source.database: '*u' is a YAML alias, which is not supported; write the value out (line 3)");
        assertThat(errorOf("""
                name: p
                source: {type: postgres, database: shop}
                targets:
                  - &lake {type: lake, uri: /tmp/lake}
                  - *lake
                """)).startsWith("targets[1]: '*lake' is a YAML alias");
    }

    @Test
    void aDuplicateKeyIsRefused() {
        assertThat(errorOf("""
                name: p
                source: {type: postgres, database: shop, database: other}
                targets: [{type: lake, uri: /tmp/lake}]
                """)).startsWith("pipeline file is not valid YAML at line 2").contains("Duplicate field 'database'");
    }

    @Test
    void anUnclosedReferenceIsRefused() {
        assertThat(errorOf("""
                name: p
                source: {type: postgres, database: shop, password: '${env:PW'}
                targets: [{type: lake, uri: /tmp/lake}]
                """)).isEqualTo("source.password: a '${env:' reference has no closing '}'; write ${env:NAME} or ${file:PATH}");
        assertThat(errorOf("""
                name: p
                source: {type: postgres, database: shop, password: '${env:PW}-${file:rest'}
                targets: [{type: lake, uri: /tmp/lake}]
                """)).startsWith("source.password: a '${file:' reference has no closing '}'");
    }
}
