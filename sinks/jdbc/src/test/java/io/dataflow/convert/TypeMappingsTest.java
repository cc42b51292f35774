package io.dataflow.convert;

import io.dataflow.api.catalog.Engine;
import io.dataflow.api.catalog.SourceColumn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TypeMappingsTest {

    /** A column the way a catalog reader would describe it: base type, sizes parsed, flags. */
    static SourceColumn col(String dataType, long length, int precision, int scale, int fsp, boolean unsigned) {
        return SourceColumn.of("c", dataType).withColumnType(dataType).withSize(length, precision, scale).withFsp(fsp).withUnsigned(unsigned);
    }

    static String map(Engine from, Engine to, SourceColumn c) {
        return TypeMappings.load(from, to).map(c).targetType();
    }

    @Test
    void everyFileParsesAndEndsWithAFallback() {
        assertThat(TypeMappings.directions()).hasSizeGreaterThanOrEqualTo(8);
        for (Engine[] d : TypeMappings.directions()) {
            TypeMappings m = TypeMappings.load(d[0], d[1]);
            assertThat(m.rules()).isNotEmpty();
            assertThat(m.rules().get(m.rules().size() - 1).sourceType()).as(d[0] + "->" + d[1]).isEqualTo("*");
            assertThat(m.map(SourceColumn.of("c", "no_such_type")).targetType()).isNotBlank();
        }
    }

    @Test
    void aBadRuleNamesItsFileAndLine() {
        assertThatThrownBy(() -> TypeMappings.parse("x.map", "# header\nint | bigger>3 | bigint | exact | why\n"))
                .hasMessageContaining("x.map:2").hasMessageContaining("bigger>3");
        assertThatThrownBy(() -> TypeMappings.parse("x.map", "int | - | bigint\n")).hasMessageContaining("x.map:1");
    }

    @ParameterizedTest(name = "mariadb {0} -> postgres {6}")
    @CsvSource(delimiter = ';', value = {
        "tinyint;1;-1;-1;-1;false;boolean",
        "tinyint;4;-1;-1;-1;false;smallint",
        "tinyint;3;-1;-1;-1;true;smallint",
        "smallint;5;-1;-1;-1;true;integer",
        "mediumint;8;-1;-1;-1;false;integer",
        "int;10;-1;-1;-1;true;bigint",
        "int;11;-1;-1;-1;false;integer",
        "bigint;20;-1;-1;-1;true;numeric(20,0)",
        "decimal;-1;65;30;-1;false;numeric(65,30)",
        "bit;1;-1;-1;-1;false;boolean",
        "varchar;255;-1;-1;-1;false;varchar(255)",
        "longtext;-1;-1;-1;-1;false;text",
        "blob;-1;-1;-1;-1;false;bytea",
        "set;-1;-1;-1;-1;false;text[]",
        "enum;-1;-1;-1;-1;false;text",
        "year;-1;-1;-1;-1;false;smallint",
        "datetime;-1;-1;-1;3;false;timestamp(3)",
        "timestamp;-1;-1;-1;6;false;timestamptz(6)",
        "time;-1;-1;-1;0;false;time(0)",
        "json;-1;-1;-1;-1;false;jsonb",
        "point;-1;-1;-1;-1;false;bytea",
        "uuid;-1;-1;-1;-1;false;uuid"})
    void mariadbToPostgres(String type, long length, int precision, int scale, int fsp, boolean unsigned, String expected) {
        assertThat(map(Engine.MARIADB, Engine.POSTGRES, col(type, length, precision, scale, fsp, unsigned))).isEqualTo(expected);
        assertThat(map(Engine.MYSQL, Engine.POSTGRES, col(type, length, precision, scale, fsp, unsigned))).isEqualTo(expected);
    }

    @Test
    void unsignedAutoIncrementBigintStaysAnIntegerForTheIdentity() {
        SourceColumn c = col("bigint", 20, -1, -1, -1, true).withAutoIncrement(true);
        TypeMappings.Mapping m = TypeMappings.load(Engine.MARIADB, Engine.POSTGRES).map(c);
        assertThat(m.targetType()).isEqualTo("bigint");
        assertThat(m.fidelity()).isEqualTo(TypeMappings.Fidelity.LOSSY);
    }

    @ParameterizedTest(name = "postgres {0} -> mariadb {5}")
    @CsvSource(delimiter = ';', value = {
        "boolean;-1;-1;-1;-1;tinyint(1)",
        "uuid;-1;-1;-1;-1;char(36)",
        "jsonb;-1;-1;-1;-1;json",
        "array;-1;-1;-1;-1;json",
        "timestamp with time zone;-1;-1;-1;6;datetime(6)",
        "timestamp without time zone;-1;-1;-1;3;datetime(3)",
        "numeric;-1;-1;-1;-1;decimal(65,30)",
        "numeric;-1;12;2;-1;decimal(12,2)",
        "numeric;-1;100;4;-1;decimal(65,4)",
        "character varying;-1;-1;-1;-1;longtext",
        "character varying;100;-1;-1;-1;varchar(100)",
        "character varying;20000;-1;-1;-1;longtext",
        "character;300;-1;-1;-1;varchar(300)",
        "text;-1;-1;-1;-1;longtext",
        "bytea;-1;-1;-1;-1;longblob",
        "interval;-1;-1;-1;6;varchar(64)",
        "money;-1;-1;-1;-1;decimal(19,2)",
        "int4range;-1;-1;-1;-1;longtext"})
    void postgresToMariadb(String type, long length, int precision, int scale, int fsp, String expected) {
        assertThat(map(Engine.POSTGRES, Engine.MARIADB, col(type, length, precision, scale, fsp, false))).isEqualTo(expected);
    }

    @Test
    void numericWithoutPrecisionIntoMariadbIsReportedLossy() {
        TypeMappings.Mapping m = TypeMappings.load(Engine.POSTGRES, Engine.MARIADB).map(col("numeric", -1, -1, -1, -1, false));
        assertThat(m.fidelity()).isEqualTo(TypeMappings.Fidelity.LOSSY);
        assertThat(m.why()).contains("unbounded");
    }

    @ParameterizedTest(name = "oracle {0}({2},{3}) -> postgres {5} / mysql {6}")
    @CsvSource(delimiter = ';', value = {
        "number;-1;-1;-1;-1;numeric;decimal(65,30)",
        "number;-1;4;0;-1;smallint;smallint",
        "number;-1;9;0;-1;integer;int",
        "number;-1;18;0;-1;bigint;bigint",
        "number;-1;38;0;-1;numeric(38,0);decimal(38,0)",
        "number;-1;10;2;-1;numeric(10,2);decimal(10,2)",
        "varchar2;4000;-1;-1;-1;varchar(4000);varchar(4000)",
        "nvarchar2;100;-1;-1;-1;varchar(100);varchar(100)",
        "clob;-1;-1;-1;-1;text;longtext",
        "date;-1;-1;-1;-1;timestamp(0);datetime(0)",
        "timestamp;-1;-1;-1;9;timestamp(6);datetime(6)",
        "timestamp with time zone;-1;-1;-1;6;timestamptz(6);datetime(6)",
        "raw;16;-1;-1;-1;bytea;varbinary(16)",
        "blob;-1;-1;-1;-1;bytea;longblob",
        "binary_double;-1;-1;-1;-1;double precision;double",
        "xmltype;-1;-1;-1;-1;xml;longtext"})
    void oracle(String type, long length, int precision, int scale, int fsp, String postgres, String mysql) {
        SourceColumn c = col(type, length, precision, scale, fsp, false);
        assertThat(map(Engine.ORACLE, Engine.POSTGRES, c)).isEqualTo(postgres);
        assertThat(map(Engine.ORACLE, Engine.MYSQL, c)).isEqualTo(mysql);
    }

    @ParameterizedTest(name = "sqlserver {0} -> postgres {5} / mysql {6}")
    @CsvSource(delimiter = ';', value = {
        "bit;-1;-1;-1;-1;boolean;tinyint(1)",
        "tinyint;-1;-1;-1;-1;smallint;tinyint unsigned",
        "datetime2;-1;-1;-1;7;timestamp(6);datetime(6)",
        "datetimeoffset;-1;-1;-1;7;timestamptz(6);datetime(6)",
        "datetime;-1;-1;-1;3;timestamp(3);datetime(3)",
        "uniqueidentifier;-1;-1;-1;-1;uuid;char(36)",
        "nvarchar;-1;-1;-1;-1;text;longtext",
        "nvarchar;200;-1;-1;-1;varchar(200);varchar(200)",
        "varbinary;-1;-1;-1;-1;bytea;longblob",
        "money;-1;-1;-1;-1;numeric(19,4);decimal(19,4)",
        "smallmoney;-1;-1;-1;-1;numeric(10,4);decimal(10,4)",
        "decimal;-1;18;4;-1;numeric(18,4);decimal(18,4)",
        "float;-1;53;-1;-1;double precision;double",
        "float;-1;24;-1;-1;real;float",
        "xml;-1;-1;-1;-1;xml;longtext",
        "timestamp;-1;-1;-1;-1;bytea;binary(8)"})
    void sqlServer(String type, long length, int precision, int scale, int fsp, String postgres, String mysql) {
        SourceColumn c = col(type, length, precision, scale, fsp, false);
        assertThat(map(Engine.SQLSERVER, Engine.POSTGRES, c)).isEqualTo(postgres);
        assertThat(map(Engine.SQLSERVER, Engine.MYSQL, c)).isEqualTo(mysql);
    }

    @Test
    void sameEngineKeepsTheDeclaredType() {
        assertThat(map(Engine.POSTGRES, Engine.POSTGRES, SourceColumn.of("c", "numeric").withColumnType("numeric(12,2)")))
                .isEqualTo("numeric(12,2)");
        assertThat(map(Engine.MARIADB, Engine.MYSQL, SourceColumn.of("c", "int").withColumnType("int(10) unsigned")))
                .isEqualTo("int(10) unsigned");
        assertThat(List.of(Engine.values())).contains(Engine.of("sqlserver"));
    }
}
