package io.dataflow.lake;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.Column;
import io.dataflow.api.LogicalType;
import io.dataflow.api.ObjectStore;
import io.dataflow.api.Op;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.lake.processed.StoreInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads the raw zone back as change events, in position order: what the processed zone replays after a crash (the
 * changes after its last commit) and what {@code rebuild} folds into a table from the beginning, optionally only up to
 * a point in time. The table's schema comes from each file's own Parquet schema and metadata, so files written before a
 * schema change are read with the columns they have.
 */
public final class RawZoneReader {
    private final ObjectStore store;
    private final RawZoneLayout layout;

    public RawZoneReader(ObjectStore store, String pipeline) {
        this.store = store;
        this.layout = new RawZoneLayout(pipeline);
    }

    /** What to do with each event read. */
    public interface EventConsumer {
        void accept(ChangeEvent e) throws IOException;
    }

    /** The raw-zone files of one table, full-load files first, then change files in position order. */
    public record TableFiles(TableId table, String dir, List<String> loadFiles, List<String> changeFiles) {}

    /** Every table folder of the pipeline's raw zone with its files. */
    public List<TableFiles> tables() throws IOException {
        return tables(layout.root());
    }

    /** The files of one table, listed under its folder only; empty when the raw zone holds none. */
    public java.util.Optional<TableFiles> table(io.dataflow.api.TableId id) throws IOException {
        return tables(layout.tableDir(id)).stream().filter(f -> f.table().equals(id)).findFirst();
    }

    private List<TableFiles> tables(String prefix) throws IOException {
        Map<String, List<String>> loads = new TreeMap<>();
        Map<String, TreeMap<String, String>> changes = new TreeMap<>();
        for (ObjectStore.ObjectInfo o : store.list(prefix)) {
            String key = o.key();
            if (!key.endsWith(RawZoneLayout.SUFFIX)) {
                continue;
            }
            if (RawZoneLayout.isLoadFile(key)) {
                String dir = key.substring(0, key.lastIndexOf('/') + 1);
                loads.computeIfAbsent(dir, d -> new ArrayList<>()).add(key);
                changes.computeIfAbsent(dir, d -> new TreeMap<>());
            } else {
                String[] parts = key.split("/");
                if (parts.length < 7) {
                    continue;
                }
                String dir = String.join("/", Arrays.copyOf(parts, parts.length - 4)) + "/";
                changes.computeIfAbsent(dir, d -> new TreeMap<>()).put(RawZoneLayout.positionOf(key).orElseThrow(), key);
                loads.computeIfAbsent(dir, d -> new ArrayList<>());
            }
        }
        List<TableFiles> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : loads.entrySet()) {
            List<String> l = new ArrayList<>(e.getValue());
            l.sort(null);
            out.add(new TableFiles(layout.tableOf(e.getKey()), e.getKey(), l, new ArrayList<>(changes.get(e.getKey()).values())));
        }
        return out;
    }

    /**
     * Reads the change files of a table that can hold events after {@code after} (all when empty), calling
     * {@code consumer} for each event with a position above {@code after} and at most {@code upTo} (no limit when empty).
     */
    public void replayChanges(TableFiles table, String after, String upTo, EventConsumer consumer) throws IOException {
        List<String> files = table.changeFiles();
        int start = 0;
        for (int i = 0; i < files.size(); i++) {
            String first = RawZoneLayout.positionOf(files.get(i)).orElseThrow();
            if (!after.isEmpty() && first.compareTo(after) <= 0) {
                start = i;
            }
            if (!upTo.isEmpty() && first.compareTo(upTo) > 0) {
                files = files.subList(0, i);
                break;
            }
        }
        for (String f : files.subList(Math.min(start, files.size()), files.size())) {
            read(f, e -> {
                if ((after.isEmpty() || e.position().compareTo(after) > 0) && (upTo.isEmpty() || e.position().compareTo(upTo) <= 0)) {
                    consumer.accept(e);
                }
            });
        }
    }

    /** Reads every event of one raw-zone file. */
    public void read(String key, EventConsumer consumer) throws IOException {
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
        try (ParquetFileReader reader = ParquetFileReader.open(new StoreInputFile(store, key), options)) {
            MessageType file = reader.getFooter().getFileMetaData().getSchema();
            Map<String, String> meta = reader.getFooter().getFileMetaData().getKeyValueMetaData();
            TableSchema schema = schema(file, meta);
            int op = file.getFieldIndex(ParquetSchemas.OP);
            int commit = file.getFieldIndex(ParquetSchemas.COMMIT_TS);
            int pos = file.getFieldIndex(ParquetSchemas.POSITION);
            int tx = file.containsField(ParquetSchemas.TX_ID) ? file.getFieldIndex(ParquetSchemas.TX_ID) : -1;
            int unchanged = file.containsField(ParquetSchemas.UNCHANGED) ? file.getFieldIndex(ParquetSchemas.UNCHANGED) : -1;
            int[] columns = new int[schema.columns().size()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = file.getFieldIndex(schema.columns().get(i).name());
            }
            boolean load = RawZoneLayout.isLoadFile(key);
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory().getColumnIO(file).getRecordReader(pages, new GroupRecordConverter(file));
                for (long r = 0; r < pages.getRowCount(); r++) {
                    Group g = records.read();
                    Object[] row = new Object[columns.length];
                    for (int i = 0; i < columns.length; i++) {
                        row[i] = g.getFieldRepetitionCount(columns[i]) == 0 ? null
                                : value(g, columns[i], schema.columns().get(i).type(), file.getType(columns[i]));
                    }
                    String code = g.getString(op, 0);
                    Op o = code.equals("D") ? Op.DELETE : code.equals("U") ? Op.UPDATE : code.equals("T") ? Op.TRUNCATE : load ? Op.READ : Op.INSERT;
                    List<String> missing = unchanged < 0 || g.getFieldRepetitionCount(unchanged) == 0 ? List.of()
                            : List.of(g.getString(unchanged, 0).split(","));
                    consumer.accept(new ChangeEvent(schema, o, row, g.getString(pos, 0), g.getLong(commit, 0),
                            tx < 0 || g.getFieldRepetitionCount(tx) == 0 ? "" : g.getString(tx, 0), load, missing));
                }
            }
        }
    }

    /** The table schema a raw-zone file was written with. */
    static TableSchema schema(MessageType file, Map<String, String> meta) {
        TableId id = TableId.parse(meta.getOrDefault("dataflow.table", "unknown.unknown"));
        String keys = meta.getOrDefault("dataflow.primary_key", "");
        List<Column> cols = new ArrayList<>();
        for (Type t : file.getFields()) {
            if (ParquetSchemas.RESERVED.contains(t.getName())) {
                continue;
            }
            cols.add(new Column(t.getName(), logical(t), true));
        }
        return ColumnDefaults.decode(new TableSchema(id, cols, keys.isEmpty() ? List.of() : List.of(keys.split(","))),
                meta.get(ColumnDefaults.KEY));
    }

    private static LogicalType logical(Type t) {
        if (!t.isPrimitive()) {
            GroupType list = t.asGroupType().getType(0).asGroupType();
            return LogicalType.arrayOf(logical(list.getType(0)));
        }
        PrimitiveType p = t.asPrimitiveType();
        LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
        if (a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
            return LogicalType.decimal(d.getPrecision(), d.getScale());
        }
        if (a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && i.getBitWidth() == 16) {
            return LogicalType.of(LogicalType.Kind.INT16);
        }
        if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
            return LogicalType.of(LogicalType.Kind.DATE);
        }
        if (a instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation tt) {
            return LogicalType.of(tt.isAdjustedToUTC() ? LogicalType.Kind.TIME_TZ : LogicalType.Kind.TIME);
        }
        if (a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
            return LogicalType.of(ts.isAdjustedToUTC() ? LogicalType.Kind.TIMESTAMP_TZ : LogicalType.Kind.TIMESTAMP);
        }
        if (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
            return LogicalType.of(LogicalType.Kind.STRING);
        }
        return LogicalType.of(switch (p.getPrimitiveTypeName()) {
            case BOOLEAN -> LogicalType.Kind.BOOLEAN;
            case INT32 -> LogicalType.Kind.INT32;
            case INT64 -> LogicalType.Kind.INT64;
            case FLOAT -> LogicalType.Kind.FLOAT32;
            case DOUBLE -> LogicalType.Kind.FLOAT64;
            default -> LogicalType.Kind.BYTES;
        });
    }

    private static Object value(Group g, int field, LogicalType t, Type parquet) {
        return switch (t.kind()) {
            case BOOLEAN -> g.getBoolean(field, 0);
            case INT16 -> (short) g.getInteger(field, 0);
            case INT32 -> g.getInteger(field, 0);
            case INT64, TIME, TIME_TZ, TIMESTAMP, TIMESTAMP_TZ -> g.getLong(field, 0);
            case FLOAT32 -> g.getFloat(field, 0);
            case FLOAT64 -> g.getDouble(field, 0);
            case DATE -> LocalDate.ofEpochDay(g.getInteger(field, 0));
            case DECIMAL -> switch (parquet.asPrimitiveType().getPrimitiveTypeName()) {
                case INT32 -> BigDecimal.valueOf(g.getInteger(field, 0), t.scale());
                case INT64 -> BigDecimal.valueOf(g.getLong(field, 0), t.scale());
                default -> new BigDecimal(new BigInteger(g.getBinary(field, 0).getBytes()), t.scale());
            };
            case BYTES -> g.getBinary(field, 0).getBytes();
            case ARRAY -> {
                Group list = g.getGroup(field, 0);
                Type elementType = parquet.asGroupType().getType(0).asGroupType().getType(0);
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < list.getFieldRepetitionCount(0); i++) {
                    Group element = list.getGroup(0, i);
                    out.add(element.getFieldRepetitionCount(0) == 0 ? null : value(element, 0, t.element(), elementType));
                }
                yield out;
            }
            default -> g.getString(field, 0);
        };
    }

    /** Parquet's file access over one object of the store, with ranged reads. */
    private static final class StoreInputFile implements org.apache.parquet.io.InputFile {
        private final ObjectStore store;
        private final String key;
        private final long length;

        StoreInputFile(ObjectStore store, String key) throws IOException {
            this.store = store;
            this.key = key;
            this.length = store.length(key);
        }

        @Override
        public long getLength() {
            return length;
        }

        @Override
        public org.apache.parquet.io.SeekableInputStream newStream() {
            StoreInputStream in = new StoreInputStream(store, key, length);
            return new org.apache.parquet.io.DelegatingSeekableInputStream(in) {
                @Override
                public long getPos() {
                    return in.getPos();
                }

                @Override
                public void seek(long newPos) throws IOException {
                    in.seek(newPos);
                }
            };
        }
    }
}
