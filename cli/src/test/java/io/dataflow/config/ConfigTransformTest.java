package io.dataflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dataflow.api.LogicalType;
import io.dataflow.transform.Rule;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transform list and AWS DMS table mappings: every rule kind read, every mistake one line, secrets never printed. */
class ConfigTransformTest {
    static PipelineConfig read(String transform, Map<String, String> env) {
        return new PipelineConfigReader(env::get).parse("""
                name: p
                source: {type: postgres, database: shop}
                targets: [{type: lake, uri: /tmp/lake}]
                transform:%s
                """.formatted(transform.startsWith("-") ? "\n" + transform : " " + transform), Path.of("/tmp"));
    }

    static String errorOf(String transform) {
        return catchThrowableOfType(ConfigException.class, () -> read(transform, Map.of())).getMessage();
    }

    /** A rule without where it was written, to compare rules read from different files. */
    static String shape(Rule r) {
        return r.toString().replaceFirst("\\[origin=[^,]*, ", "[");
    }

    @Test
    void everyRuleKindIsRead() {
        List<Rule> rules = read("""
                - rename: {schema: shop, to: sales}
                - rename: {table: shop.orders, to: purchase_orders}
                - rename: {table: shop.orders, column: amt, to: amount}
                - lowercase: {table: "shop.*", column: "*"}
                - uppercase: {table: "shop.*"}
                - add-prefix: {table: "shop.*", value: raw_}
                - replace-suffix: {table: shop.orders, column: "*_old", value: _old, with: _legacy}
                - remove-column: {table: shop.customers, column: notes}
                - add-column: {table: shop.orders, column: total, expression: "price * qty", type: "decimal(12,2)"}
                - define-key: {table: shop.events, columns: [device, ts]}
                - filter: {table: shop.orders, where: "region = 'EU' and amount >= 0"}
                - mask: {table: "shop.*", column: email, with: hash, secret: "${env:MASK_KEY}"}
                """, Map.of("MASK_KEY", "k3y")).rules();
        assertThat(rules).hasSize(12);
        assertThat(rules.get(0)).isEqualTo(new Rule.Name("transform[0]", Rule.Level.SCHEMA, new Rule.Where("shop", "*", null),
                Rule.NameAction.RENAME, "sales", ""));
        assertThat(rules.get(2)).isEqualTo(new Rule.Name("transform[2]", Rule.Level.COLUMN, new Rule.Where("shop", "orders", "amt"),
                Rule.NameAction.RENAME, "amount", ""));
        assertThat(rules.get(6)).isEqualTo(new Rule.Name("transform[6]", Rule.Level.COLUMN, new Rule.Where("shop", "orders", "*_old"),
                Rule.NameAction.REPLACE_SUFFIX, "_old", "_legacy"));
        assertThat(rules.get(8)).isEqualTo(new Rule.AddColumn("transform[8]", new Rule.Where("shop", "orders", null), "total",
                "price * qty", LogicalType.decimal(12, 2)));
        assertThat(rules.get(9)).isEqualTo(new Rule.DefineKey("transform[9]", new Rule.Where("shop", "events", null), List.of("device", "ts")));
        assertThat(rules.get(11)).isEqualTo(new Rule.Mask("transform[11]", new Rule.Where("shop", "*", "email"), Rule.MaskMethod.HASH, "k3y"));
        assertThat(rules.get(11).toString()).doesNotContain("k3y");
    }

    @Test
    void mistakesAreOneLineWithTheirPlace() {
        assertThat(errorOf("[{renam: {table: a.b, to: c}}]")).isEqualTo("transform[0].renam: unknown rule; allowed: rename, lowercase, "
                + "uppercase, add-prefix, remove-prefix, replace-prefix, add-suffix, remove-suffix, replace-suffix, remove-column, add-column, "
                + "define-key, filter, mask, change-type");
        assertThat(errorOf("[{rename: {table: a.b}}]")).contains("transform[0].rename.to: missing required key");
        assertThat(errorOf("[{rename: {table: 'a.*', to: c}}]")).contains("a rename names one thing");
        assertThat(errorOf("[{lowercase: {}}]")).contains("name what it changes: schema, table, or table and column");
        assertThat(errorOf("[{filter: {table: a.b, where: x = 1, extra: 2}}]")).contains("transform[0].filter.extra: unknown key");
        assertThat(errorOf("[{mask: {table: a.b, column: c, with: scramble}}]")).contains("transform[0].mask.with")
                .contains("hash, digits-mask, digits-randomize, null");
        assertThat(errorOf("[{add-column: {table: a.b, column: c, expression: '1', type: money}}]"))
                .contains("transform[0].add-column.type: 'money' is not a type DataFlow knows");
        assertThat(errorOf("[{change-type: {table: a.b, column: c, to: text}}]")).contains("change-type applies to database targets");
        assertThat(errorOf("{rename: x}")).contains("transform: ").contains("is not a list");
    }

    @Test
    void aMaskSecretIsNeverPrinted() {
        String e = catchThrowableOfType(ConfigException.class, () -> read("[{mask: {table: a.b, column: c, with: hash, secret: {k: '${env:MASK_KEY}'}}}]",
                Map.of("MASK_KEY", "very-secret-key"))).getMessage();
        assertThat(e).contains("transform[0].mask.secret").doesNotContain("very-secret-key");
    }

    @Test
    void aDmsTableMappingIsReadIntoTheSameRulesAsTheirYaml(@TempDir Path dir) throws Exception {
        Path json = dmsFile();
        PipelineConfig dms = new PipelineConfigReader(k -> null).parse("""
                name: p
                source: {type: mariadb, database: dms_shop}
                tables: {dms-table-mappings: %s}
                targets: [{type: lake, uri: /tmp/lake}]
                """.formatted(json), dir);
        assertThat(dms.tables().include()).containsExactly("dms_shop.*", "dms_shop.orders");
        assertThat(dms.tables().exclude()).contains("dms_shop.audit*");
        PipelineConfig yaml = new PipelineConfigReader(k -> null).parse("""
                name: p
                source: {type: mariadb, database: dms_shop}
                tables: {include: [dms_shop.*], exclude: [dms_shop.audit*]}
                targets: [{type: lake, uri: /tmp/lake}]
                transform:
                  - filter: {table: dms_shop.orders, where: "(\\"region\\" = 'EU' OR \\"region\\" = 'UK') AND \\"amount\\" >= 0"}
                  - rename: {schema: dms_shop, to: sales}
                  - rename: {table: dms_shop.orders, to: purchase_orders}
                  - lowercase: {table: "dms_shop.*", column: "*"}
                  - add-prefix: {table: "dms_shop.*", value: src_}
                  - remove-column: {table: dms_shop.customers, column: internal_note}
                  - add-column: {table: dms_shop.customers, column: full_name, expression: "$first_name || ' ' || $last_name", type: string}
                  - add-column: {table: dms_shop.orders, column: last_op, expression: "$AR_H_OPERATION", type: string}
                  - define-key: {table: dms_shop.events, columns: [device, seq]}
                  - mask: {table: "dms_shop.*", column: email, with: hash}
                  - mask: {table: dms_shop.customers, column: phone, with: digits-mask}
                  - remove-suffix: {table: dms_shop.orders, column: "*_legacy", value: _legacy}
                """, dir);
        assertThat(dms.rules().stream().map(ConfigTransformTest::shape).toList())
                .isEqualTo(yaml.rules().stream().map(ConfigTransformTest::shape).toList());
        assertThat(dms.rules().get(0).origin()).isEqualTo("DMS rule 3 (eu-orders-only)");
    }

    @Test
    void rulesWrittenAsADmsMappingReadBackAsTheSameRules(@TempDir Path dir) throws Exception {
        PipelineConfig yaml = new PipelineConfigReader(k -> null).parse("""
                name: p
                source: {type: postgres, database: shop}
                tables: {include: [shop.*, crm.customers], exclude: [shop.tmp_*]}
                targets: [{type: jdbc, url: "jdbc:postgresql://127.0.0.1/x", user: u}]
                transform:
                  - rename: {schema: shop, to: sales}
                  - rename: {table: shop.orders, to: purchase_orders}
                  - rename: {table: shop.orders, column: amt, to: amount}
                  - lowercase: {table: "shop.*", column: "*"}
                  - uppercase: {table: "crm.*"}
                  - add-prefix: {table: "shop.*", value: raw_}
                  - replace-prefix: {table: "shop.*", column: "old_*", value: old_, with: legacy_}
                  - remove-suffix: {table: shop.orders, column: "*_tmp", value: _tmp}
                  - remove-column: {table: crm.customers, column: notes}
                  - add-column: {table: shop.orders, column: total, expression: "price * qty + coalesce(fee, 0)", type: "decimal(12,2)"}
                  - add-column: {table: shop.orders, column: op, expression: "operation()", type: string}
                  - add-column: {table: crm.customers, column: name, expression: "concat(first, ' ', last)"}
                  - define-key: {table: shop.events, columns: [device, ts]}
                  - filter: {table: shop.orders, where: "(region = 'EU' or region = 'UK') and amount >= 0 and created between '2024-01-01' and '2024-12-31' and note is not null"}
                  - mask: {table: "*.*", column: email, with: hash}
                  - mask: {table: crm.customers, column: phone, with: digits-randomize}
                  - change-type: {table: shop.orders, column: note, to: "varchar(200)"}
                """, dir);
        String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(DmsTableMappingsWriter.render(yaml));
        Path file = Files.writeString(dir.resolve("m.json"), json);
        DmsTableMappings.Read back = DmsTableMappings.read(file, "m.json");
        assertThat(back.tables().include()).containsExactly("shop.*", "crm.customers", "shop.orders"); // the filter's include
        assertThat(back.tables().exclude()).isEqualTo(yaml.tables().exclude());
        assertThat(back.changeTypes()).isEqualTo(yaml.transforms());
        assertThat(back.rules().stream().map(ConfigTransformTest::canonical).toList())
                .isEqualTo(yaml.rules().stream().map(ConfigTransformTest::canonical).toList());
        assertThat(json).contains("\"expression\":\"(($price * $qty) + coalesce($fee, 0))\"").contains("$AR_H_OPERATION");
    }

    /** A rule's shape with its expression in one spelling (a DMS mapping writes columns as $name). */
    static String canonical(Rule r) {
        if (r instanceof Rule.AddColumn a) {
            r = new Rule.AddColumn("", a.where(), a.name(), sql(a.expression()), a.type());
        } else if (r instanceof Rule.Filter f) {
            r = new Rule.Filter("", f.where(), sql(f.condition()));
        }
        return shape(r);
    }

    private static String sql(String expression) {
        return io.dataflow.transform.ExprSql.render(io.dataflow.transform.ExprParser.parseUnresolved(expression),
                io.dataflow.transform.ExprSql.Dialect.DMS).orElseThrow();
    }

    @Test
    void whatDmsCannotExpressIsNamed() {
        assertThat(catchThrowableOfType(ConfigException.class, () -> DmsTableMappingsWriter.render(read(
                "[{filter: {table: a.b, where: \"x = 1 or y = 2\"}}]", Map.of()))).getMessage())
                .startsWith("transform[0]: the filter cannot be written as AWS DMS source filters");
        assertThat(catchThrowableOfType(ConfigException.class, () -> DmsTableMappingsWriter.render(read(
                "[{mask: {table: a.b, column: c, with: hash, secret: s}}]", Map.of()))).getMessage())
                .contains("a keyed hash (secret) has no AWS DMS equivalent");
        assertThat(catchThrowableOfType(ConfigException.class, () -> DmsTableMappingsWriter.render(read(
                "[{add-column: {table: a.b, column: c, expression: \"pipeline_name()\"}}]", Map.of()))).getMessage())
                .contains("metadata AWS DMS has no header for");
    }

    static Path dmsFile() throws URISyntaxException {
        return Path.of(ConfigTransformTest.class.getResource("/dms/table-mappings.json").toURI());
    }

    @Test
    void whatADmsMappingCannotHonourStopsNamingTheRule(@TempDir Path dir) throws Exception {
        assertThat(dmsError(dir, """
                {"rules": [{"rule-type": "selection", "rule-id": "1", "rule-name": "all", "object-locator": {"schema-name": "s", "table-name": "%"}, "rule-action": "include"},
                 {"rule-type": "transformation", "rule-id": "2", "rule-name": "ts", "rule-target": "table-tablespace", "object-locator": {"schema-name": "s", "table-name": "%", "table-tablespace-name": "x"}, "rule-action": "rename", "value": "y"}]}"""))
                .isEqualTo("DMS rule 2 (ts): rule-target 'table-tablespace' is not supported (schema, table, column)");
        assertThat(dmsError(dir, """
                {"rules": [{"rule-type": "selection", "rule-id": "1", "object-locator": {"schema-name": "s", "table-name": "t"}, "rule-action": "include",
                  "filters": [{"filter-type": "source", "column-name": "c", "filter-conditions": [{"filter-operator": "like", "value": "x%"}]}]}]}"""))
                .startsWith("DMS rule 1: filter-operator 'like' is not supported");
        assertThat(dmsError(dir, """
                {"rules": [{"rule-type": "selection", "rule-id": "1", "object-locator": {"schema-name": "s", "table-name": "t"}, "rule-action": "include"},
                  {"rule-type": "transformation", "rule-id": "2", "rule-target": "column", "object-locator": {"schema-name": "s", "table-name": "t", "column-name": "c"},
                   "rule-action": "add-column", "value": "d", "expression": "$c * 2", "data-type": {"type": "geometry"}}]}"""))
                .startsWith("DMS rule 2: data-type: 'geometry' is not a type");
        assertThat(dmsError(dir, "{\"rules\": {}}")).contains("not an AWS DMS table mapping");
        assertThat(dmsError(dir, "{\"rules\": [{\"rule-type\": \"selection\", \"rule-id\": \"x\"}]}")).contains("rule-id must be a number");
    }

    private static String dmsError(Path dir, String json) throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, json);
        return catchThrowableOfType(ConfigException.class, () -> new PipelineConfigReader(k -> null).parse("""
                name: p
                source: {type: postgres, database: shop}
                tables: {dms-table-mappings: m.json}
                targets: [{type: lake, uri: /tmp/lake}]
                """, dir)).getMessage();
    }
}
