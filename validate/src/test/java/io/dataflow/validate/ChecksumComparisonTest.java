package io.dataflow.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ChecksumComparisonTest {
    private static KeyRange range(Long from, Long to) {
        return new KeyRange(from == null ? null : BigDecimal.valueOf(from), to == null ? null : BigDecimal.valueOf(to));
    }

    @Test
    void differingBucketsBecomeKeyRangesWithNeighboursJoinedAndOpenEndsKept() {
        List<KeyRange> first = ChecksumComparison.ranges(range(null, 1000L), new TreeSet<>(List.of(-1L, 0L, 1L, 5L, 99L)), 1, 1000, 10);
        assertThat(first).containsExactly(range(null, 21L), range(51L, 61L), range(991L, 1000L));

        List<KeyRange> last = ChecksumComparison.ranges(range(500L, null), new TreeSet<>(List.of(-2L, 50L, 3L)), 500, 1001, 10);
        assertThat(last).containsExactly(range(530L, 540L), range(1000L, null));
    }

    @Test
    void aColumnTakesPartOnlyWithAFamilyBothEnginesRenderAlike() {
        assertThat(RowDigest.kind("int4", 10, 0, true)).contains(new RowDigest.ColumnKind(RowDigest.Family.INTEGER, 0));
        assertThat(RowDigest.kind("BIGINT UNSIGNED", 20, 0, false)).contains(new RowDigest.ColumnKind(RowDigest.Family.INTEGER, 0));
        assertThat(RowDigest.kind("BOOLEAN", 1, 0, false)).isEqualTo(RowDigest.kind("bool", 1, 0, true));
        assertThat(RowDigest.kind("DECIMAL", 10, 2, false)).isEqualTo(RowDigest.kind("numeric", 10, 2, true));
        assertThat(RowDigest.kind("DECIMAL", 10, 2, false)).isNotEqualTo(RowDigest.kind("numeric", 12, 4, true));
        assertThat(RowDigest.kind("numeric", 20, 0, true)).isEqualTo(RowDigest.kind("BIGINT UNSIGNED", 20, 0, false));
        assertThat(RowDigest.kind("numeric", 0, 0, true)).as("unconstrained numeric: no scale to render with").isEmpty();
        RowDigest.ColumnKind mariaChar = RowDigest.kind("CHAR", 5, 0, false).orElseThrow();
        RowDigest.ColumnKind pgVarchar = RowDigest.kind("varchar", 5, 0, true).orElseThrow();
        RowDigest.ColumnKind pgChar = RowDigest.kind("bpchar", 5, 0, true).orElseThrow();
        assertThat(RowDigest.alike(mariaChar, pgVarchar, ValueForm.Hint.FIXED_CHAR)).as("MariaDB sends CHAR unpadded").isTrue();
        assertThat(RowDigest.alike(pgChar, mariaChar, ValueForm.Hint.FIXED_CHAR)).isTrue();
        assertThat(RowDigest.alike(pgVarchar, pgChar, ValueForm.Hint.PLAIN))
                .as("a varchar source against a padded target: the normal form sees the blanks, so must the checksum").isFalse();
        assertThat(RowDigest.kind("DATETIME", 26, 6, false)).isEqualTo(RowDigest.kind("timestamp", 26, 6, true));
        assertThat(RowDigest.kind("LONGBLOB", 0, 0, false)).isEqualTo(RowDigest.kind("bytea", 0, 0, true));
        for (String t : List.of("TIMESTAMP", "FLOAT", "DOUBLE", "JSON", "TIME", "YEAR", "BIT")) {
            assertThat(RowDigest.kind(t, 10, 0, false)).as(t).isEmpty();
        }
        for (String t : List.of("timestamptz", "float8", "jsonb", "uuid", "interval", "time")) {
            assertThat(RowDigest.kind(t, 10, 0, true)).as(t).isEmpty();
        }
    }

    @Test
    void bothEnginesSumTheSameSixtyBitPrefixOfEachRowsMd5() {
        String pg = RowDigest.selectList(List.of("\"id\"", "\"t\""), List.of(new RowDigest.ColumnKind(RowDigest.Family.INTEGER, 0),
                new RowDigest.ColumnKind(RowDigest.Family.TEXT, 0)), true);
        assertThat(pg).isEqualTo("count(*), coalesce(sum(('x' || substr(md5(COALESCE(\"id\"::text, '~') || ',' || "
                + "COALESCE(length(\"t\"::text)::text || ':' || \"t\"::text, '~')), 1, 15))::bit(60)::bigint), 0)");
        String my = RowDigest.selectList(List.of("`id`", "`t`"), List.of(new RowDigest.ColumnKind(RowDigest.Family.INTEGER, 0),
                new RowDigest.ColumnKind(RowDigest.Family.TEXT, 0)), false);
        assertThat(my).isEqualTo("COUNT(*), COALESCE(SUM(CAST(CONV(SUBSTR(MD5(CONCAT(COALESCE(CAST(`id` AS CHAR), '~'), ',', "
                + "COALESCE(CONCAT(CHAR_LENGTH(`t`), ':', CONVERT(`t` USING utf8mb4)), '~'))), 1, 15), 16, 10) AS UNSIGNED)), 0)");
    }

    @Test
    void chainedHashesSeedEachColumnWithThePreviousAndFlipTheSeedForNull() {
        String sql = ChecksumForm.ROW_CHAIN.postgresSelectList(List.of("\"id\"", "\"t\""), List.of("int4", "text"));
        assertThat(sql).isEqualTo("count(*), coalesce(sum(hashtextextended(coalesce(\"t\", '') COLLATE \"C\", "
                + "(hashint4extended(coalesce(\"id\", 0), (0::int8) # (CASE WHEN \"id\" IS NULL THEN 1540483477 ELSE 0 END))) "
                + "# (CASE WHEN \"t\" IS NULL THEN 3080966954 ELSE 0 END))), 0)");
        assertThat(ChecksumForm.ROW_HASH.postgresSelectList(List.of("\"id\"", "\"t\""), List.of("int4", "bytea")))
                .isEqualTo("count(*), coalesce(sum(hash_record_extended(ROW(\"id\", \"t\"), 0)), 0)");
    }
}
