package io.dataflow.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of broken pipeline files made from a valid one by a seeded generator (keys deleted, types swapped, huge and
 * negative numbers, unicode, nesting, YAML aliases, references to a secret): each is either read, or refused with a
 * {@link ConfigException} of one line that never holds the secret. Nothing else may come out: no other exception, no
 * stack trace. Another seed or more cases: {@code -DargLine="-Dfuzz.seed=7 -Dfuzz.cases=20000"}.
 */
class ConfigFuzzTest {
    static final String SECRET = "S3cr3t-Fuzz-Value";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final String VALID = """
            name: fuzz
            source: {type: postgres, host: db, port: 5432, database: shop, user: app, password: '${env:PW}', ssl-mode: require,
                     slot: s1, debezium: {poll.interval.ms: '10'}}
            tables: {include: [public.*, 'shop.orders'], exclude: [public.tmp_*]}
            mode: full-load-and-cdc
            full-load: {engine: parallel, threads: 4, chunk-rows: 100000}
            targets:
              - {type: lake, uri: 's3://bucket/lake', compression: zstd, flush: {interval: 2s, rows: 1000, bytes: 64MB},
                 s3: {region: eu-west-1, endpoint: 'http://127.0.0.1:9000', path-style: true, access-key-id: AKIA,
                      secret-access-key: '${env:PW}', sse: aws:kms, kms-key-id: k, tags: {team: data}, part-size: 8MB}}
              - {type: jdbc, url: 'jdbc:postgresql://h:5432/db', user: u, password: '${env:PW}', table-prep: keep}
            transform: [{change-type: {table: shop.orders, column: note, to: text}}]
            """;

    @Test
    void everyBrokenFileIsOneLineWithoutTheSecret() throws Exception {
        JsonNode valid = YAML.readTree(VALID);
        PipelineConfigReader reader = new PipelineConfigReader(Map.of("PW", SECRET)::get);
        reader.parse(VALID, Path.of("."));
        Random random = new Random(Long.getLong("fuzz.seed", 20261129));
        int refused = 0;
        for (int i = 0; i < Integer.getInteger("fuzz.cases", 3000); i++) {
            JsonNode doc = valid.deepCopy();
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                doc = mutate(doc, random);
            }
            String yaml = random.nextInt(20) == 0 ? withAlias(YAML.writeValueAsString(doc)) : YAML.writeValueAsString(doc);
            try {
                reader.parse(yaml, Path.of("."));
            } catch (ConfigException e) {
                refused++;
                assertThat(e.getMessage()).as("case %d:%n%s", i, yaml).doesNotContain(SECRET).doesNotContain("\n").isNotBlank();
            } catch (RuntimeException e) {
                throw new AssertionError("case " + i + " ended in " + e + " instead of a configuration error:\n" + yaml, e);
            }
        }
        assertThat(refused).as("most mutations break the file").isGreaterThan(1500);
    }

    /** One random change somewhere in the tree. */
    static JsonNode mutate(JsonNode root, Random r) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty()) {
            return wrap(root, r);
        }
        JsonNode target = containers.get(r.nextInt(containers.size()));
        if (target instanceof ObjectNode o && o.size() > 0) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            String name = names.get(r.nextInt(names.size()));
            switch (r.nextInt(4)) {
                case 0 -> o.remove(name);
                case 1 -> o.set(name, value(r, o.get(name)));
                case 2 -> o.set(name + (r.nextBoolean() ? "x" : "é"), value(r, null));
                default -> o.set(name, wrap(o.get(name), r));
            }
        } else if (target instanceof ArrayNode a && a.size() > 0) {
            int i = r.nextInt(a.size());
            if (r.nextBoolean()) {
                a.remove(i);
            } else {
                a.set(i, value(r, a.get(i)));
            }
        }
        return r.nextInt(50) == 0 ? value(r, root) : root;
    }

    static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                collect(it.next(), out);
            }
        }
    }

    /** A value of some other kind: numbers at the edges, text that looks like a number, unicode, secrets, nesting. */
    static JsonNode value(Random r, JsonNode old) {
        return switch (r.nextInt(14)) {
            case 0 -> F.numberNode(new BigInteger("99999999999999999999"));
            case 1 -> F.numberNode(-1);
            case 2 -> F.numberNode(Long.MAX_VALUE);
            case 3 -> F.textNode("8589934592GB");
            case 4 -> F.textNode("9999999999999999h");
            case 5 -> F.textNode("ünïcödé ☃ 表");
            case 6 -> F.textNode("${env:PW}");
            case 7 -> F.textNode("${env:PW");
            case 8 -> F.textNode("");
            case 9 -> F.booleanNode(r.nextBoolean());
            case 10 -> F.nullNode();
            case 11 -> F.numberNode(r.nextDouble() * 1e30);
            case 12 -> old == null ? F.objectNode() : wrap(old, r);
            default -> F.arrayNode().add(F.textNode("${env:PW}")).add(F.numberNode(0));
        };
    }

    static JsonNode wrap(JsonNode n, Random r) {
        return r.nextBoolean() ? F.arrayNode().add(n) : F.objectNode().set("password", n);
    }

    /** The same document with its first scalar value written through an alias. */
    static String withAlias(String yaml) {
        return yaml.replaceFirst("(?m)^name: (.*)$", "anchor: &a $1\nname: *a");
    }
}
