package io.dataflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Two targets in one place would write the same files: refused, however the place is spelled. */
class ConfigTargetsTest {
    static String errorOf(String targets) {
        return catchThrowableOfType(ConfigException.class, () -> new PipelineConfigReader(k -> null).parse("""
                name: p
                source: {type: postgres, database: shop}
                targets: %s
                """.formatted(targets), Path.of("/tmp"))).getMessage();
    }

    @Test
    void twoTargetsWithTheSameLocationAreRefused() {
        assertThat(errorOf("[{type: lake, uri: /tmp/lake}, {type: lake, uri: 'file:///tmp/lake/'}]"))
                .startsWith("targets[1].uri: 'file:///tmp/lake/' is where targets[0] writes too");
        assertThat(errorOf("[{type: lake, uri: 's3://bucket/p'}, {type: lake, uri: 's3://bucket/p/'}]"))
                .startsWith("targets[1].uri:");
        assertThat(new PipelineConfigReader(k -> null).parse("""
                name: p
                source: {type: postgres, database: shop}
                targets: [{type: lake, uri: /tmp/lake1}, {type: lake, uri: /tmp/lake2}]
                """, Path.of("/tmp")).targets()).hasSize(2);
    }
}
