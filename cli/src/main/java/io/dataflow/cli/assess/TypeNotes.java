package io.dataflow.cli.assess;

import io.dataflow.api.TableId;
import io.dataflow.api.catalog.Engine;
import io.dataflow.api.catalog.SourceColumn;
import io.dataflow.api.catalog.SourceTable;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.TargetConfig;
import io.dataflow.convert.ConversionReport;
import io.dataflow.jdbc.Conversions;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns whose type does not land exactly in a pipeline's targets: for the lake, per the raw zone's type mapping
 * ({@link LakeTypes}); for a database target, per the schema conversion's report (the same one {@code convert} prints).
 */
final class TypeNotes {
    private final Engine engine;
    private final boolean lake;
    private final List<ConversionReport> databases = new ArrayList<>();

    TypeNotes(PipelineConfig pipeline, Engine engine, List<TableId> tables) throws SQLException {
        this.engine = engine;
        this.lake = pipeline.targets().stream().anyMatch(t -> t.type() != TargetConfig.Type.JDBC);
        List<TargetConfig> jdbc = pipeline.targets().stream().filter(t -> t.type() == TargetConfig.Type.JDBC).toList();
        if (!jdbc.isEmpty() && !tables.isEmpty()) {
            var catalog = Conversions.catalog(pipeline, tables);
            for (TargetConfig t : jdbc) {
                databases.add(Conversions.forTarget(pipeline, t.jdbc(), catalog).report());
            }
        }
    }

    List<Assessment.TypeNote> of(SourceTable table) {
        List<Assessment.TypeNote> notes = new ArrayList<>();
        if (lake) {
            for (SourceColumn c : table.columns()) {
                LakeTypes.Verdict v = LakeTypes.of(engine, c);
                if (v.fidelity() != LakeTypes.Fidelity.EXACT) {
                    notes.add(new Assessment.TypeNote(c.name(), c.columnType(), "lake",
                            v.fidelity() == LakeTypes.Fidelity.LOSSY ? "lossy" : "unsupported", v.why()));
                }
            }
        }
        for (ConversionReport report : databases) {
            for (ConversionReport.ColumnEntry e : report.columns()) {
                if (e.table().equals(table.id().toString()) && e.fidelity().equals("lossy")) {
                    notes.add(new Assessment.TypeNote(e.column(), e.sourceType(), report.target() + " as " + e.targetType(), "lossy", e.why()));
                }
            }
        }
        return notes;
    }
}
