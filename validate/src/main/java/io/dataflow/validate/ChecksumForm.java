package io.dataflow.validate;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How both databases of a comparison checksum a key range, chosen per table from what the two sides are:
 * <ul>
 * <li>{@link #ROW_HASH}: two PostgreSQL 14+ tables whose columns all hash by value as the normal form compares them —
 * each type's own 64-bit hash of each column ({@code hash_record_extended}), the cheapest: no value becomes text;</li>
 * <li>{@link #ROW_TEXT}: two PostgreSQL tables otherwise — a 64-bit hash of each row's text;</li>
 * <li>{@link #PORTABLE}: any two databases whose columns all have the same {@link RowDigest} family on both sides.</li>
 * </ul>
 * Every form is as strict as the normal form or stricter, so equal sums prove equal rows; ranges whose sums differ are
 * narrowed down and their rows compared in the normal form.
 */
enum ChecksumForm {
    ROW_HASH, ROW_TEXT, PORTABLE;

    /**
     * PostgreSQL types whose hash function agrees with the normal form: equal hashes only for values the normal form
     * calls equal (numbers by value, {@code char(n)} without trailing blanks, instants in UTC, JSON documents). Not
     * floats ({@code -0} hashes as {@code 0}) nor intervals ({@code 1 day} hashes as {@code 24 hours}).
     */
    static final Set<String> HASHED_BY_VALUE = Set.of("int2", "int4", "int8", "numeric", "text", "varchar", "bpchar", "bool", "date",
            "timestamp", "timestamptz", "bytea", "uuid", "jsonb");

    /**
     * The form both sides compute, or empty when rows are to be streamed (see {@link Validator.Checksums}).
     *
     * @param bothLocal whether both databases run on this host
     */
    static Optional<ChecksumForm> choose(JdbcSide source, TableSide other, Validator.Checksums mode, boolean bothLocal) throws Exception {
        if (!(other instanceof JdbcSide target) || mode == Validator.Checksums.NEVER) {
            return Optional.empty();
        }
        if (source.postgres() && target.postgres()) {
            return Optional.of(source.hashedByValue() && target.hashedByValue() ? ROW_HASH : ROW_TEXT);
        }
        Optional<List<RowDigest.ColumnKind>> ours = source.kinds();
        Optional<List<RowDigest.ColumnKind>> theirs = target.kinds();
        if (ours.isEmpty() || theirs.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < ours.get().size(); i++) {
            if (!RowDigest.alike(ours.get().get(i), theirs.get().get(i), source.hint(i))) {
                return Optional.empty();
            }
        }
        return mode == Validator.Checksums.AUTO && bothLocal ? Optional.empty() : Optional.of(PORTABLE);
    }
}
