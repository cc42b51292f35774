package io.dataflow.lake;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.Column;
import io.dataflow.api.LogicalType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/** Writes {@link ChangeEvent}s as rows of {@link ParquetSchemas#of} straight to Parquet's record consumer. */
final class ChangeEventWriteSupport extends WriteSupport<ChangeEvent> {
    private final io.dataflow.api.TableSchema table;
    private final MessageType schema;
    private final Map<String, String> metadata;
    private RecordConsumer out;
    private String lastTxId;
    private Binary lastTxIdBinary;
    private static final Binary[] OP_CODES = java.util.Arrays.stream(io.dataflow.api.Op.values())
            .map(op -> Binary.fromConstantByteArray(op.code().getBytes(StandardCharsets.UTF_8))).toArray(Binary[]::new);

    ChangeEventWriteSupport(io.dataflow.api.TableSchema table, Map<String, String> metadata) {
        this.table = table;
        this.schema = ParquetSchemas.of(table);
        this.metadata = Map.copyOf(metadata);
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return new WriteContext(schema, metadata);
    }

    @Override
    public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
        return new WriteContext(schema, metadata);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.out = recordConsumer;
    }

    @Override
    public void write(ChangeEvent e) {
        out.startMessage();
        out.startField(ParquetSchemas.OP, 0);
        out.addBinary(OP_CODES[e.op().ordinal()]);
        out.endField(ParquetSchemas.OP, 0);
        out.startField(ParquetSchemas.COMMIT_TS, 1);
        out.addLong(e.commitTimeMicros());
        out.endField(ParquetSchemas.COMMIT_TS, 1);
        List<Column> cols = table.columns();
        Object[] row = e.row();
        int i = 2;
        for (int c = 0; c < cols.size(); c++, i++) {
            Object v = row[c];
            if (v != null) {
                String name = cols.get(c).name();
                out.startField(name, i);
                value(cols.get(c).type(), v);
                out.endField(name, i);
            }
        }
        out.startField(ParquetSchemas.POSITION, i);
        out.addBinary(utf8Binary(e.position()));
        out.endField(ParquetSchemas.POSITION, i);
        i++;
        if (!e.txId().isEmpty()) {
            if (!e.txId().equals(lastTxId)) { // the changes of one transaction arrive together: encode its id once
                lastTxId = e.txId();
                lastTxIdBinary = utf8Binary(lastTxId);
            }
            out.startField(ParquetSchemas.TX_ID, i);
            out.addBinary(lastTxIdBinary);
            out.endField(ParquetSchemas.TX_ID, i);
        }
        i++;
        if (!e.unchanged().isEmpty()) {
            out.startField(ParquetSchemas.UNCHANGED, i);
            out.addBinary(utf8Binary(String.join(",", e.unchanged())));
            out.endField(ParquetSchemas.UNCHANGED, i);
        }
        out.endMessage();
    }

    private void value(LogicalType t, Object v) {
        switch (t.kind()) {
            case BOOLEAN -> out.addBoolean((Boolean) v);
            case INT16 -> out.addInteger(((Number) v).intValue());
            case INT32 -> out.addInteger((Integer) v);
            case INT64, TIME, TIME_TZ, TIMESTAMP, TIMESTAMP_TZ -> out.addLong(((Number) v).longValue());
            case FLOAT32 -> out.addFloat((Float) v);
            case FLOAT64 -> out.addDouble((Double) v);
            case DATE -> out.addInteger((int) ((LocalDate) v).toEpochDay());
            case DECIMAL -> decimal(t, (BigDecimal) v);
            case STRING, ENUM, JSON, UUID, INTERVAL -> out.addBinary(utf8Binary(v.toString()));
            case BYTES -> out.addBinary(Binary.fromReusedByteArray((byte[]) v));
            case ARRAY -> {
                out.startGroup();
                List<?> list = (List<?>) v;
                if (!list.isEmpty()) {
                    out.startField("list", 0);
                    for (Object element : list) {
                        out.startGroup();
                        if (element != null) {
                            out.startField("element", 0);
                            value(t.element(), element);
                            out.endField("element", 0);
                        }
                        out.endGroup();
                    }
                    out.endField("list", 0);
                }
                out.endGroup();
            }
        }
    }

    private void decimal(LogicalType t, BigDecimal d) {
        BigInteger unscaled = ColumnValues.unscaled(t, d);
        if (t.precision() <= 9) {
            out.addInteger(unscaled.intValueExact());
        } else if (t.precision() <= 18) {
            out.addLong(unscaled.longValueExact());
        } else {
            out.addBinary(ColumnValues.fixed(t, unscaled));
        }
    }

    /** {@code Binary.fromString} encodes through a CharsetEncoder byte by byte; String.getBytes is much faster. */
    static Binary utf8Binary(String s) {
        return Binary.fromConstantByteArray(s.getBytes(StandardCharsets.UTF_8));
    }
}
