package io.dataflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigReaderTest {
    static final String VALID = """
            name: shop
            source:
              type: postgres
              host: db.internal
              port: 5433
              database: shop
              user: repl
              password: ${env:SHOP_PASSWORD}
            tables:
              include: [public.*, sales.orders]
              exclude: [public.tmp_*]
            mode: full-load-and-cdc
            targets:
              - type: lake
                uri: file:///data/lake
                flush: {interval: 250ms, rows: 5000, bytes: 16MB}
            """;

    private static PipelineConfig parse(String yaml) {
        return new PipelineConfigReader(Map.of("SHOP_PASSWORD", "s3cret")::get).parse(yaml, Path.of("."));
    }

    private static String errorOf(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("no error for:\n" + yaml);
    }

    @Test
    void readsEveryKey() {
        PipelineConfig c = parse(VALID);
        assertThat(c.name()).isEqualTo("shop");
        assertThat(c.source().host()).isEqualTo("db.internal");
        assertThat(c.source().port()).isEqualTo(5433);
        assertThat(c.source().password()).isEqualTo("s3cret");
        assertThat(c.source().slot()).isEqualTo("dataflow_shop");
        assertThat(c.source().publication()).isEqualTo("dataflow_shop");
        assertThat(c.tables().include()).containsExactly("public.*", "sales.orders");
        assertThat(c.mode()).isEqualTo(PipelineConfig.Mode.FULL_LOAD_AND_CDC);
        TargetConfig t = c.targets().get(0);
        assertThat(t.uri()).isEqualTo("file:///data/lake");
        assertThat(t.flush()).isEqualTo(new TargetConfig.Flush(Duration.ofMillis(250), 5000, 16L << 20));
        assertThat(t.compression()).isEqualTo(TargetConfig.Compression.ZSTD);
    }

    @Test
    void appliesDefaults() {
        PipelineConfig c = parse("""
                name: min
                source: {type: postgres, database: d}
                targets: [{type: lake, uri: ./lake}]
                """);
        assertThat(c.source().host()).isEqualTo("127.0.0.1");
        assertThat(c.source().port()).isEqualTo(5432);
        assertThat(c.source().user()).isEqualTo("postgres");
        assertThat(c.mode()).isEqualTo(PipelineConfig.Mode.FULL_LOAD_AND_CDC);
        assertThat(c.tables().include()).containsExactly("*.*");
        assertThat(c.targets().get(0).flush()).isEqualTo(TargetConfig.Flush.DEFAULT);
    }

    @Test
    void aMariaDbSourceSelectsItsOwnDatabaseByDefault() {
        PipelineConfig all = parse("""
                name: shop
                source: {type: mariadb, database: shop}
                targets: [{type: lake, uri: ./lake}]
                """);
        assertThat(all.tables().include()).containsExactly("shop.*");
        assertThat(all.tables().matches(new io.dataflow.api.TableId("shop", "orders"))).isTrue();
        assertThat(all.tables().matches(new io.dataflow.api.TableId("other_app", "users"))).isFalse();
        PipelineConfig excluding = parse("""
                name: shop
                source: {type: mysql, database: shop}
                tables: {exclude: [shop.audit]}
                targets: [{type: lake, uri: ./lake}]
                """);
        assertThat(excluding.tables().include()).containsExactly("shop.*");
        // the signal table carries reload requests, it is never replicated
        assertThat(excluding.tables().exclude()).containsExactly("shop.audit", "shop.dataflow_signal");
        assertThat(excluding.tables().matches(new io.dataflow.api.TableId("shop", "dataflow_signal"))).isFalse();
        PipelineConfig noSignals = parse("""
                name: shop
                source: {type: postgres, database: shop, signal-table: none}
                targets: [{type: lake, uri: ./lake}]
                """);
        assertThat(noSignals.tables().exclude()).isEmpty();
        assertThat(noSignals.source().signalTable()).isEmpty();
        assertThat(parse("""
                name: shop
                source: {type: postgres, database: shop, signal-table: ops.signals}
                targets: [{type: lake, uri: ./lake}]
                """).tables().exclude()).containsExactly("ops.signals");
    }

    @Test
    void unknownKeyIsNamedWithWhatIsAllowed() {
        String msg = errorOf(VALID.replace("  port: 5433", "  prot: 5433"));
        assertThat(msg).startsWith("source.prot: unknown key").contains("host", "port", "database");
    }

    @Test
    void unknownNestedKeyNamesItsFullPath() {
        assertThat(errorOf(VALID.replace("rows: 5000", "rowz: 5000"))).startsWith("targets[0].flush.rowz: unknown key");
    }

    @Test
    void wrongTypesNameKeyValueAndExpectation() {
        assertThat(errorOf(VALID.replace("port: 5433", "port: fifty"))).isEqualTo("source.port: 'fifty' is not an integer");
        assertThat(errorOf(VALID.replace("port: 5433", "port: 70000"))).contains("source.port", "70000", "1..65535");
        assertThat(errorOf(VALID.replace("interval: 250ms", "interval: soon")))
                .isEqualTo("targets[0].flush.interval: 'soon' is not a positive duration; expected e.g. 500ms, 2s, 1m, 1h");
        assertThat(errorOf(VALID.replace("bytes: 16MB", "bytes: 16 parsecs"))).contains("targets[0].flush.bytes", "16 parsecs");
        assertThat(errorOf(VALID.replace("mode: full-load-and-cdc", "mode: streaming")))
                .isEqualTo("mode: 'streaming' is not allowed; expected one of full-load, cdc, full-load-and-cdc");
        assertThat(errorOf(VALID.replace("type: postgres", "type: db2"))).contains("source.type", "'db2'", "postgres");
    }

    @Test
    void missingRequiredKeysAreNamed() {
        assertThat(errorOf(VALID.replace("  database: shop\n", ""))).startsWith("source.database: missing required key");
        assertThat(errorOf("source: {type: postgres, database: d}\ntargets: [{type: lake, uri: x}]")).startsWith("name: missing required key");
        assertThat(errorOf("name: a\nsource: {type: postgres, database: d}\ntargets: []")).startsWith("targets:");
    }

    @Test
    void rejectsBadNamesRulesAndUris() {
        assertThat(errorOf(VALID.replace("name: shop", "name: my shop"))).startsWith("name: 'my shop' is not allowed");
        assertThat(errorOf(VALID.replace("sales.orders", "orders"))).startsWith("tables.include[1]: 'orders' does not name schema.table");
        assertThat(errorOf(VALID.replace("file:///data/lake", "hdfs://nn/lake"))).startsWith("targets[0].uri: unsupported lake URI scheme");
    }

    @Test
    void missingEnvironmentVariableIsNamed() {
        String msg = errorOf(VALID.replace("SHOP_PASSWORD", "NOT_SET_ANYWHERE"));
        assertThat(msg).isEqualTo("source.password: '${env:NOT_SET_ANYWHERE}' names environment variable NOT_SET_ANYWHERE, "
                + "which is not set; export it or change the value");
    }

    @Test
    void fileReferencesAreReadRelativeToThePipelineFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("pw.txt"), "from-file\n");
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, VALID.replace("${env:SHOP_PASSWORD}", "${file:pw.txt}"));
        assertThat(new PipelineConfigReader(k -> null).read(file).source().password()).isEqualTo("from-file");
    }

    @Test
    void invalidYamlAndMissingFileGiveOneLine(@TempDir Path dir) {
        assertThat(errorOf("name: [unclosed")).startsWith("pipeline file is not valid YAML at line");
        assertThatThrownBy(() -> new PipelineConfigReader().read(dir.resolve("nope.yaml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no such file");
    }

    @Test
    void referenceListsEveryDeclaredKey() {
        String md = PipelineConfigReader.reference();
        assertThat(md).contains("| `interval` | duration | 500ms |", "| `slot` |", "| `include` |", "| `mode` |");
    }

    static final String MIGRATION = """
            name: shop
            source: {type: mariadb, database: shop}
            targets:
              - type: jdbc
                url: jdbc:postgresql://pg:5432/shop
                user: dataflow
                password: ${env:SHOP_PASSWORD}
                table-prep: truncate
                identifier-case: lower
            transform:
              - change-type: {table: shop.orders, column: duration, to: interval}
              - change-type: {table: shop.orders, column: price, to: "numeric(12, 2)"}
            """;

    @Test
    void jdbcTargetsAndTransforms() {
        PipelineConfig c = parse(MIGRATION);
        JdbcTarget t = c.targets().get(0).jdbc();
        assertThat(t.engine()).isEqualTo("postgres");
        assertThat(t.password()).isEqualTo("s3cret");
        assertThat(t.tablePrep()).isEqualTo(JdbcTarget.TablePrep.TRUNCATE);
        assertThat(t.identifierCase()).isEqualTo("lower");
        assertThat(t.enumMode()).isEqualTo("check");
        assertThat(t.schema()).isEmpty();
        assertThat(c.hasJdbcTarget()).isTrue();
        assertThat(c.transforms()).containsExactly(
                new ChangeType(io.dataflow.api.TableId.parse("shop.orders"), "duration", "interval"),
                new ChangeType(io.dataflow.api.TableId.parse("shop.orders"), "price", "numeric(12, 2)"));
    }

    @Test
    void jdbcTargetMistakesNameTheKey() {
        assertThat(errorOf(MIGRATION.replace("jdbc:postgresql://pg:5432/shop", "postgres://pg/shop")))
                .contains("targets[0].url: 'postgres://pg/shop' is not a supported JDBC URL");
        assertThat(errorOf(MIGRATION.replace("table-prep: truncate", "table-prep: replace")))
                .contains("targets[0].table-prep").contains("replace");
        assertThat(errorOf(MIGRATION.replace("identifier-case: lower", "uri: ./lake")))
                .contains("targets[0].uri: unknown key; allowed here: type, url, user");
        assertThat(errorOf(MIGRATION.replace("to: interval", "to: \"drop table x;\"")))
                .contains("transform[0].change-type.to: 'drop table x;' does not look like a SQL type");
        assertThat(errorOf(MIGRATION.replace("table: shop.orders, column: duration", "table: orders, column: duration")))
                .contains("transform[0].change-type.table: 'orders' is not schema.table");
        String lakeOnly = VALID + "transform:\n  - change-type: {table: public.t, column: c, to: text}\n";
        assertThat(errorOf(lakeOnly)).contains("transform: change-type applies to database targets");
    }
}
