package io.dataflow.connect;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.ChangePositions;
import io.dataflow.api.Op;
import io.dataflow.api.SourcePositions;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.source.debezium.RecordConverter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Reads Debezium change events (the envelope: {@code op}, {@code before}, {@code after}, {@code source}) of one topic
 * partition into {@link ChangeEvent}s, as {@code dataflow run} reads the same records from its embedded engine: the
 * same table, types, values, unchanged TOAST columns, commit time, transaction id and {@code _position}. The position
 * comes from the record's {@code source} block alone (a sink does not see the connector's offsets):
 * <ul>
 *   <li>PostgreSQL: the commit LSN of the transaction before ({@code source.sequence[0]}) and the event's LSN, with a
 *       sequence for rows sharing both: the positions {@code dataflow run} gives;</li>
 *   <li>MySQL and MariaDB: the binlog file and the event's position in it, and the row's index in the event (the
 *       event's own position where {@code dataflow run} keeps the transaction's: same order, another spelling).</li>
 * </ul>
 * Snapshot rows ({@code op = r}) get a full-load position from the snapshot's log position and the record's Kafka
 * offset and partition; they are written as changes (the lake's numbered full-load files belong to {@code dataflow run}'s own load).
 * Tombstones, heartbeats, schema-change and transaction records give nothing.
 */
final class EnvelopeReader {
    private final Map<String, RecordConverter> converters = new HashMap<>();
    private final Map<TableId, TableSchema> lastSchemas = new HashMap<>();
    private final ChangePositions positions = new ChangePositions();

    /** The change the record carries, or null when it carries none. */
    ChangeEvent read(SinkRecord r) {
        if (!(r.value() instanceof Struct envelope) || envelope.schema().field("op") == null
                || envelope.schema().field("source") == null) {
            return null;
        }
        Struct source = envelope.getStruct("source");
        String connector = String.valueOf(field(source, "connector"));
        boolean binlog = connector.equals("mysql") || connector.equals("mariadb");
        if (!binlog && !connector.equals("postgresql")) {
            throw new DataException("topic " + r.topic() + ": change events of Debezium's " + connector + " connector are not "
                    + "supported by the DataFlow lake sink yet (postgresql, mysql and mariadb are)");
        }
        TableId table = new TableId(String.valueOf(field(source, binlog ? "db" : "schema")), source.getString("table"));
        long commitMicros = field(source, "ts_us") instanceof Long us ? us : source.getInt64("ts_ms") * 1000;
        String opCode = envelope.getString("op");
        if ("t".equals(opCode)) {
            TableSchema schema = lastSchemas.getOrDefault(table, new TableSchema(table, List.of(), List.of()));
            return new ChangeEvent(schema, Op.TRUNCATE, new Object[schema.columns().size()], position(source, binlog), commitMicros, "", false);
        }
        Op op = switch (opCode) {
            case "r" -> Op.READ;
            case "c" -> Op.INSERT;
            case "u" -> Op.UPDATE;
            case "d" -> Op.DELETE;
            default -> null; // messages ("m") are not row changes
        };
        if (op == null) {
            return null;
        }
        Struct row = op == Op.DELETE ? envelope.getStruct("before") : envelope.getStruct("after");
        if (row == null) {
            return null;
        }
        RecordConverter converter = converters.computeIfAbsent(connector, c -> new RecordConverter(binlog));
        TableSchema schema = converter.schema(table, row.schema(), r.keySchema());
        lastSchemas.put(table, schema);
        List<String> unchanged = new ArrayList<>(0);
        Object[] values = converter.values(schema, row, unchanged);
        Object tx = field(source, "txId");
        if (tx == null) {
            tx = field(source, "gtid");
        }
        // snapshot rows: the record's offset and partition tell rows apart (a topic of up to 1,024 partitions)
        String position = op == Op.READ
                ? SourcePositions.fullLoad(snapshotPosition(source, binlog), (r.kafkaOffset() + 1) << 10 | (r.kafkaPartition() & 1023))
                : position(source, binlog);
        return new ChangeEvent(schema, op, values, position, commitMicros, tx == null ? "" : tx.toString(), false, unchanged);
    }

    private String position(Struct source, boolean binlog) {
        if (binlog) {
            return SourcePositions.binlogChange(SourcePositions.binlogFileNumber(field(source, "file")), number(field(source, "pos")), 0,
                    number(field(source, "row")));
        }
        return positions.next(ChangePositions.sequenceCommitLsn(field(source, "sequence") instanceof String s ? s : null),
                number(field(source, "lsn")));
    }

    private static long snapshotPosition(Struct source, boolean binlog) {
        return binlog ? (SourcePositions.binlogFileNumber(field(source, "file")) << 40) | number(field(source, "pos")) : number(field(source, "lsn"));
    }

    private static long number(Object v) {
        return v instanceof Number n ? n.longValue() : 0;
    }

    private static Object field(Struct s, String name) {
        return s.schema().field(name) == null ? null : s.get(name);
    }
}
