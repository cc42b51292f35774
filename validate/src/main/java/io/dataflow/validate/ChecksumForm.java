package io.dataflow.validate;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How both databases of a comparison checksum a key range, chosen per table from what the two sides are:
 * <ul>
 * <li>{@link #ROW_CHAIN}: two PostgreSQL 11+ tables whose columns all have a hash function callable from SQL that
 * follows the normal form — each column's 64-bit hash seeded with the previous column's, NULL marked by flipping a
 * bit, so no value becomes text and no row is built (a third cheaper than {@code ROW_HASH});</li>
 * <li>{@link #ROW_HASH}: two PostgreSQL 14+ tables whose columns all hash by value as the normal form compares them —
 * each type's own 64-bit hash of each column ({@code hash_record_extended}), the cheapest: no value becomes text;</li>
 * <li>{@link #ROW_TEXT}: two PostgreSQL tables otherwise — a 64-bit hash of each row's text;</li>
 * <li>{@link #PORTABLE}: any two databases whose columns all have the same {@link RowDigest} family on both sides.</li>
 * </ul>
 * Every form is as strict as the normal form or stricter, so equal sums prove equal rows; ranges whose sums differ are
 * narrowed down and their rows compared in the normal form.
 */
enum ChecksumForm {
    ROW_CHAIN, ROW_HASH, ROW_TEXT, PORTABLE;

    /**
     * PostgreSQL types whose hash function agrees with the normal form: equal hashes only for values the normal form
     * calls equal (numbers by value, {@code char(n)} without trailing blanks, instants in UTC, JSON documents). Not
     * floats ({@code -0} hashes as {@code 0}) nor intervals ({@code 1 day} hashes as {@code 24 hours}).
     */
    static final Set<String> HASHED_BY_VALUE = Set.of("int2", "int4", "int8", "numeric", "text", "varchar", "bpchar", "bool", "date",
            "timestamp", "timestamptz", "bytea", "uuid", "jsonb");

    /**
     * The SQL hash function (value, seed) of each {@link #ROW_CHAIN} type, with {@code %1$s} for the value and
     * {@code %2$s} for the seed (types whose function takes another type are converted exactly), and a value of the type
     * that stands in for NULL (the seed then differs, so NULL and that value still hash apart). Text hashes under the
     * "C" collation: a column's case-insensitive collation would hash 'a' and 'A' alike, which the normal form does not.
     */
    record Chained(String function, String nullStandIn) {}

    static final java.util.Map<String, Chained> CHAINED = java.util.Map.ofEntries(
            java.util.Map.entry("int2", new Chained("hashint2extended(%1$s, %2$s)", "0::int2")),
            java.util.Map.entry("int4", new Chained("hashint4extended(%1$s, %2$s)", "0")),
            java.util.Map.entry("int8", new Chained("hashint8extended(%1$s, %2$s)", "0::int8")),
            java.util.Map.entry("numeric", new Chained("hash_numeric_extended(%1$s, %2$s)", "0::numeric")),
            java.util.Map.entry("text", new Chained("hashtextextended(%1$s COLLATE \"C\", %2$s)", "''")),
            java.util.Map.entry("varchar", new Chained("hashtextextended(%1$s COLLATE \"C\", %2$s)", "''")),
            java.util.Map.entry("bpchar", new Chained("hashbpcharextended(%1$s COLLATE \"C\", %2$s)", "''::bpchar")),
            java.util.Map.entry("bool", new Chained("hashint4extended(%1$s::int, %2$s)", "false")),
            java.util.Map.entry("date", new Chained("hashint4extended(%1$s - date '2000-01-01', %2$s)", "date '2000-01-01'")),
            java.util.Map.entry("timestamp", new Chained("timestamp_hash_extended(%1$s, %2$s)", "timestamp '2000-01-01'")),
            java.util.Map.entry("timestamptz", new Chained("timestamp_hash_extended(%1$s AT TIME ZONE 'UTC', %2$s)",
                    "timestamptz '2000-01-01 00:00:00+00'")),
            java.util.Map.entry("uuid", new Chained("uuid_hash_extended(%1$s, %2$s)", "'00000000-0000-0000-0000-000000000000'::uuid")),
            java.util.Map.entry("jsonb", new Chained("jsonb_hash_extended(%1$s, %2$s)", "'null'::jsonb")));

    /**
     * The select list of a range's checksum in PostgreSQL, for the three PostgreSQL forms: the row count, then the sum
     * of the rows' hashes.
     *
     * @param columns the quoted column names
     * @param types   their PostgreSQL type names (lower case), in the same order
     */
    String postgresSelectList(List<String> columns, List<String> types) {
        if (this == ROW_CHAIN) {
            // each column's hash seeded with the previous one's (the previous expression appears once, so the text grows
            // linearly); a NULL hashes its type's stand-in with the seed's bits flipped by a per-column constant
            String hash = "0::int8";
            for (int i = 0; i < columns.size(); i++) {
                Chained c = CHAINED.get(types.get(i));
                String col = columns.get(i);
                String seed = "(" + hash + ") # (CASE WHEN " + col + " IS NULL THEN " + (0x5bd1e995L * (i + 1)) + " ELSE 0 END)";
                hash = String.format(java.util.Locale.ROOT, c.function(), "coalesce(" + col + ", " + c.nullStandIn() + ")", seed);
            }
            return "count(*), coalesce(sum(" + hash + "), 0)";
        }
        String row = "ROW(" + String.join(", ", columns) + ")";
        return switch (this) {
            case ROW_HASH -> "count(*), coalesce(sum(hash_record_extended(" + row + ", 0)), 0)";
            case ROW_TEXT -> "count(*), coalesce(sum(hashtextextended(" + row + "::text, 0)), 0)";
            default -> throw new IllegalStateException(this + " is not a PostgreSQL-only form");
        };
    }

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
            if (source.chained() && target.chained()) {
                return Optional.of(ROW_CHAIN);
            }
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
