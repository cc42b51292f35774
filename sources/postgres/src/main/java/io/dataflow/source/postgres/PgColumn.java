package io.dataflow.source.postgres;

/**
 * A column as PostgreSQL's catalog describes it.
 *
 * @param name        the column name
 * @param formatted   {@code format_type(atttypid, atttypmod)}, e.g. {@code numeric(20,5)}
 * @param typeName    {@code pg_type.typname}, e.g. {@code numeric}, {@code _int4} for arrays
 * @param typeKind    {@code pg_type.typtype}: b(ase), e(num), d(omain), ...
 * @param elementName for arrays, the element's {@code typname}; empty otherwise
 * @param elementKind for arrays, the element's {@code typtype}
 * @param typmod      {@code atttypmod} (-1 when none)
 * @param notNull     {@code attnotnull}
 * @param output      the type's output function ({@code typoutput}), which gives its text form
 */
public record PgColumn(String name, String formatted, String typeName, char typeKind, String elementName, char elementKind,
        int typmod, boolean notNull, String output) {

    /**
     * A column from a catalog query whose first nine columns are, in order: name, formatted type, type name, type kind,
     * element name, element kind, typmod, not-null and output function.
     */
    static PgColumn read(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new PgColumn(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4).charAt(0), rs.getString(5),
                rs.getString(6).charAt(0), rs.getInt(7), rs.getBoolean(8), rs.getString(9));
    }

    public boolean isArray() {
        return !elementName.isEmpty();
    }

    /** The select-list expression that reads this column in the form {@link PgTextValues} expects. */
    public String selectExpression() {
        String q = quotedName();
        return switch (typeName) {
            case "money" -> q + "::numeric";
            case "hstore" -> "hstore_to_json(" + q + ")::text";
            case "point" -> "case when " + q + " is null then null else (" + q + ")[0]::text || ' ' || (" + q + ")[1]::text end";
            default -> q;
        };
    }

    /**
     * The select-list expression giving the text {@link PgTextValues} expects, as a {@code text} value: the output
     * function, as COPY's text format uses it (a cast to text is not always the same: {@code inet::text} adds the
     * netmask, {@code bool::text} spells out true).
     */
    public String textExpression() {
        String expression = selectExpression();
        return expression.equals(quotedName()) ? output + "(" + expression + ")::text" : "(" + expression + ")::text";
    }

    private String quotedName() {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
