package io.dataflow.lake;

import io.dataflow.api.Column;
import io.dataflow.api.LogicalType;
import io.dataflow.api.TableSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * The raw zone's Parquet schema of a table: {@code Op}, {@code _commit_ts}, the table's columns (all
 * optional: a delete carries only the key), {@code _position}, {@code _tx_id}. The type mapping is
 * documented in {@code config/type-mapping.md}.
 */
public final class ParquetSchemas {
    public static final String OP = "Op";
    public static final String COMMIT_TS = "_commit_ts";
    public static final String POSITION = "_position";
    public static final String TX_ID = "_tx_id";
    /** Comma-separated names of columns the source did not send (unchanged); their value is null, keep the previous one. */
    public static final String UNCHANGED = "_unchanged";
    static final List<String> RESERVED = List.of(OP, COMMIT_TS, POSITION, TX_ID, UNCHANGED);

    private ParquetSchemas() {}

    public static MessageType of(TableSchema table) {
        List<Type> fields = new ArrayList<>();
        fields.add(Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(OP));
        fields.add(Types.required(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS))
                .named(COMMIT_TS));
        for (Column c : table.columns()) {
            if (RESERVED.contains(c.name())) {
                throw new IllegalArgumentException("column " + table.id() + "." + c.name()
                        + " has the name of a raw-zone metadata column (" + String.join(", ", RESERVED)
                        + "); exclude the table or rename the column");
            }
            fields.add(field(c.name(), c.type(), Repetition.OPTIONAL));
        }
        fields.add(Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(POSITION));
        fields.add(Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(TX_ID));
        fields.add(Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(UNCHANGED));
        return new MessageType("dataflow_" + sanitize(table.id().table()), fields);
    }

    private static String sanitize(String s) {
        return s.replaceAll("[^A-Za-z0-9_]", "_");
    }

    static Type field(String name, LogicalType t, Repetition rep) {
        return switch (t.kind()) {
            case BOOLEAN -> Types.primitive(PrimitiveTypeName.BOOLEAN, rep).named(name);
            case INT16 -> Types.primitive(PrimitiveTypeName.INT32, rep).as(LogicalTypeAnnotation.intType(16, true)).named(name);
            case INT32 -> Types.primitive(PrimitiveTypeName.INT32, rep).named(name);
            case INT64 -> Types.primitive(PrimitiveTypeName.INT64, rep).named(name);
            case FLOAT32 -> Types.primitive(PrimitiveTypeName.FLOAT, rep).named(name);
            case FLOAT64 -> Types.primitive(PrimitiveTypeName.DOUBLE, rep).named(name);
            case DECIMAL -> decimal(name, t, rep);
            case STRING, ENUM, JSON, UUID, INTERVAL ->
                    Types.primitive(PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.stringType()).named(name);
            case BYTES -> Types.primitive(PrimitiveTypeName.BINARY, rep).named(name);
            case DATE -> Types.primitive(PrimitiveTypeName.INT32, rep).as(LogicalTypeAnnotation.dateType()).named(name);
            case TIME -> Types.primitive(PrimitiveTypeName.INT64, rep)
                    .as(LogicalTypeAnnotation.timeType(false, TimeUnit.MICROS)).named(name);
            case TIME_TZ -> Types.primitive(PrimitiveTypeName.INT64, rep)
                    .as(LogicalTypeAnnotation.timeType(true, TimeUnit.MICROS)).named(name);
            case TIMESTAMP -> Types.primitive(PrimitiveTypeName.INT64, rep)
                    .as(LogicalTypeAnnotation.timestampType(false, TimeUnit.MICROS)).named(name);
            case TIMESTAMP_TZ -> Types.primitive(PrimitiveTypeName.INT64, rep)
                    .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS)).named(name);
            case ARRAY -> Types.buildGroup(rep).as(LogicalTypeAnnotation.listType())
                    .addField(Types.repeatedGroup().addField(field("element", t.element(), Repetition.OPTIONAL)).named("list"))
                    .named(name);
        };
    }

    private static Type decimal(String name, LogicalType t, Repetition rep) {
        LogicalTypeAnnotation ann = LogicalTypeAnnotation.decimalType(t.scale(), t.precision());
        if (t.precision() <= 9) {
            return Types.primitive(PrimitiveTypeName.INT32, rep).as(ann).named(name);
        }
        if (t.precision() <= 18) {
            return Types.primitive(PrimitiveTypeName.INT64, rep).as(ann).named(name);
        }
        return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, rep).length(decimalBytes(t.precision())).as(ann).named(name);
    }

    /** The fewest bytes whose two's complement holds every value of {@code precision} digits. */
    static int decimalBytes(int precision) {
        return (int) Math.ceil((precision * Math.log(10) / Math.log(2) + 1) / 8);
    }
}
