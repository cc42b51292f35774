package io.dataflow.convert;

import static io.dataflow.convert.TypeChange.Kind.NARROWING;
import static io.dataflow.convert.TypeChange.Kind.SAME;
import static io.dataflow.convert.TypeChange.Kind.WIDENING;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TypeChangeTest {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            varchar(20)       | varchar(40)         | WIDENING
            varchar(40)       | varchar(20)         | NARROWING
            VARCHAR(20)       | varchar(20)         | SAME
            varchar(20)       | text                | WIDENING
            text              | varchar(200)        | NARROWING
            varchar(20)       | longtext            | WIDENING
            char(5)           | varchar(5)          | WIDENING
            varchar(5)        | char(5)             | NARROWING
            int               | bigint              | WIDENING
            integer           | bigint              | WIDENING
            smallint          | integer             | WIDENING
            bigint            | int                 | NARROWING
            int(11)           | int                 | SAME
            int unsigned      | bigint              | WIDENING
            int unsigned      | int                 | NARROWING
            int               | int unsigned        | NARROWING
            decimal(10,2)     | decimal(12,2)       | WIDENING
            numeric(10,2)     | numeric(12,4)       | WIDENING
            decimal(10,2)     | decimal(10,4)       | NARROWING
            decimal(10,2)     | decimal(9,2)        | NARROWING
            numeric(10,2)     | numeric             | WIDENING
            real              | double precision    | WIDENING
            float             | double              | WIDENING
            double            | float               | NARROWING
            timestamp(3)      | timestamp(6)        | WIDENING
            timestamp(6)      | timestamp(3)        | NARROWING
            datetime          | datetime(3)         | WIDENING
            int               | varchar(20)         | NARROWING
            varchar(20)       | int                 | NARROWING
            varbinary(10)     | varbinary(20)       | WIDENING
            varbinary(10)     | longblob            | WIDENING
            jsonb             | jsonb               | SAME
            timestamp(3) without time zone | timestamp(3) | SAME
            timestamp with time zone | timestamptz(6)   | SAME
            character varying(20) | varchar(20)         | SAME
            int(11)           | int                 | SAME
            tinyint(1)        | tinyint(1)          | SAME
            longtext          | json                | SAME
            enum('a','b')     | enum                | SAME
            year(4)           | year                | SAME
            """)
    void classifies(String from, String to, TypeChange.Kind kind) {
        assertThat(TypeChange.classify(from, to)).isEqualTo(kind);
    }

    @org.junit.jupiter.api.Test
    void unknownSpellingsAreOnlySameWhenEqual() {
        assertThat(TypeChange.classify("geometry(Point,4326)", "geometry(Point,4326)")).isEqualTo(SAME);
        assertThat(TypeChange.classify("int[]", "bigint[]")).isEqualTo(NARROWING);
        assertThat(TypeChange.classify("mediumint", "int")).isEqualTo(WIDENING);
    }
}
