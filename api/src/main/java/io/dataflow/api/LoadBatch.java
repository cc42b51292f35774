package io.dataflow.api;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * Full-load rows of one table, held column by column: a loader fills primitive arrays straight from the source's wire
 * format and a sink writes them out column by column, without one Java object per value. Every row is a full-load
 * read ({@link Op#READ}) at the same snapshot; row {@code r}'s position is {@link SourcePositions#fullLoad} of the
 * batch's log position and the row's ordinal.
 *
 * <p>Each column stores its values in one representation, fixed by its {@link LogicalType.Kind} ({@link #storage}):
 * <ul>
 *   <li>{@link Storage#LONG}: booleans as 0/1, integers, dates as days since 1970-01-01, times and timestamps in
 *       microseconds (as {@link LogicalType.Kind} documents);</li>
 *   <li>{@link Storage#DOUBLE}: floating point;</li>
 *   <li>{@link Storage#BYTES}: strings as UTF-8, binary values as they are; a value is a range of a byte array, which
 *       the batch does not copy (the filler must not reuse the array while the batch lives);</li>
 *   <li>{@link Storage#OBJECT}: decimals and arrays, as the Java values of their kind.</li>
 * </ul>
 * The raw accessors ({@link #longs}, {@link #nulls}, ...) return the batch's own arrays, valid for rows below
 * {@link #size()}. A batch is filled and read by one thread at a time.
 */
public final class LoadBatch {
    /** How a column's values are held. */
    public enum Storage { LONG, DOUBLE, BYTES, OBJECT }

    private final TableSchema schema;
    private final LogicalType[] types;
    private final Storage[] storage;
    private final int capacity;
    private final long snapshotLogPosition;
    private final long commitTimeMicros;
    private final boolean[][] nulls;
    private final long[][] longs;
    private final double[][] doubles;
    private final byte[][][] arrays;
    private final int[][] offsets;
    private final int[][] lengths;
    private final Object[][] objects;
    private final long[] ordinals;
    private int size;

    /**
     * @param snapshotLogPosition the source log position of the load's snapshot (the first field of every position)
     * @param commitTimeMicros    the snapshot time, the commit time of every row
     */
    public LoadBatch(TableSchema schema, int capacity, long snapshotLogPosition, long commitTimeMicros) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.schema = schema;
        this.capacity = capacity;
        this.snapshotLogPosition = snapshotLogPosition;
        this.commitTimeMicros = commitTimeMicros;
        int n = schema.columns().size();
        types = schema.columns().stream().map(Column::type).toArray(LogicalType[]::new);
        storage = new Storage[n];
        nulls = new boolean[n][];
        longs = new long[n][];
        doubles = new double[n][];
        arrays = new byte[n][][];
        offsets = new int[n][];
        lengths = new int[n][];
        objects = new Object[n][];
        ordinals = new long[capacity];
        for (int c = 0; c < n; c++) {
            storage[c] = storage(types[c].kind());
            nulls[c] = new boolean[capacity];
            switch (storage[c]) {
                case LONG -> longs[c] = new long[capacity];
                case DOUBLE -> doubles[c] = new double[capacity];
                case BYTES -> {
                    arrays[c] = new byte[capacity][];
                    offsets[c] = new int[capacity];
                    lengths[c] = new int[capacity];
                }
                case OBJECT -> objects[c] = new Object[capacity];
            }
        }
    }

    /** A view of {@code of}'s rows under another schema with the same column kinds (renamed columns): shares its arrays. */
    private LoadBatch(LoadBatch of, TableSchema schema) {
        this.schema = schema;
        this.types = of.types;
        this.storage = of.storage;
        this.capacity = of.capacity;
        this.snapshotLogPosition = of.snapshotLogPosition;
        this.commitTimeMicros = of.commitTimeMicros;
        this.nulls = of.nulls;
        this.longs = of.longs;
        this.doubles = of.doubles;
        this.arrays = of.arrays;
        this.offsets = of.offsets;
        this.lengths = of.lengths;
        this.objects = of.objects;
        this.ordinals = of.ordinals;
        this.size = of.size;
    }

    /**
     * This batch's rows under {@code renamed}, a schema with the same number of columns of the same kinds (other names,
     * another table name): no value is copied, so the view is valid only until this batch is cleared or refilled.
     */
    public LoadBatch withSchema(TableSchema renamed) {
        if (renamed.columns().size() != types.length) {
            throw new IllegalArgumentException(renamed.id() + " has " + renamed.columns().size() + " columns, the batch " + types.length);
        }
        for (int c = 0; c < types.length; c++) {
            if (renamed.columns().get(c).type().kind() != types[c].kind()) {
                throw new IllegalArgumentException("column " + c + " of " + renamed.id() + " is not of kind " + types[c].kind());
            }
        }
        return new LoadBatch(this, renamed);
    }

    /** The representation of values of {@code kind}. */
    public static Storage storage(LogicalType.Kind kind) {
        return switch (kind) {
            case BOOLEAN, INT16, INT32, INT64, DATE, TIME, TIME_TZ, TIMESTAMP, TIMESTAMP_TZ -> Storage.LONG;
            case FLOAT32, FLOAT64 -> Storage.DOUBLE;
            case STRING, ENUM, JSON, UUID, INTERVAL, BYTES -> Storage.BYTES;
            case DECIMAL, ARRAY -> Storage.OBJECT;
        };
    }

    public TableSchema schema() {
        return schema;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    public boolean isFull() {
        return size == capacity;
    }

    public long snapshotLogPosition() {
        return snapshotLogPosition;
    }

    public long commitTimeMicros() {
        return commitTimeMicros;
    }

    /** Empties the batch for reuse (values of the previous rows are forgotten, not cleared). */
    public void clear() {
        size = 0;
    }

    /** Starts a row whose columns are all null until set; returns its index. */
    public int addRow(long ordinal) {
        if (size == capacity) {
            throw new IllegalStateException("batch of " + schema.id() + " is full (" + capacity + " rows)");
        }
        int r = size++;
        ordinals[r] = ordinal;
        for (boolean[] n : nulls) {
            n[r] = true;
        }
        return r;
    }

    public void setLong(int row, int column, long value) {
        longs[column][row] = value;
        nulls[column][row] = false;
    }

    public void setDouble(int row, int column, double value) {
        doubles[column][row] = value;
        nulls[column][row] = false;
    }

    /** Sets a {@link Storage#BYTES} value to {@code length} bytes of {@code array} from {@code offset}, not copied. */
    public void setBytes(int row, int column, byte[] array, int offset, int length) {
        arrays[column][row] = array;
        offsets[column][row] = offset;
        lengths[column][row] = length;
        nulls[column][row] = false;
    }

    /** Sets a value given as the Java value of the column's kind (see {@link LogicalType.Kind}); null sets null. */
    public void set(int row, int column, Object value) {
        if (value == null) {
            nulls[column][row] = true;
            return;
        }
        switch (types[column].kind()) {
            case BOOLEAN -> setLong(row, column, ((Boolean) value) ? 1 : 0);
            case INT16, INT32, INT64, TIME, TIME_TZ, TIMESTAMP, TIMESTAMP_TZ -> setLong(row, column, ((Number) value).longValue());
            case DATE -> setLong(row, column, ((LocalDate) value).toEpochDay());
            case FLOAT32, FLOAT64 -> setDouble(row, column, ((Number) value).doubleValue());
            case STRING, ENUM, JSON, UUID, INTERVAL -> {
                byte[] b = value.toString().getBytes(StandardCharsets.UTF_8);
                setBytes(row, column, b, 0, b.length);
            }
            case BYTES -> {
                byte[] b = (byte[]) value;
                setBytes(row, column, b, 0, b.length);
            }
            case DECIMAL, ARRAY -> {
                objects[column][row] = value;
                nulls[column][row] = false;
            }
        }
    }

    /**
     * Copies cell ({@code row}, {@code column}) into {@code to} at ({@code toRow}, {@code toColumn}), a column of the same
     * kind, without boxing it (a byte range is shared, not copied); a null stays null.
     */
    public void copyCell(int row, int column, LoadBatch to, int toRow, int toColumn) {
        if (nulls[column][row]) {
            to.nulls[toColumn][toRow] = true;
            return;
        }
        switch (storage[column]) {
            case LONG -> to.setLong(toRow, toColumn, longs[column][row]);
            case DOUBLE -> to.setDouble(toRow, toColumn, doubles[column][row]);
            case BYTES -> to.setBytes(toRow, toColumn, arrays[column][row], offsets[column][row], lengths[column][row]);
            case OBJECT -> to.set(toRow, toColumn, objects[column][row]);
        }
    }

    public boolean isNull(int row, int column) {
        return nulls[column][row];
    }

    /** The value of a cell as the Java value of its kind (see {@link LogicalType.Kind}), or null. */
    public Object value(int row, int column) {
        if (nulls[column][row]) {
            return null;
        }
        long l = storage[column] == Storage.LONG ? longs[column][row] : 0;
        return switch (types[column].kind()) {
            case BOOLEAN -> l != 0;
            case INT16 -> (short) l;
            case INT32 -> (int) l;
            case INT64, TIME, TIME_TZ, TIMESTAMP, TIMESTAMP_TZ -> l;
            case DATE -> LocalDate.ofEpochDay(l);
            case FLOAT32 -> (float) doubles[column][row];
            case FLOAT64 -> doubles[column][row];
            case STRING, ENUM, JSON, UUID, INTERVAL ->
                    new String(arrays[column][row], offsets[column][row], lengths[column][row], StandardCharsets.UTF_8);
            case BYTES -> Arrays.copyOfRange(arrays[column][row], offsets[column][row], offsets[column][row] + lengths[column][row]);
            case DECIMAL, ARRAY -> objects[column][row];
        };
    }

    /** Row {@code row}'s values, aligned with the schema's columns. */
    public Object[] row(int row) {
        Object[] out = new Object[types.length];
        for (int c = 0; c < out.length; c++) {
            out[c] = value(row, c);
        }
        return out;
    }

    public long ordinal(int row) {
        return ordinals[row];
    }

    /** The rows' ordinals (the batch's own array). */
    public long[] ordinals() {
        return ordinals;
    }

    public String position(int row) {
        return SourcePositions.fullLoad(snapshotLogPosition, ordinals[row]);
    }

    /** Row {@code row} as a change event, for sinks that take rows one at a time. */
    public ChangeEvent event(int row) {
        return new ChangeEvent(schema, Op.READ, row(row), position(row), commitTimeMicros, "", true);
    }

    public Storage storage(int column) {
        return storage[column];
    }

    public boolean[] nulls(int column) {
        return nulls[column];
    }

    public long[] longs(int column) {
        return longs[column];
    }

    public double[] doubles(int column) {
        return doubles[column];
    }

    public byte[][] arrays(int column) {
        return arrays[column];
    }

    public int[] offsets(int column) {
        return offsets[column];
    }

    public int[] lengths(int column) {
        return lengths[column];
    }

    public Object[] objects(int column) {
        return objects[column];
    }
}
