package io.dataflow.jdbc;

import io.dataflow.runtime.ValueIssues;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.LogicalType;
import io.dataflow.api.LogicalType.Kind;
import io.dataflow.api.catalog.SourceColumn;
import io.dataflow.convert.TargetTable;
import io.dataflow.convert.TypeMappings;
import io.dataflow.api.catalog.Engine;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueRendererTest {
    final ValueIssues issues = new ValueIssues();
    final ValueRenderer pg = new ValueRenderer(Engine.POSTGRES, issues);
    final ValueRenderer maria = new ValueRenderer(Engine.MARIADB, issues);

    static TargetTable.TargetColumn column(String type, String sourceType) {
        return new TargetTable.TargetColumn("c", "c", type, true, null, false, List.of(), null,
                new TypeMappings.Mapping(type, TypeMappings.Fidelity.EXACT, "", ""), SourceColumn.of("c", sourceType));
    }

    @Test
    void postgresGetsItsOwnInputSyntax() {
        assertThat(pg.render(true, LogicalType.of(Kind.BOOLEAN), column("boolean", "tinyint"), "t.c")).isEqualTo("t");
        assertThat(pg.render(new byte[] {0, (byte) 0xff}, LogicalType.of(Kind.BYTES), column("bytea", "blob"), "t.c")).isEqualTo("\\x00ff");
        assertThat(pg.render(LocalDate.of(-43, 3, 15), LogicalType.of(Kind.DATE), column("date", "date"), "t.c")).isEqualTo("0044-03-15 BC");
        assertThat(pg.render(1_000_000L * 3600 * 24 + 1, LogicalType.of(Kind.TIMESTAMP_TZ), column("timestamptz", "timestamp"), "t.c"))
                .isEqualTo("1970-01-02 00:00:00.000001+00");
        assertThat(pg.render(-1L, LogicalType.of(Kind.TIMESTAMP), column("timestamp", "datetime"), "t.c")).isEqualTo("1969-12-31 23:59:59.999999");
        assertThat(pg.render("a,c", LogicalType.of(Kind.STRING), column("text[]", "set"), "t.c")).isEqualTo("{\"a\",\"c\"}");
        assertThat(pg.render("", LogicalType.of(Kind.STRING), column("text[]", "set"), "t.c")).isEqualTo("{}");
        assertThat(pg.render(Arrays.asList(1, null, 3), LogicalType.arrayOf(LogicalType.of(Kind.INT32)), column("integer[]", "array"), "t.c"))
                .isEqualTo("{\"1\",NULL,\"3\"}");
        assertThat(pg.render(Double.NaN, LogicalType.of(Kind.FLOAT64), column("double precision", "double"), "t.c")).isEqualTo("NaN");
        assertThat(pg.render(new BigDecimal("1E+3"), LogicalType.decimal(10, 0), column("numeric(10,0)", "decimal"), "t.c")).isEqualTo("1000");
        assertThat(issues.snapshot()).isEmpty();
    }

    @Test
    void valuesPostgresCannotHoldAreCounted() {
        assertThat(pg.render("-838:59:59", LogicalType.of(Kind.STRING), column("time(0)", "time"), "t.tm")).isNull();
        assertThat(pg.render("24:00:00", LogicalType.of(Kind.STRING), column("time(0)", "time"), "t.tm")).isEqualTo("24:00:00");
        assertThat(pg.render("12:00:00.5", LogicalType.of(Kind.STRING), column("time(1)", "time"), "t.tm")).isEqualTo("12:00:00.5");
        assertThat(pg.render("a\0b", LogicalType.of(Kind.STRING), column("text", "text"), "t.tx")).isEqualTo("ab");
        assertThat(issues.snapshot()).hasSize(2).containsKeys("t.tm: durations outside PostgreSQL's time of day (00:00..24:00) written as "
                + "NULL; change-type to interval keeps them");
    }

    @Test
    void mariadbGetsNumbersForBooleansJsonForArraysAndNullOutsideItsRanges() {
        assertThat(maria.render(false, LogicalType.of(Kind.BOOLEAN), column("tinyint(1)", "boolean"), "t.c")).isEqualTo("0");
        assertThat(maria.render(List.of("x\"y", "z"), LogicalType.arrayOf(LogicalType.of(Kind.STRING)), column("json", "array"), "t.c"))
                .isEqualTo("[\"x\\\"y\",\"z\"]");
        assertThat(maria.render(List.of(List.of(1, 2), List.of(3)), LogicalType.arrayOf(LogicalType.of(Kind.INT32)), column("json", "array"), "t.c"))
                .isEqualTo("[[1,2],[3]]");
        assertThat(maria.render(new byte[] {1}, LogicalType.of(Kind.BYTES), column("longblob", "bytea"), "t.c")).isEqualTo(new byte[] {1});
        assertThat(maria.render(LocalDate.of(999, 12, 31), LogicalType.of(Kind.DATE), column("date", "date"), "t.d")).isNull();
        assertThat(maria.render("NaN", LogicalType.of(Kind.STRING), column("decimal(65,30)", "numeric"), "t.n")).isNull();
        assertThat(maria.render(Double.POSITIVE_INFINITY, LogicalType.of(Kind.FLOAT64), column("double", "double precision"), "t.f")).isNull();
        assertThat(maria.render(1_600_000_000_000_000L, LogicalType.of(Kind.TIMESTAMP_TZ), column("datetime(6)", "timestamp with time zone"), "t.c"))
                .isEqualTo("2020-09-13 12:26:40.000000");
        assertThat(issues.snapshot()).hasSize(3);
    }
}
