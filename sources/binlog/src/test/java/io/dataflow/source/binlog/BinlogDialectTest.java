package io.dataflow.source.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.SourcePositions;
import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.PipelineConfigReader;
import io.dataflow.source.binlog.BinlogDialect;
import io.dataflow.source.debezium.ConnectTypes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The MySQL-family wiring that cannot be run against a MySQL server here. */
class BinlogDialectTest {
    static PipelineConfig pipeline(String type, String tables) {
        return new PipelineConfigReader(k -> null).parse("""
                name: shop
                source: {type: %s, database: shop, ssl-mode: require}
                tables: %s
                targets: [{type: lake, uri: /tmp/lake}]
                """.formatted(type, tables), Path.of("."));
    }

    @Test
    void mysqlUsesTheMySqlConnectorAndItsSpellings() {
        PipelineConfig p = pipeline("mysql", "{include: [shop.*]}");
        assertThat(p.source().port()).isEqualTo(3306);
        assertThat(p.source().user()).isEqualTo("root");
        assertThat(p.source().jdbcUrl()).isEqualTo("jdbc:mysql://127.0.0.1:3306/shop?sslMode=REQUIRED&zeroDateTimeBehavior=CONVERT_TO_NULL");
        Properties props = new BinlogDialect(p.source().type()).properties(p, List.of(new TableId("shop", "orders")));
        assertThat(props).containsEntry("connector.class", "io.debezium.connector.mysql.MySqlConnector")
                .containsEntry("database.ssl.mode", "required")
                .containsEntry("bigint.unsigned.handling.mode", "precise")
                .containsEntry("schema.history.internal", "io.dataflow.source.debezium.ObjectStoreSchemaHistory")
                .containsEntry("schema.history.internal.dataflow.pipeline", "shop");
        assertThat(props.getProperty("database.server.id")).matches("\\d+");
        assertThat(new BinlogDialect(p.source().type()).metricsDomain()).isEqualTo("debezium.mysql");
    }

    @Test
    void mariadbUsesTheMariaDbConnectorAndItsSpellings() {
        PipelineConfig p = pipeline("mariadb", "{include: [shop.*]}");
        Properties props = new BinlogDialect(p.source().type()).properties(p, List.of(new TableId("shop", "orders")));
        assertThat(props).containsEntry("connector.class", "io.debezium.connector.mariadb.MariaDbConnector")
                .containsEntry("database.ssl.mode", "trust");
    }

    @Test
    void tableRulesBecomeOneRegexWithExclusionsAsLookahead() {
        PipelineConfig p = pipeline("mariadb", "{include: [shop.*, 'crm.Order Items'], exclude: [shop.tmp_*]}");
        String regex = new BinlogDialect(p.source().type()).properties(p, List.of()).getProperty("table.include.list");
        Pattern re = Pattern.compile(regex);
        assertThat(re.matcher("shop.orders").matches()).isTrue();
        assertThat(re.matcher("shop.tmp_x").matches()).isFalse();
        assertThat(re.matcher("crm.Order Items").matches()).isTrue();
        assertThat(re.matcher("crm.orders").matches()).isFalse();
        assertThat(re.matcher("shopx.orders").matches()).isFalse();
        assertThat(regex).doesNotContain(",");
    }

    @Test
    void sequencesAreLeftOutOfTheCaptureEvenWhereTheRulesMatchThem() {
        PipelineConfig p = pipeline("mariadb", "{include: [shop.*], exclude: [shop.tmp_*]}");
        String regex = new BinlogDialect(p.source().type(), List.of(new TableId("shop", "order_seq"), new TableId("other", "s")))
                .properties(p, List.of()).getProperty("table.include.list");
        Pattern re = Pattern.compile(regex);
        assertThat(re.matcher("shop.orders").matches()).isTrue();
        assertThat(re.matcher("shop.order_seq").matches()).isFalse();
        assertThat(re.matcher("shop.order_seq2").matches()).isTrue();
        assertThat(re.matcher("shop.tmp_x").matches()).isFalse();
    }

    @Test
    void binlogPositionsSortByFileThenTransactionThenEventThenRow() {
        List<String> inOrder = List.of(
                SourcePositions.fullLoad(Long.MAX_VALUE, 1),
                SourcePositions.binlogChange(3, 900, 0, 0),
                SourcePositions.binlogChange(3, 900, 0, 1),
                SourcePositions.binlogChange(3, 900, 1, 0),
                SourcePositions.binlogChange(3, 1200, 0, 0),
                SourcePositions.binlogChange(4, 4, 0, 0));
        List<String> sorted = new ArrayList<>(inOrder);
        sorted.sort(null);
        assertThat(sorted).containsExactlyElementsOf(inOrder);
    }

    @Test
    void mysqlTimeIsADurationText() {
        assertThat(ConnectTypes.durationText(-(838L * 3600 + 59 * 60 + 59) * 1_000_000L)).isEqualTo("-838:59:59");
        assertThat(ConnectTypes.durationText(25L * 3600 * 1_000_000L + 500_000)).isEqualTo("25:00:00.500000");
        assertThat(ConnectTypes.durationText(0)).isEqualTo("00:00:00");
        assertThat(Map.of()).isEmpty();
    }

    @Test
    void aDefinitionOrRowTheReaderCannotReadIsNotRetried() {
        BinlogDialect d = new BinlogDialect(io.dataflow.config.SourceConfig.Type.MARIADB);
        assertThat(d.isPermanent("DDL statement couldn't be parsed. Please open a GitHub issue with the statement 'CREATE TABLE `t` (`a` inet6)'"))
                .isTrue();
        assertThat(d.isPermanent("Error processing row in t_ver, internal schema size 2, but row size 4")).isTrue();
        assertThat(d.isPermanent("Connection refused")).isFalse();
    }
}
