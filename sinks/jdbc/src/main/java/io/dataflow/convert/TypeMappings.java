package io.dataflow.convert;

import io.dataflow.api.catalog.Engine;
import io.dataflow.api.catalog.SourceColumn;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Type mappings from one engine to another, kept as data: one {@code .map} file per direction under
 * {@code io/dataflow/convert/mappings/}, rendered into {@code config/type-conversion.md}. Each line is
 *
 * <pre>source type | when | target type | fidelity | why</pre>
 *
 * The first line whose source type and condition match a column wins; {@code *} as source type matches any type
 * (the fallback). Conditions, comma-separated, all must hold: {@code -} (always), {@code unsigned}, {@code signed},
 * {@code auto-increment}, {@code length=N}, {@code length<=N}, {@code length>N}, {@code length=max} (unbounded),
 * {@code precision<=N}, {@code precision>N}, {@code no-precision}, {@code scale=0}, {@code scale>0},
 * {@code fsp>N}. The target may use {@code {length}}, {@code {precision}}, {@code {scale}}, {@code {fsp}} (capped
 * at 6), {@code {type}} (the source's declared type).
 */
public final class TypeMappings {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(length|precision|scale|fsp|type)}");

    /** How faithful a mapping is. */
    public enum Fidelity {
        /** Every source value converts and round-trips. */
        EXACT,
        /** A wider target type; every value fits. */
        WIDENED,
        /** Some values or properties are lost or changed; the report says which. */
        LOSSY
    }

    /** One mapping rule, as read from a file. */
    public record Rule(String sourceType, String when, String target, Fidelity fidelity, String why, String file, int line) {
        public String origin() {
            return file + ":" + line;
        }
    }

    /** The result of mapping one column. */
    public record Mapping(String targetType, Fidelity fidelity, String why, String origin) {}

    private final Engine source;
    private final Engine target;
    private final List<Rule> rules;

    private TypeMappings(Engine source, Engine target, List<Rule> rules) {
        this.source = source;
        this.target = target;
        this.rules = List.copyOf(rules);
    }

    /** The mappings from {@code source} into {@code target}; MySQL uses MariaDB's files. */
    public static TypeMappings load(Engine source, Engine target) {
        String file = fileName(source, target);
        try (InputStream in = TypeMappings.class.getResourceAsStream("mappings/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no type mappings from " + source.id() + " to " + target.id()
                        + "; targets are postgres, mariadb and mysql");
            }
            return new TypeMappings(source, target, parse(file, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String fileName(Engine source, Engine target) {
        return source.mappingFamily().id() + "-" + target.mappingFamily().id() + ".map";
    }

    /** Every direction that has a mapping file, as (source, target). */
    public static List<Engine[]> directions() {
        List<Engine[]> out = new ArrayList<>();
        for (Engine s : List.of(Engine.MARIADB, Engine.POSTGRES, Engine.ORACLE, Engine.SQLSERVER)) {
            for (Engine t : List.of(Engine.POSTGRES, Engine.MARIADB)) {
                if (TypeMappings.class.getResource("mappings/" + fileName(s, t)) != null) {
                    out.add(new Engine[] {s, t});
                }
            }
        }
        return out;
    }

    /** Every direction's rules as Markdown, for {@code config/type-conversion.md}. */
    public static String reference() {
        StringBuilder md = new StringBuilder();
        for (Engine[] d : directions()) {
            TypeMappings m = load(d[0], d[1]);
            md.append("## ").append(d[0].id()).append(" -> ").append(d[1].id()).append(d[1] == Engine.MARIADB ? " / mysql" : "")
                    .append(" (`").append(fileName(d[0], d[1])).append("`)\n\n")
                    .append("| source type | when | target type | fidelity | why |\n|---|---|---|---|---|\n");
            for (Rule r : m.rules()) {
                md.append("| `").append(r.sourceType()).append("` | ").append(r.when().equals("-") ? "" : "`" + r.when() + "`").append(" | `")
                        .append(r.target()).append("` | ").append(r.fidelity().name().toLowerCase(Locale.ROOT)).append(" | ")
                        .append(r.why().replace("|", "\\|")).append(" |\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    static List<Rule> parse(String file, String text) {
        List<Rule> out = new ArrayList<>();
        int n = 0;
        try (BufferedReader r = new BufferedReader(new java.io.StringReader(text))) {
            for (String line; (line = r.readLine()) != null; ) {
                n++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] f = t.split("\\s*\\|\\s*", -1);
                if (f.length != 5) {
                    throw new IllegalStateException(file + ":" + n + ": expected 5 fields separated by |, got " + f.length);
                }
                for (String cond : f[1].split(",")) {
                    checkCondition(file + ":" + n, cond.strip());
                }
                out.add(new Rule(f[0].toLowerCase(Locale.ROOT), f[1], f[2], Fidelity.valueOf(f[3].toUpperCase(Locale.ROOT)), f[4], file, n));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public Engine source() {
        return source;
    }

    public Engine target() {
        return target;
    }

    public List<Rule> rules() {
        return rules;
    }

    /** Maps a column's type; every file ends with a {@code *} fallback, so this always answers. */
    public Mapping map(SourceColumn c) {
        String type = c.dataType().toLowerCase(Locale.ROOT);
        for (Rule r : rules) {
            if ((r.sourceType().equals(type) || r.sourceType().equals("*")) && holds(r.when(), c)) {
                return new Mapping(render(r.target(), c), r.fidelity(), r.why(), r.origin());
            }
        }
        throw new IllegalStateException(fileName(source, target) + " has no rule for " + c.columnType() + " and no * fallback");
    }

    /** The first rule for a source type, for documentation and tests. */
    public Optional<Rule> firstRule(String sourceType) {
        return rules.stream().filter(r -> r.sourceType().equals(sourceType)).findFirst();
    }

    private static String render(String template, SourceColumn c) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = switch (m.group(1)) {
                case "length" -> Long.toString(c.length());
                case "precision" -> Integer.toString(c.precision());
                case "scale" -> Integer.toString(Math.max(0, c.scale()));
                case "fsp" -> Integer.toString(Math.max(0, Math.min(6, c.fsp())));
                default -> c.columnType();
            };
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static final Pattern CONDITION = Pattern.compile(
            "-|unsigned|signed|auto-increment|length=max|no-precision|(length|precision|scale|fsp)(=|<=|>)(\\d+)");

    private static void checkCondition(String where, String cond) {
        if (!CONDITION.matcher(cond).matches()) {
            throw new IllegalStateException(where + ": unknown condition '" + cond + "'");
        }
    }

    private static boolean holds(String when, SourceColumn c) {
        for (String raw : when.split(",")) {
            String cond = raw.strip();
            boolean ok = switch (cond) {
                case "-" -> true;
                case "unsigned" -> c.unsigned();
                case "signed" -> !c.unsigned();
                case "auto-increment" -> c.autoIncrement();
                case "length=max" -> c.length() < 0;
                case "no-precision" -> c.precision() < 0;
                default -> {
                    Matcher m = CONDITION.matcher(cond);
                    if (!m.matches()) {
                        throw new IllegalStateException("unknown condition '" + cond + "'");
                    }
                    long actual = switch (m.group(1)) {
                        case "length" -> c.length();
                        case "precision" -> c.precision();
                        case "scale" -> c.scale();
                        default -> c.fsp();
                    };
                    long bound = Long.parseLong(m.group(3));
                    yield actual >= 0 && switch (m.group(2)) {
                        case "=" -> actual == bound;
                        case "<=" -> actual <= bound;
                        default -> actual > bound;
                    };
                }
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
