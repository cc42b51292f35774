package io.dataflow.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.PipelineConfigReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Debezium's snapshot told to read PostgreSQL as the parallel loader does. */
class PostgresDialectTest {
    private static final TableId PAYMENT = new TableId("public", "Payment \"2024\"");

    private static PipelineConfig pipeline() {
        return new PipelineConfigReader(k -> null).parse("""
                name: shop
                source: {type: postgres, database: shop}
                tables: {include: [public.*]}
                targets: [{type: lake, uri: /tmp/lake}]
                """, Path.of("."));
    }

    @Test
    void generatedColumnsAreLeftOutAndInheritanceParentsReadOnly() {
        Properties p = new PostgresDialect(Map.of(PAYMENT, List.of("doubled")), Map.of(PAYMENT, List.of("id", "amount")))
                .properties(pipeline(), List.of(PAYMENT));
        Pattern excluded = Pattern.compile(p.getProperty("column.exclude.list"));
        assertThat(excluded.matcher("public.Payment \"2024\".doubled").matches()).isTrue();
        assertThat(excluded.matcher("public.Payment \"2024\".amount").matches()).isFalse();
        assertThat(p.getProperty("snapshot.select.statement.overrides")).isEqualTo("public.Payment \"2024\"");
        assertThat(p.getProperty("snapshot.select.statement.overrides.public.Payment \"2024\""))
                .isEqualTo("SELECT \"id\", \"amount\" FROM ONLY " + PAYMENT.quoted());
    }

    @Test
    void plainTablesGetNoOverrides() {
        Properties p = new PostgresDialect().properties(pipeline(), List.of(PAYMENT));
        assertThat(p).doesNotContainKeys("column.exclude.list", "snapshot.select.statement.overrides");
    }
}
