package io.dataflow.cli.assess;

import java.util.List;

/**
 * What {@code dataflow assess} found: the selected tables, the source's readiness, its log retention against the
 * estimated full-load time, and a GO / NO-GO verdict with numbered reasons, each with its fix.
 *
 * @param pipeline   the pipeline's name
 * @param source     the source server and where it is (never a credential)
 * @param mode       the pipeline's mode
 * @param targets    the targets' locations
 * @param tables     one entry per selected table
 * @param readiness  what {@code check} tests, met or not
 * @param load       the full-load estimate and the log retention it is held against
 * @param noGo       the reasons for NO-GO, in order; empty for GO
 * @param warnings   what deserves attention but does not stop the migration
 * @param seconds    how long the assessment took
 */
public record Assessment(String pipeline, String source, String mode, List<String> targets, List<TableFacts> tables,
        List<Check> readiness, LoadEstimate load, List<Reason> noGo, List<Reason> warnings, double seconds) {

    public Assessment {
        targets = List.copyOf(targets);
        tables = List.copyOf(tables);
        readiness = List.copyOf(readiness);
        noGo = List.copyOf(noGo);
        warnings = List.copyOf(warnings);
    }

    public boolean go() {
        return noGo.isEmpty();
    }

    public String verdict() {
        return go() ? "GO" : "NO-GO";
    }

    /**
     * One table.
     *
     * @param key          the columns changes are applied by (primary key, or a unique NOT NULL index); empty when none
     * @param lobs         columns whose values can be large, with their largest value
     * @param types        columns whose type does not land exactly in the pipeline's targets
     */
    public record TableFacts(String table, long estimatedRows, long sizeBytes, List<String> key, List<Lob> lobs, List<TypeNote> types) {
        public TableFacts {
            key = List.copyOf(key);
            lobs = List.copyOf(lobs);
            types = List.copyOf(types);
        }
    }

    /** A large-value column; {@code largestBytes} is -1 when the scan for it took too long. */
    public record Lob(String column, String type, long largestBytes) {}

    /** A column whose type converts lossily ({@code lossy}) or not at all / unverified ({@code unsupported}). */
    public record TypeNote(String column, String type, String target, String fidelity, String why) {}

    /** One readiness check: met or not, and the fix. */
    public record Check(boolean ok, String what, String fix) {}

    /**
     * The full-load estimate from a short measured read, and the log retention it is held against.
     *
     * @param sampledTable     the table read (the largest), or "" when every table is empty
     * @param sampledRows      rows read
     * @param sampledSeconds   in how long
     * @param bytesPerSecond   the rate, in table bytes (rows read × the table's bytes per row)
     * @param readers          parallel readers assumed
     * @param totalBytes       bytes of every selected table
     * @param estimatedSeconds the estimated full-load duration
     * @param retention        the source's log retention setting, as it reads
     * @param retentionSeconds how long the log is kept for a reader that falls behind; -1 without a time limit
     * @param retentionBytes   how much log is kept; -1 without a size limit
     * @param logBytesPerSecond change log the source wrote per second while measured; -1 when unknown
     */
    public record LoadEstimate(String sampledTable, long sampledRows, double sampledSeconds, double bytesPerSecond, int readers,
            long totalBytes, double estimatedSeconds, String retention, long retentionSeconds, long retentionBytes,
            double logBytesPerSecond) {}

    /** A numbered reason: what, and the fix. */
    public record Reason(String what, String fix) {}
}
