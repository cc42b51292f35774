package io.dataflow.source.postgres;

import io.dataflow.api.Column;
import io.dataflow.api.LogicalType;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A published table as the native pgoutput reader sees it: the columns of its latest {@link PgOutputMessage.Relation}
 * message, typed from the catalog (the same {@link PgColumn} and {@link PgTypeMapping} as the COPY full load, so both
 * write the same file columns), its primary key, and the conversion of each column's text into the model's value.
 *
 * <p>Values arrive as the text of each type's output function, under the session settings the reader connects with
 * ({@link PgTextValues#SESSION} and {@code lc_monetary=C}); the three types the full load selects through an
 * expression ({@code money}, {@code hstore}, {@code point}) are converted here from their plain output.
 */
final class PgStreamTable {
    private static final String COLUMNS = """
            select x.n, format_type(x.typ, x.mod), t.typname, t.typtype, coalesce(e.typname, ''), coalesce(e.typtype, 'b'),
                   case when t0.typtype = 'd' then t0.typtypmod else x.mod end, coalesce(a.attnotnull, false),
                   t.typoutput::regproc::text, pg_get_expr(d.adbin, d.adrelid)
            from unnest(?::text[], ?::oid[], ?::int[]) with ordinality as x(n, typ, mod, ord)
            join pg_type t0 on t0.oid = x.typ
            join pg_type t on t.oid = case when t0.typtype = 'd' then t0.typbasetype else t0.oid end
            left join pg_type e on e.oid = t.typelem and t.typcategory = 'A'
            left join pg_attribute a on a.attrelid = ?::oid and a.attname = x.n and a.attnum > 0 and not a.attisdropped
            left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
            order by x.ord""";

    private final TableSchema schema;
    private final List<PgColumn> columns;
    private final LogicalType[] types;
    private final int[] keyIndexes;
    private final boolean keyless;

    private PgStreamTable(TableSchema schema, List<PgColumn> columns) {
        this.schema = schema;
        this.columns = columns;
        this.types = schema.columns().stream().map(Column::type).toArray(LogicalType[]::new);
        this.keyIndexes = schema.keyColumns().stream().mapToInt(schema::indexOf).toArray();
        this.keyless = keyIndexes.length == 0;
    }

    /** Reads the types of a relation message's columns, the table's primary key and its constant defaults. */
    static PgStreamTable describe(Connection c, PgOutputMessage.Relation r) throws SQLException {
        TableId id = new TableId(r.namespace(), r.name());
        int n = r.columns().size();
        Object[] names = new Object[n];
        Object[] oids = new Object[n];
        Object[] mods = new Object[n];
        for (int i = 0; i < n; i++) {
            PgOutputMessage.RelationColumn col = r.columns().get(i);
            names[i] = col.name();
            oids[i] = Integer.toUnsignedLong(col.typeOid());
            mods[i] = col.typmod();
        }
        List<PgColumn> cols = new ArrayList<>(n);
        List<Column> model = new ArrayList<>(n);
        try (PreparedStatement st = c.prepareStatement(COLUMNS)) {
            Array a1 = c.createArrayOf("text", names);
            Array a2 = c.createArrayOf("int8", oids);
            Array a3 = c.createArrayOf("int4", mods);
            st.setArray(1, a1);
            st.setArray(2, a2);
            st.setArray(3, a3);
            st.setLong(4, Integer.toUnsignedLong(r.oid()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    PgColumn col = PgColumn.read(rs);
                    LogicalType type = PgTypeMapping.logical(col);
                    cols.add(col);
                    model.add(new Column(col.name(), type, !col.notNull(), constantDefault(rs.getString(10), type)));
                }
            }
        }
        if (cols.size() != n) {
            throw new SQLException("table " + id + ": " + (n - cols.size()) + " of the " + n + " column types of its relation message are "
                    + "not in pg_type");
        }
        List<String> keys = PostgresCatalogReader.primaryKey(c, id);
        return new PgStreamTable(new TableSchema(id, model, keys), List.copyOf(cols));
    }

    TableSchema schema() {
        return schema;
    }

    TableId id() {
        return schema.id();
    }

    boolean keyless() {
        return keyless;
    }

    /** The tuple's values in the model's classes; unchanged (unsent TOAST) columns are null and named in {@code unchanged}. */
    Object[] values(PgOutputMessage.Tuple t, List<String> unchanged) {
        String[] text = t.values();
        Object[] out = new Object[types.length];
        int n = Math.min(text.length, out.length);
        for (int i = 0; i < n; i++) {
            if (t.unchanged()[i]) {
                unchanged.add(schema.columns().get(i).name());
            } else if (text[i] != null) {
                out[i] = convert(i, text[i]);
            }
        }
        return out;
    }

    /** Whether two rows have the same primary-key values (an UPDATE that moves a row to another key is a delete and an insert). */
    boolean sameKey(Object[] a, Object[] b) {
        for (int k : keyIndexes) {
            if (!java.util.Objects.deepEquals(a[k], b[k])) {
                return false;
            }
        }
        return true;
    }

    Object convert(int column, String text) {
        LogicalType type = types[column];
        PgColumn c = columns.get(column);
        try {
            if (c.isArray()) {
                return c.elementName().equals("money")
                        ? PgTextValues.array(LogicalType.of(LogicalType.Kind.STRING), text).stream().map(v -> v == null ? null : money((String) v)).toList()
                        : PgTextValues.convert(type, text);
            }
            return switch (c.typeName()) {
                case "money" -> money(text);
                case "hstore" -> hstoreJson(text);
                case "point" -> PgTextValues.pointWkb(text.substring(1, text.length() - 1).replace(',', ' '));
                default -> PgTextValues.convert(type, text);
            };
        } catch (RuntimeException e) {
            throw new IllegalStateException("table " + schema.id() + ", column " + schema.columns().get(column).name() + " ("
                    + c.formatted() + "): cannot read the value the stream sent (" + e.getMessage() + ")", e);
        }
    }

    /** {@code money} under {@code lc_monetary=C}: {@code $1,234.56} or {@code -$1,234.56}. */
    static BigDecimal money(String text) {
        StringBuilder digits = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch >= '0' && ch <= '9' || ch == '.' || ch == '-') {
                digits.append(ch);
            }
        }
        return new BigDecimal(digits.toString()).setScale(2);
    }

    /**
     * {@code hstore}'s output ({@code "a"=>"1", "b"=>NULL}) as the compact JSON text the Debezium reader writes
     * ({@code {"a":"1","b":null}}, {@code hstore.handling.mode=json}).
     */
    static String hstoreJson(String text) {
        StringBuilder json = new StringBuilder(text.length() + 8).append('{');
        int i = 0;
        int n = text.length();
        boolean first = true;
        while (i < n) {
            char ch = text.charAt(i);
            if (ch != '"') {
                i++;
                continue;
            }
            StringBuilder key = new StringBuilder();
            i = quoted(text, i, key);
            i = text.indexOf("=>", i) + 2;
            while (i < n && text.charAt(i) == ' ') {
                i++;
            }
            json.append(first ? "" : ",");
            first = false;
            jsonString(json, key);
            json.append(':');
            if (text.startsWith("NULL", i)) {
                json.append("null");
                i += 4;
            } else {
                StringBuilder value = new StringBuilder();
                i = quoted(text, i, value);
                jsonString(json, value);
            }
        }
        return json.append('}').toString();
    }

    /** Reads a double-quoted hstore string with backslash escapes starting at {@code i}; returns the index after it. */
    private static int quoted(String text, int i, StringBuilder out) {
        i++;
        while (i < text.length() && text.charAt(i) != '"') {
            if (text.charAt(i) == '\\' && i + 1 < text.length()) {
                i++;
            }
            out.append(text.charAt(i++));
        }
        return i + 1;
    }

    /** A JSON string, escaped as Jackson (the Debezium reader's JSON writer) escapes it. */
    private static void jsonString(StringBuilder json, CharSequence s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (ch < ' ') {
                        json.append(String.format(java.util.Locale.ROOT, "\\u%04X", (int) ch));
                    } else {
                        json.append(ch);
                    }
                }
            }
        }
        json.append('"');
    }

    private static final Pattern QUOTED_LITERAL = Pattern.compile("^'((?:[^']|'')*)'(::[\\w .\"\\[\\]()]+)?$");
    private static final Pattern NUMBER = Pattern.compile("^\\(?-?\\d+(\\.\\d+)?\\)?(::[\\w ]+)?$");

    /**
     * A column default that is a constant ({@code 5}, {@code 'x'::text}, {@code true}), in the model's value; null for
     * none and for expressions ({@code nextval(...)}, {@code now()}), whose value the stream does not know.
     */
    static Object constantDefault(String expression, LogicalType type) {
        if (expression == null) {
            return null;
        }
        try {
            Matcher q = QUOTED_LITERAL.matcher(expression);
            if (q.matches()) {
                return PgTextValues.convert(type, q.group(1).replace("''", "'"));
            }
            if (NUMBER.matcher(expression).matches()) {
                String number = expression.replaceAll("::.*$", "").replace("(", "").replace(")", "");
                return PgTextValues.convert(type, number);
            }
            if (expression.equals("true") || expression.equals("false")) {
                return PgTextValues.convert(type, expression.substring(0, 1));
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }
}
