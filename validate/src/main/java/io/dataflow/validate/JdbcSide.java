package io.dataflow.validate;

import io.dataflow.api.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A table of a PostgreSQL or MariaDB/MySQL database, read in key order with a streaming cursor. Text keys are ordered
 * by code point on both engines ({@code COLLATE "C"}, {@code CAST(... AS BINARY)} of UTF-8), whatever the column's
 * collation, so both sides of a comparison agree on the order.
 */
final class JdbcSide implements TableSide, AutoCloseable {
    /** Opens a connection to the database. */
    interface Connector {
        Connection open() throws Exception;
    }

    private final Connector connector;
    private final boolean postgres;
    private final TableId table;
    private final List<String> names;
    private final Columns columns;
    private final String description;
    /** Idle connections, reused by the ranges and checksums of this side (opening one costs more than a small query). */
    private final java.util.concurrent.ConcurrentLinkedQueue<Connection> idle = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private Connection borrow() throws Exception {
        Connection c = idle.poll();
        if (c != null && !c.isClosed()) {
            return c;
        }
        c = connector.open();
        c.setAutoCommit(false);
        c.setReadOnly(true);
        if (postgres) {
            try (Statement st = c.createStatement()) {
                // compiling a range's query costs about 0.1 s of CPU a time and gains nothing on a scan that hashes text;
                // ranges already run in parallel, and starting a query's own workers costs more than a small range
                st.execute("SET jit = off");
                st.execute("SET max_parallel_workers_per_gather = 0");
            }
            c.commit();
        }
        return c;
    }

    private void giveBack(Connection c) throws java.sql.SQLException {
        c.rollback();
        idle.add(c);
    }

    @Override
    public void close() throws java.sql.SQLException {
        Connection c;
        while ((c = idle.poll()) != null) {
            c.close();
        }
    }

    /**
     * @param names the column names this side uses, in {@link Columns} order
     */
    private final String filter;

    JdbcSide(Connector connector, boolean postgres, TableId table, List<String> names, Columns columns, String description) {
        this(connector, postgres, table, names, columns, description, "");
    }

    /** @param filter a condition in this side's SQL that every row read must meet (a table rule's filter), or "" */
    JdbcSide(Connector connector, boolean postgres, TableId table, List<String> names, Columns columns, String description, String filter) {
        this.filter = filter;
        this.connector = connector;
        this.postgres = postgres;
        this.table = table;
        this.names = List.copyOf(names);
        this.columns = columns;
        this.description = description;
    }

    @Override
    public String describe() {
        return description + " " + table;
    }

    private volatile String from;
    private volatile java.util.Set<String> spatial;

    private interface Answer<T> {
        T read(ResultSet rs) throws java.sql.SQLException;
    }

    /** A catalog question about this side's table (schema and table name bound), on a borrowed connection; {@code orElse} when it fails. */
    private <T> T askCatalog(String sql, Answer<T> answer, T orElse) {
        try {
            Connection c = borrow();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, table.schema());
                ps.setString(2, table.table());
                try (ResultSet rs = ps.executeQuery()) {
                    return answer.read(rs);
                }
            } finally {
                giveBack(c);
            }
        } catch (Exception e) {
            return orElse; // the query that follows reports what is wrong with the connection
        }
    }

    /**
     * The columns of this side's MariaDB/MySQL table whose own type is spatial (read with ST_AsBinary); a column the
     * conversion made a blob (a PostgreSQL point, say) holds WKB already.
     */
    private java.util.Set<String> spatialColumns() {
        java.util.Set<String> found = spatial;
        if (found == null) {
            found = askCatalog("select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ?", rs -> {
                java.util.Set<String> names = new java.util.HashSet<>();
                while (rs.next()) {
                    if (ValueForm.hint(rs.getString(2)) == ValueForm.Hint.GEOMETRY) {
                        names.add(rs.getString(1));
                    }
                }
                return names;
            }, java.util.Set.of());
            spatial = found;
        }
        return found;
    }

    /**
     * The table in a FROM clause: a PostgreSQL table with inheritance children is read ONLY, as the full load reads it
     * (its children are tables of their own); a partitioned table with its partitions.
     */
    String from() {
        String f = from;
        if (f == null) {
            String plain = quote(table.schema()) + "." + quote(table.table());
            f = !postgres ? plain : askCatalog("select c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                    + " where n.nspname = ? and c.relname = ?", rs -> rs.next() && "r".equals(rs.getString(1)) ? "ONLY " + plain : plain, plain);
            from = f;
        }
        return f;
    }

    String quote(String identifier) {
        return postgres ? "\"" + identifier.replace("\"", "\"\"") + "\"" : "`" + identifier.replace("`", "``") + "`";
    }

    String sql(KeyRange range) {
        StringBuilder b = new StringBuilder("SELECT ");
        for (int i = 0; i < names.size(); i++) {
            b.append(i == 0 ? "" : ", ");
            if (!postgres && columns.hints().get(i) == ValueForm.Hint.FLOAT32) {
                // MariaDB's text protocol sends FLOAT with 6 significant digits: ask for the stored value itself
                b.append("CAST(").append(quote(names.get(i))).append(" AS DOUBLE)");
            } else if (postgres && columns.hints().get(i) == ValueForm.Hint.MONEY) {
                b.append(quote(names.get(i))).append("::numeric");
            } else if (!postgres && columns.hints().get(i) == ValueForm.Hint.GEOMETRY && spatialColumns().contains(names.get(i))) {
                // the stored form has the SRID before the WKB; the lake and the full load keep the WKB
                b.append("ST_AsBinary(").append(quote(names.get(i))).append(") AS ").append(quote(names.get(i)));
            } else {
                b.append(quote(names.get(i)));
            }
        }
        b.append(" FROM ").append(from()).append(where(range));
        b.append(" ORDER BY ");
        for (int i = 0; i < columns.keys(); i++) {
            String k = quote(names.get(i));
            b.append(i == 0 ? "" : ", ");
            if (!columns.textKey().get(i)) {
                b.append(k);
            } else {
                b.append(postgres ? k + " COLLATE \"C\"" : "CAST(" + k + " AS BINARY)");
            }
            if (postgres) {
                b.append(" NULLS FIRST"); // as MariaDB/MySQL order them
            }
        }
        return b.toString();
    }

    boolean postgres() {
        return postgres;
    }

    @Override
    public NotHeld.Store store() {
        return postgres ? NotHeld.Store.POSTGRES : NotHeld.Store.MYSQL;
    }

    /**
     * The rows of a range and a checksum of their values ({@code count:sum}), computed in the database, so that equal
     * ranges are proven equal without moving their rows.
     */
    String checksum(KeyRange range, ChecksumForm form) throws Exception {
        String q = "SELECT " + checksumSelect(form) + " FROM " + from() + where(range);
        Connection c = borrow();
        try (PreparedStatement ps = c.prepareStatement(q)) {
            bind(ps, range);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String sum = rs.getLong(1) + ":" + rs.getString(2);
                giveBack(c);
                return sum;
            }
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    /**
     * The checksums of a range's buckets, all in one pass over the range: the keys of {@code [lo, hi)} fall into buckets of
     * {@code width} keys numbered from 0, keys below {@code lo} (only when the range is open there) into bucket -1, keys
     * from {@code hi} on (only when it is open there) into bucket -2. Buckets without rows are absent.
     */
    java.util.Map<Long, String> bucketChecksums(KeyRange range, ChecksumForm form, long lo, long hi, long width) throws Exception {
        String k = quote(names.get(0));
        StringBuilder bucket = new StringBuilder("CASE");
        if (range.from() == null) {
            bucket.append(" WHEN ").append(k).append(" < ").append(lo).append(" THEN -1");
        }
        if (range.to() == null) {
            bucket.append(" WHEN ").append(k).append(" >= ").append(hi).append(" THEN -2");
        }
        String inside = "(" + k + " - " + lo + (postgres ? ") / " : ") DIV ") + width;
        if (range.from() != null && range.to() != null) {
            bucket.setLength(0);
            bucket.append(inside);
        } else {
            bucket.append(" ELSE ").append(inside).append(" END");
        }
        String q = "SELECT " + bucket + " AS dataflow_bucket, " + checksumSelect(form) + " FROM " + from()
                + where(range) + " GROUP BY 1" + (postgres ? "" : " ORDER BY NULL");
        java.util.Map<Long, String> sums = new java.util.HashMap<>();
        Connection c = borrow();
        try (PreparedStatement ps = c.prepareStatement(q)) {
            if (postgres) {
                try (Statement st = c.createStatement()) {
                    // the planner cannot know there are only about a thousand buckets and would sort the range (spilling
                    // to disk) to group it; hashing needs a few hundred kilobytes (undone when the connection is given back)
                    st.execute("SET LOCAL enable_sort = off");
                }
            }
            bind(ps, range);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sums.put(rs.getLong(1), rs.getLong(2) + ":" + rs.getString(3));
                }
            }
            giveBack(c);
            return sums;
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    /** The select list of a checksum: the row count, then the sum of the rows' hashes. */
    private synchronized String checksumSelect(ChecksumForm form) throws Exception {
        String select = selects.get(form);
        if (select == null) {
            List<String> quoted = names.stream().map(this::quote).toList();
            select = form == ChecksumForm.PORTABLE ? RowDigest.selectList(quoted, kinds().orElseThrow(), postgres)
                    : form.postgresSelectList(quoted, types().stream().map(t -> t.name().toLowerCase(Locale.ROOT)).toList());
            selects.put(form, select);
        }
        return select;
    }

    /** Each form's select list, built once (every key range asks for it). */
    private final java.util.Map<ChecksumForm, String> selects = new java.util.EnumMap<>(ChecksumForm.class);

    /** A compared column as this database describes it. */
    private record ColumnType(String name, int precision, int scale) {}

    private List<ColumnType> types;
    private int majorVersion;

    /** The compared columns' types as this database describes them (asked once). */
    private synchronized List<ColumnType> types() throws Exception {
        if (types == null) {
            StringBuilder q = new StringBuilder("SELECT ");
            for (int i = 0; i < names.size(); i++) {
                q.append(i == 0 ? "" : ", ").append(quote(names.get(i)));
            }
            q.append(" FROM ").append(from()).append(" WHERE 1 = 0");
            Connection c = borrow();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q.toString())) {
                ResultSetMetaData md = rs.getMetaData();
                List<ColumnType> found = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    found.add(new ColumnType(md.getColumnTypeName(i), md.getPrecision(i), md.getScale(i)));
                }
                majorVersion = c.getMetaData().getDatabaseMajorVersion();
                types = List.copyOf(found);
            } catch (Exception e) {
                c.close();
                throw e;
            }
            giveBack(c);
        }
        return types;
    }

    /**
     * Each compared column's family for {@link RowDigest}; empty when one has no portable rendering.
     */
    Optional<List<RowDigest.ColumnKind>> kinds() throws Exception {
        List<RowDigest.ColumnKind> found = new ArrayList<>();
        for (ColumnType t : types()) {
            Optional<RowDigest.ColumnKind> k = RowDigest.kind(t.name(), t.precision(), t.scale(), postgres);
            if (k.isEmpty()) {
                return Optional.empty();
            }
            found.add(k.get());
        }
        return Optional.of(found);
    }

    /** How the normal form reads the i-th compared column. */
    ValueForm.Hint hint(int i) {
        return columns.hints().get(i);
    }

    /** PostgreSQL 11 or later with only {@link ChecksumForm#CHAINED} columns. */
    boolean chained() throws Exception {
        return postgres && types().stream().allMatch(t -> ChecksumForm.CHAINED.containsKey(t.name().toLowerCase(Locale.ROOT)))
                && majorVersion >= 11;
    }

    /** PostgreSQL 14 or later (which hashes a row by its columns' own hash functions) with only {@link ChecksumForm#HASHED_BY_VALUE} columns. */
    boolean hashedByValue() throws Exception {
        return postgres && types().stream().allMatch(t -> ChecksumForm.HASHED_BY_VALUE.contains(t.name().toLowerCase(Locale.ROOT)))
                && majorVersion >= 14;
    }

    /** The condition of a key range on the first key column (bound as integers) and the filter; empty for the whole table. */
    private String where(KeyRange range) {
        if (range.isAll()) {
            return filter.isEmpty() ? "" : " WHERE " + filter;
        }
        String k = quote(names.get(0));
        StringBuilder b = new StringBuilder(" WHERE ");
        if (!filter.isEmpty()) {
            b.append(filter).append(" AND ");
        }
        if (range.from() != null) {
            b.append(k).append(" >= ?");
        }
        if (range.to() != null) {
            b.append(range.from() != null ? " AND " : "").append(k).append(" < ?");
        }
        return b.toString();
    }

    /** Binds a key range's bounds, in the order {@link #where} names them. */
    private static void bind(PreparedStatement ps, KeyRange range) throws java.sql.SQLException {
        int p = 1;
        if (range.from() != null) {
            ps.setLong(p++, range.from().longValueExact());
        }
        if (range.to() != null) {
            ps.setLong(p, range.to().longValueExact());
        }
    }

    @Override
    public Rows rows(KeyRange range) throws Exception {
        Connection c = borrow();
        try {
            PreparedStatement ps = c.prepareStatement(sql(range), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            ps.setFetchSize(5_000);
            bind(ps, range);
            ResultSet rs = ps.executeQuery();
            return new JdbcRows(c, rs, columns, this::giveBack);
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    private static final class JdbcRows implements Rows {
        /** Takes a connection back once its rows were read. */
        interface Release {
            void accept(Connection c) throws java.sql.SQLException;
        }

        private final Connection c;
        private final ResultSet rs;
        private final Columns columns;
        private final String[] typeNames;
        private final Read[] reads;
        private final Release release;
        private Row next;
        private boolean done;

        JdbcRows(Connection c, ResultSet rs, Columns columns, Release release) throws java.sql.SQLException {
            this.c = c;
            this.release = release;
            this.rs = rs;
            this.columns = columns;
            ResultSetMetaData md = rs.getMetaData();
            typeNames = new String[md.getColumnCount()];
            reads = new Read[typeNames.length];
            for (int i = 0; i < typeNames.length; i++) {
                typeNames[i] = md.getColumnTypeName(i + 1).toLowerCase(Locale.ROOT);
                reads[i] = Read.of(typeNames[i]);
            }
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                try {
                    if (rs.next()) {
                        next = read();
                    } else {
                        done = true;
                    }
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
            return next != null;
        }

        private Row read() throws java.sql.SQLException {
            Object[] values = new Object[columns.size()];
            List<Comparable<?>> key = new ArrayList<>(columns.keys());
            for (int i = 0; i < values.length; i++) {
                Object v = value(i);
                ValueForm.Hint hint = columns.hints().get(i);
                values[i] = v;
                if (i < columns.keys()) {
                    key.add(v == null ? null : ValueForm.keyOf(v, hint));
                }
            }
            return new Row(key, values);
        }

        /** How a column is read: the common types through their typed getter (cheaper than the drivers' getObject). */
        private enum Read {
            INT, LONG, STRING, OTHER;

            static Read of(String type) {
                return switch (type) {
                    case "int2", "int4", "integer", "smallint", "mediumint" -> INT;
                    case "int8", "bigint", "integer unsigned" -> LONG;
                    case "text", "varchar", "bpchar", "char", "tinytext", "mediumtext", "longtext" -> STRING;
                    default -> OTHER;
                };
            }
        }

        private Object value(int i) throws java.sql.SQLException {
            switch (reads[i]) {
                case INT -> {
                    int v = rs.getInt(i + 1);
                    return v == 0 && rs.wasNull() ? null : Integer.valueOf(v);
                }
                case LONG -> {
                    long v = rs.getLong(i + 1);
                    return v == 0 && rs.wasNull() ? null : Long.valueOf(v);
                }
                case STRING -> {
                    return rs.getString(i + 1);
                }
                default -> {
                    return other(i);
                }
            }
        }

        private Object other(int i) throws java.sql.SQLException {
            String type = typeNames[i];
            if (type.equals("time")) {
                // as text: the drivers' Time wraps MariaDB's durations (30:00:00 became 06:00:00) and PostgreSQL's 24:00:00
                String t = rs.getString(i + 1);
                try {
                    return t == null ? null : java.time.LocalTime.parse(t);
                } catch (java.time.format.DateTimeParseException notATimeOfDay) {
                    return t;
                }
            }
            if (type.equals("timestamptz")) {
                return rs.getObject(i + 1, OffsetDateTime.class);
            }
            if (type.equals("json") || type.equals("jsonb") || type.equals("interval") || type.equals("money")) {
                return rs.getString(i + 1);
            }
            Object v = rs.getObject(i + 1);
            if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
                return v;
            }
            if (v instanceof java.sql.Timestamp t) {
                return t.toLocalDateTime();
            }
            if (v.getClass().getName().equals("org.postgresql.util.PGobject")) {
                return rs.getString(i + 1);
            }
            return v;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row r = next;
            next = null;
            return r;
        }

        @Override
        public void close() throws Exception {
            try {
                rs.close();
                release.accept(c);
            } catch (Exception e) {
                c.close();
                throw e;
            }
        }
    }
}
