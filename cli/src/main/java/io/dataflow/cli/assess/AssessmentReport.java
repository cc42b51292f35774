package io.dataflow.cli.assess;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dataflow.cli.Units;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** An {@link Assessment} as Markdown (for people and tickets) and JSON (for scripts and gates). */
public final class AssessmentReport {
    private final Assessment a;

    public AssessmentReport(Assessment a) {
        this.a = a;
    }

    public String json() {
        try {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("verdict", a.verdict());
            m.put("assessment", a);
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Assessment of pipeline '").append(a.pipeline()).append("': **").append(a.verdict()).append("**\n\n");
        md.append("- source: ").append(a.source()).append('\n');
        md.append("- mode: ").append(a.mode()).append(", targets: ").append(String.join(", ", a.targets())).append('\n');
        md.append(String.format(Locale.ROOT, "- %d table(s), %s on disk, ~%,d rows; assessed in %.1f s%n%n", a.tables().size(),
                Units.bytes(a.load().totalBytes()), a.tables().stream().mapToLong(Assessment.TableFacts::estimatedRows).sum(), a.seconds()));
        if (a.go()) {
            md.append("## GO\n\nNothing found that would stop this migration").append(a.warnings().isEmpty() ? ".\n\n" : "; read the warnings.\n\n");
        } else {
            md.append("## NO-GO: ").append(a.noGo().size()).append(" reason(s)\n\n");
            int i = 1;
            for (Assessment.Reason r : a.noGo()) {
                md.append(i++).append(". ").append(r.what()).append("  \n   **Fix:** ").append(r.fix()).append('\n');
            }
            md.append('\n');
        }
        if (!a.warnings().isEmpty()) {
            md.append("## Warnings\n\n");
            for (Assessment.Reason r : a.warnings()) {
                md.append("- ").append(r.what()).append(" (").append(r.fix()).append(")\n");
            }
            md.append('\n');
        }
        Assessment.LoadEstimate l = a.load();
        md.append("## Full-load estimate and log retention\n\n");
        if (l.sampledTable().isEmpty()) {
            md.append("- no read measured (").append(a.mode().equals("cdc") ? "mode cdc loads nothing" : "every table is empty").append(")\n");
        } else {
            md.append(String.format(Locale.ROOT, "- measured read: %,d rows of %s in %.1f s (%s/s of table data)%n", l.sampledRows(),
                    l.sampledTable(), l.sampledSeconds(), Units.bytes((long) l.bytesPerSecond())));
            md.append(String.format(Locale.ROOT, "- **estimated full load: %s** (%s at %d parallel reader(s), %.0fx the read for the write side; assumes the targets keep up)%n",
                    Units.duration(Math.round(l.estimatedSeconds())), Units.bytes(l.totalBytes()), l.readers(), Assessor.LOAD_OVER_READ));
        }
        md.append("- log retention: ").append(l.retention()).append('\n');
        if (l.logBytesPerSecond() >= 0) {
            md.append("- change log written now: ").append(Units.bytes((long) l.logBytesPerSecond())).append("/s\n");
        }
        md.append("\n## Tables\n\n| table | rows (estimate) | size | key | large-value columns (largest value) | types needing attention |\n");
        md.append("|---|---:|---:|---|---|---|\n");
        for (Assessment.TableFacts t : a.tables()) {
            md.append("| ").append(t.table()).append(" | ").append(String.format(Locale.ROOT, "%,d", t.estimatedRows())).append(" | ")
                    .append(t.sizeBytes() < 0 ? "?" : Units.bytes(t.sizeBytes())).append(" | ")
                    .append(t.key().isEmpty() ? "**none**" : String.join(", ", t.key())).append(" | ")
                    .append(t.lobs().stream().map(l2 -> l2.column() + " (" + (l2.largestBytes() < 0 ? "?" : Units.bytes(l2.largestBytes())) + ")")
                            .collect(Collectors.joining(", ")))
                    .append(" | ").append(t.types().stream().map(n -> n.column() + " " + n.type() + ": " + n.fidelity() + " into " + n.target())
                            .collect(Collectors.joining("; ")))
                    .append(" |\n");
        }
        md.append("\n## Replication readiness\n\n");
        for (Assessment.Check c : a.readiness()) {
            md.append("- ").append(c.ok() ? "ok: " : "**FAIL**: ").append(c.what().replace("\n", " ")).append('\n');
        }
        return md.toString();
    }
}
