package io.dataflow.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflow.api.Column;
import io.dataflow.api.LogicalType;
import io.dataflow.api.LogicalType.Kind;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExprTest {
    private static final List<Column> COLUMNS = List.of(
            new Column("id", LogicalType.of(Kind.INT32), false),
            new Column("region", LogicalType.of(Kind.STRING), true),
            new Column("amount", LogicalType.decimal(12, 2), true),
            new Column("Created At", LogicalType.of(Kind.TIMESTAMP), true),
            new Column("day", LogicalType.of(Kind.DATE), true),
            new Column("first", LogicalType.of(Kind.STRING), true),
            new Column("last", LogicalType.of(Kind.STRING), true),
            new Column("ratio", LogicalType.of(Kind.FLOAT64), true),
            new Column("active", LogicalType.of(Kind.BOOLEAN), true));

    private static Object eval(String text, Object... row) {
        return ExprParser.parse(text, COLUMNS).eval(input(row));
    }

    private static Expr.Input input(Object... row) {
        return new Expr.Input() {
            @Override
            public Object column(int index) {
                return index < row.length ? row[index] : null;
            }

            @Override
            public Object meta(Expr.Meta m) {
                return switch (m) {
                    case OPERATION -> "UPDATE";
                    case COMMIT_TIMESTAMP -> 1_700_000_000_000_000L;
                    case POSITION -> "0000000001";
                    default -> m.name().toLowerCase();
                };
            }
        };
    }

    @Test
    void comparesWithSqlNullRules() {
        assertThat(eval("region = 'EU' and amount >= 0", 1, "EU", new BigDecimal("5.00"))).isEqualTo(true);
        assertThat(eval("region = 'EU' and amount >= 0", 1, "EU", new BigDecimal("-1.00"))).isEqualTo(false);
        assertThat(eval("region = 'EU' and amount >= 0", 1, "EU", null)).isNull();
        assertThat(eval("region = 'EU' and amount >= 0", 1, "US", null)).isEqualTo(false); // FALSE AND NULL
        assertThat(eval("region = 'EU' or amount >= 0", 1, "EU", null)).isEqualTo(true); // TRUE OR NULL
        assertThat(eval("not region = 'EU'", 1, null)).isNull();
        assertThat(eval("region is null", 1, null)).isEqualTo(true);
        assertThat(eval("region is not null", 1, "x")).isEqualTo(true);
        assertThat(eval("region <> 'EU'", 1, "EU ")).isEqualTo(true); // a trailing space differs
    }

    @Test
    void inBetweenAndLike() {
        assertThat(eval("region in ('EU', 'UK')", 1, "UK")).isEqualTo(true);
        assertThat(eval("region not in ('EU', 'UK')", 1, "US")).isEqualTo(true);
        assertThat(eval("region in ('EU', null)", 1, "US")).isNull();
        assertThat(eval("id between 2 and 4", 3)).isEqualTo(true);
        assertThat(eval("id not between 2 and 4", 3)).isEqualTo(false);
        assertThat(eval("region like 'E_%'", 1, "EUR")).isEqualTo(true);
        assertThat(eval("region like 'e%'", 1, "EUR")).isEqualTo(false);
        assertThat(eval("region not like '%.%'", 1, "a.b")).isEqualTo(false);
    }

    @Test
    void stringsCompareWithDatesAndTimestampsAsSuch() {
        assertThat(eval("day >= '2024-01-31'", 1, null, null, null, LocalDate.of(2024, 2, 1))).isEqualTo(true);
        long micros = java.time.LocalDateTime.of(2024, 1, 1, 12, 0).toInstant(java.time.ZoneOffset.UTC).toEpochMilli() * 1000;
        assertThat(eval("\"Created At\" > '2024-01-01 11:59:59.999999'", 1, null, null, micros)).isEqualTo(true);
        assertThat(eval("\"Created At\" < '2024-01-01'", 1, null, null, micros)).isEqualTo(false);
        assertThatThrownBy(() -> eval("day = 'soon'")).hasMessageContaining("'soon' is not a date for column day");
    }

    @Test
    void arithmeticConcatAndFunctions() {
        assertThat(eval("id * 2 + 1", 20)).isEqualTo(41L);
        assertThat(eval("id / 3", 10)).isEqualTo(3L); // integers divide as integers
        assertThat(eval("amount * 2", 1, null, new BigDecimal("1.25"))).isEqualTo(new BigDecimal("2.50"));
        assertThat(eval("ratio + 1", 1, null, null, null, null, null, null, 0.5)).isEqualTo(1.5);
        assertThat(eval("id / 0", 1)).isNull();
        assertThat(eval("first || ' ' || last", 1, null, null, null, null, "Ada", "Lovelace")).isEqualTo("Ada Lovelace");
        assertThat(eval("first || ' ' || last", 1, null, null, null, null, "Ada", null)).isNull();
        assertThat(eval("concat(first, ' ', last)", 1, null, null, null, null, "Ada", null)).isEqualTo("Ada ");
        assertThat(eval("coalesce(region, first, 'none')", 1)).isEqualTo("none");
        assertThat(eval("nullif(region, '')", 1, "")).isNull();
        assertThat(eval("substr(first, 2, 2)", 1, null, null, null, null, "Ada")).isEqualTo("da");
        assertThat(eval("substring(first, 2)", 1, null, null, null, null, "Ada")).isEqualTo("da");
        assertThat(eval("upper(first) || lower(last)", 1, null, null, null, null, "ada", "LOVE")).isEqualTo("ADAlove");
        assertThat(eval("length(first)", 1, null, null, null, null, "Zoë")).isEqualTo(3L);
        assertThat(eval("trim(first)", 1, null, null, null, null, "  x ")).isEqualTo("x");
        assertThat(eval("replace(first, 'a', 'o')", 1, null, null, null, null, "banana")).isEqualTo("bonono");
        assertThat(eval("abs(-id)", 5)).isEqualTo(5L);
        assertThat(eval("round(amount, 1)", 1, null, new BigDecimal("2.45"))).isEqualTo(new BigDecimal("2.5"));
        assertThat(eval("-amount", 1, null, new BigDecimal("2.45"))).isEqualTo(new BigDecimal("-2.45"));
    }

    @Test
    void caseAndMetadata() {
        String c = "case when amount >= 100 then 'big' when amount >= 10 then 'medium' else 'small' end";
        assertThat(eval(c, 1, null, new BigDecimal("150"))).isEqualTo("big");
        assertThat(eval(c, 1, null, new BigDecimal("15"))).isEqualTo("medium");
        assertThat(eval(c, 1, null, null)).isEqualTo("small"); // NULL >= 100 is not true
        assertThat(eval("operation()")).isEqualTo("UPDATE");
        assertThat(eval("$AR_H_OPERATION || ':' || $region", 1, "EU")).isEqualTo("UPDATE:EU");
        assertThat(eval("commit_timestamp()")).isEqualTo(1_700_000_000_000_000L);
        assertThat(eval("pipeline_name() || '/' || source_database()")).isEqualTo("pipeline/source_database");
        assertThat(ExprParser.parse("commit_timestamp()", COLUMNS).type().kind()).isEqualTo(Kind.TIMESTAMP_TZ);
    }

    @Test
    void columnsResolveExactlyThenIgnoringCaseAndQuotes() {
        assertThat(eval("REGION = 'EU'", 1, "EU")).isEqualTo(true);
        assertThat(eval("`Created At` is null", 1)).isEqualTo(true);
        assertThat(eval("'it''s' = first", 1, null, null, null, null, "it's")).isEqualTo(true);
    }

    @Test
    void typesOfExpressions() {
        assertThat(ExprParser.parse("first || last", COLUMNS).type().kind()).isEqualTo(Kind.STRING);
        assertThat(ExprParser.parse("id + 1", COLUMNS).type().kind()).isEqualTo(Kind.INT64);
        assertThat(ExprParser.parse("amount * 2", COLUMNS).type().kind()).isEqualTo(Kind.DECIMAL);
        assertThat(ExprParser.parse("ratio * 2", COLUMNS).type().kind()).isEqualTo(Kind.FLOAT64);
        assertThat(ExprParser.parse("id > 1", COLUMNS).type().kind()).isEqualTo(Kind.BOOLEAN);
    }

    @Test
    void mistakesNameWhatIsWrong() {
        assertThatThrownBy(() -> ExprParser.parse("regoin = 'EU'", COLUMNS)).hasMessageContaining("no column regoin (columns: id, region");
        assertThatThrownBy(() -> ExprParser.parse("region = ", COLUMNS)).hasMessageContaining("ends too early");
        assertThatThrownBy(() -> ExprParser.parse("region = 'EU", COLUMNS)).hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> ExprParser.parse("frob(region)", COLUMNS)).hasMessageContaining("unknown function frob()");
        assertThatThrownBy(() -> ExprParser.parse("substr(region)", COLUMNS)).hasMessageContaining("takes 2 to 3 arguments, not 1");
        assertThatThrownBy(() -> ExprParser.parse("$AR_H_USER", COLUMNS)).hasMessageContaining("$AR_H_USER is not supported");
        assertThatThrownBy(() -> ExprParser.parse("id = 1 id", COLUMNS)).hasMessageContaining("unexpected 'id'");
        assertThatThrownBy(() -> eval("first + 1", 1, null, null, null, null, "x")).hasMessageContaining("'+' needs numbers, got a string");
    }

    @Test
    void rendersForEachDatabase() {
        Expr e = ExprParser.parse("region = 'EU' and first || last like 'A%' and id / 2 >= 1 and length(first) > 0", COLUMNS);
        assertThat(ExprSql.render(e, ExprSql.Dialect.POSTGRES)).contains(
                "((((\"region\" = 'EU') AND ((\"first\" || \"last\") LIKE 'A%')) AND ((\"id\" / 2) >= 1)) AND (LENGTH(\"first\") > 0))");
        assertThat(ExprSql.render(e, ExprSql.Dialect.MYSQL)).contains(
                "((((`region` = 'EU') AND (CONCAT(`first`, `last`) LIKE 'A%')) AND ((`id` DIV 2) >= 1)) AND (CHAR_LENGTH(`first`) > 0))");
        assertThat(ExprSql.render(ExprParser.parse("day >= '2024-01-31' and region = 'it''s\\\\'", COLUMNS), ExprSql.Dialect.MYSQL))
                .contains("((`day` >= '2024-01-31') AND (`region` = 'it''s\\\\\\\\'))");
        assertThat(ExprSql.render(ExprParser.parse("operation() = 'INSERT'", COLUMNS), ExprSql.Dialect.POSTGRES)).isEmpty();
    }
}
