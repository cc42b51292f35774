package io.dataflow.source.postgres;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One message of PostgreSQL's logical replication protocol as {@code pgoutput} sends it (protocol version 1, text
 * tuples), decoded from the payload of one XLogData message by {@link #decode(ByteBuffer)}. Transactions arrive whole,
 * in commit order: a {@link Begin}, the changes, a {@link Commit}; a {@link Relation} describes a table before its
 * first change in the stream and again after its columns change.
 */
sealed interface PgOutputMessage {

    /** Microseconds between 1970-01-01 and PostgreSQL's epoch, 2000-01-01. */
    long PG_EPOCH_MICROS = 946_684_800_000_000L;

    /** @param finalLsn the commit record's LSN; @param commitMicros the commit time, µs since 1970; @param xid the transaction */
    record Begin(long finalLsn, long commitMicros, long xid) implements PgOutputMessage {}

    /** @param commitLsn the commit record's LSN; @param endLsn the end of the transaction in the WAL */
    record Commit(long commitLsn, long endLsn, long commitMicros) implements PgOutputMessage {}

    /** A column of a {@link Relation}: {@code key} when it is part of the replica identity. */
    record RelationColumn(String name, int typeOid, int typmod, boolean key) {}

    /**
     * A table's columns as published. @param replicaIdentity {@code d}efault, {@code f}ull, {@code i}ndex or
     * {@code n}othing
     */
    record Relation(int oid, String namespace, String name, char replicaIdentity, List<RelationColumn> columns) implements PgOutputMessage {}

    /**
     * A row's values, one per column of its relation: text, or null for SQL NULL; {@code unchanged[i]} marks a TOASTed
     * value the UPDATE left alone, which PostgreSQL does not send.
     */
    record Tuple(String[] values, boolean[] unchanged) {
        boolean anyUnchanged() {
            for (boolean u : unchanged) {
                if (u) {
                    return true;
                }
            }
            return false;
        }
    }

    record Insert(int relation, Tuple row) implements PgOutputMessage {}

    /**
     * @param oldKind {@code K} (the old key: the key changed), {@code O} (the whole old row: REPLICA IDENTITY FULL) or
     *                {@code 0} when PostgreSQL sent no old values
     */
    record Update(int relation, char oldKind, Tuple old, Tuple row) implements PgOutputMessage {}

    /** @param oldKind {@code K} (only the key columns are set) or {@code O} (the whole row) */
    record Delete(int relation, char oldKind, Tuple old) implements PgOutputMessage {}

    record Truncate(int[] relations, boolean cascade, boolean restartIdentity) implements PgOutputMessage {}

    /** Messages that carry nothing DataFlow keeps: types, origins, logical decoding messages. */
    record Other(char tag) implements PgOutputMessage {}

    /** Decodes one message; the buffer's position moves past it. */
    static PgOutputMessage decode(ByteBuffer b) {
        char tag = (char) b.get();
        return switch (tag) {
            case 'B' -> new Begin(b.getLong(), PG_EPOCH_MICROS + b.getLong(), Integer.toUnsignedLong(b.getInt()));
            case 'C' -> {
                b.get(); // flags, unused
                yield new Commit(b.getLong(), b.getLong(), PG_EPOCH_MICROS + b.getLong());
            }
            case 'R' -> relation(b);
            case 'I' -> {
                int rel = b.getInt();
                expect(b, 'N', tag);
                yield new Insert(rel, tuple(b));
            }
            case 'U' -> {
                int rel = b.getInt();
                char kind = (char) b.get();
                Tuple old = null;
                if (kind == 'K' || kind == 'O') {
                    old = tuple(b);
                    expect(b, 'N', tag);
                } else if (kind != 'N') {
                    throw new IllegalStateException("pgoutput UPDATE: unexpected tuple kind '" + kind + "'");
                }
                yield new Update(rel, old == null ? '0' : kind, old, tuple(b));
            }
            case 'D' -> {
                int rel = b.getInt();
                char kind = (char) b.get();
                if (kind != 'K' && kind != 'O') {
                    throw new IllegalStateException("pgoutput DELETE: unexpected tuple kind '" + kind + "'");
                }
                yield new Delete(rel, kind, tuple(b));
            }
            case 'T' -> {
                int n = b.getInt();
                int options = b.get();
                int[] rels = new int[n];
                for (int i = 0; i < n; i++) {
                    rels[i] = b.getInt();
                }
                yield new Truncate(rels, (options & 1) != 0, (options & 2) != 0);
            }
            case 'Y', 'O', 'M' -> new Other(tag);
            default -> throw new IllegalStateException("pgoutput: unknown message type '" + tag + "' (protocol version 1 expected)");
        };
    }

    private static void expect(ByteBuffer b, char wanted, char tag) {
        char got = (char) b.get();
        if (got != wanted) {
            throw new IllegalStateException("pgoutput '" + tag + "': expected '" + wanted + "', got '" + got + "'");
        }
    }

    private static Relation relation(ByteBuffer b) {
        int oid = b.getInt();
        String namespace = string(b);
        String name = string(b);
        char identity = (char) b.get();
        int n = Short.toUnsignedInt(b.getShort());
        List<RelationColumn> columns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean key = (b.get() & 1) != 0;
            String column = string(b);
            columns.add(new RelationColumn(column, b.getInt(), b.getInt(), key));
        }
        // an empty namespace means pg_catalog
        return new Relation(oid, namespace.isEmpty() ? "pg_catalog" : namespace, name, identity, List.copyOf(columns));
    }

    private static Tuple tuple(ByteBuffer b) {
        int n = Short.toUnsignedInt(b.getShort());
        String[] values = new String[n];
        boolean[] unchanged = new boolean[n];
        for (int i = 0; i < n; i++) {
            char kind = (char) b.get();
            switch (kind) {
                case 'n' -> { }
                case 'u' -> unchanged[i] = true;
                case 't' -> {
                    int len = b.getInt();
                    values[i] = text(b, len);
                }
                default -> throw new IllegalStateException("pgoutput tuple: unexpected column kind '" + kind + "'");
            }
        }
        return new Tuple(values, unchanged);
    }

    private static String text(ByteBuffer b, int len) {
        String s;
        if (b.hasArray()) {
            s = new String(b.array(), b.arrayOffset() + b.position(), len, StandardCharsets.UTF_8);
            b.position(b.position() + len);
        } else {
            byte[] bytes = new byte[len];
            b.get(bytes);
            s = new String(bytes, StandardCharsets.UTF_8);
        }
        return s;
    }

    /** A NUL-terminated string. */
    private static String string(ByteBuffer b) {
        int start = b.position();
        int end = start;
        while (b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        b.get(bytes);
        b.get(); // the NUL
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
