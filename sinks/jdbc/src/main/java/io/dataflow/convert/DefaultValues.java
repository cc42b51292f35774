package io.dataflow.convert;

import io.dataflow.api.catalog.Engine;
import io.dataflow.api.catalog.SourceColumn;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates a column default between engines: literals, the current date/time, generated UUIDs. Anything else
 * is left out and reported, because an expression in one engine's dialect rarely means the same in another.
 */
final class DefaultValues {
    private static final Pattern QUOTED = Pattern.compile("'((?:[^']|'')*)'(?:::[\\w .\"\\[\\]()]+)?");
    private static final Pattern NUMBER = Pattern.compile("\\(?(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)\\)?(?:::[\\w .]+)?");
    private static final Pattern NOW = Pattern.compile("(?i)(current_timestamp|now|localtimestamp|statement_timestamp|transaction_timestamp)\\s*(\\(\\s*\\d?\\s*\\))?");
    private static final Pattern TODAY = Pattern.compile("(?i)\\(?(current_date|curdate\\(\\))\\)?");

    private DefaultValues() {}

    /** The outcome: a target expression, or none with the reason. */
    record Result(Optional<String> expression, String problem) {
        static Result of(String expr) {
            return new Result(Optional.of(expr), null);
        }

        static Result none(String problem) {
            return new Result(Optional.empty(), problem);
        }
    }

    static Result convert(Engine from, TargetDialect to, SourceColumn c, TargetTable.TargetColumn target) {
        String raw = c.defaultExpr();
        if (raw == null || raw.equalsIgnoreCase("null") || raw.regionMatches(true, 0, "NULL::", 0, 6)) {
            return Result.none(null);
        }
        String expr = raw.strip();
        if (from.mappingFamily() == to.engine().mappingFamily()) {
            return Result.of(expr);
        }
        String base = target.baseType();
        boolean bool = base.equals("boolean");
        boolean tinyBool = to.engine().mysqlFamily() && target.type().equals("tinyint(1)");
        Matcher q = QUOTED.matcher(expr);
        if (q.matches()) {
            String value = q.group(1).replace("''", "'");
            if (bool || tinyBool) {
                return booleanDefault(value, tinyBool);
            }
            if (value.startsWith("0000-00-00")) {
                return Result.none("zero-date default '" + value + "' has no target equivalent");
            }
            if (target.type().endsWith("[]")) {
                return Result.of(to.literal("{" + value + "}"));
            }
            return Result.of(to.literal(value));
        }
        Matcher n = NUMBER.matcher(expr);
        if (n.matches()) {
            return bool || tinyBool ? booleanDefault(n.group(1), tinyBool) : Result.of(n.group(1));
        }
        String lower = expr.toLowerCase(Locale.ROOT);
        if (lower.equals("true") || lower.equals("false")) {
            return booleanDefault(lower, tinyBool);
        }
        if (NOW.matcher(expr).matches()) {
            if (to.engine() == Engine.POSTGRES) {
                return Result.of("CURRENT_TIMESTAMP");
            }
            int fsp = Math.max(0, Math.min(6, c.fsp()));
            Matcher p = Pattern.compile("\\((\\d)\\)").matcher(target.type());
            fsp = p.find() ? Integer.parseInt(p.group(1)) : fsp;
            return Result.of(fsp > 0 ? "CURRENT_TIMESTAMP(" + fsp + ")" : "CURRENT_TIMESTAMP");
        }
        if (TODAY.matcher(expr).matches()) {
            return Result.of(to.engine() == Engine.POSTGRES ? "CURRENT_DATE" : "(CURRENT_DATE)");
        }
        if (lower.equals("uuid()") || lower.equals("gen_random_uuid()") || lower.equals("uuid_generate_v4()")) {
            return Result.of(to.engine() == Engine.POSTGRES ? "gen_random_uuid()" : "(uuid())");
        }
        if (lower.startsWith("nextval(")) {
            return Result.none(null); // a sequence default is an identity; the column becomes one
        }
        return Result.none("default " + expr + " is an expression of " + from.id() + "; set an equivalent default by hand");
    }

    private static Result booleanDefault(String value, boolean tinyBool) {
        String v = value.toLowerCase(Locale.ROOT);
        boolean truth = !(v.equals("0") || v.equals("false") || v.equals("f") || v.equals("b'0'") || v.equals("n") || v.equals("no"));
        return Result.of(tinyBool ? (truth ? "1" : "0") : (truth ? "true" : "false"));
    }
}
