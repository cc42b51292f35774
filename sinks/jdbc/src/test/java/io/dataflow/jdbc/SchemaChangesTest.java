package io.dataflow.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.Column;
import io.dataflow.api.LogicalType;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.api.catalog.Engine;
import io.dataflow.config.PipelineConfig;
import io.dataflow.convert.TargetDialect;
import io.dataflow.convert.TargetTable;
import io.dataflow.runtime.SinkCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a changed event schema is read against the target table: renames, drops, adds and type changes. */
class SchemaChangesTest {
    private static final TableId T = new TableId("shop", "items");

    /** The source's catalog "now", as the converter would give it: name to target type. */
    private static SchemaChanges changes(Map<String, String> catalogNow) {
        return new SchemaChanges(TargetDialect.of(Engine.POSTGRES), Engine.POSTGRES,
                id -> Optional.of(table(new ArrayList<>(catalogNow.keySet()), catalogNow)), PipelineConfig.Ddl.APPLY, true, new SinkCounters());
    }

    private static TargetTable table(List<String> names, Map<String, String> types) {
        List<TargetTable.TargetColumn> cols = new ArrayList<>();
        for (String n : names) {
            cols.add(new TargetTable.TargetColumn(n, n, types.get(n), true, null, false, List.of(), null, null, null));
        }
        return new TargetTable(T, T, cols, List.of("id"), List.of("id"), List.of(), List.of());
    }

    private static TableSchema schema(String... names) {
        List<Column> cols = new ArrayList<>();
        for (String n : names) {
            cols.add(new Column(n, LogicalType.of(LogicalType.Kind.STRING), true));
        }
        return new TableSchema(T, cols, List.of("id"));
    }

    private static List<String> describe(List<ColumnChange> changes) {
        return changes.stream().map(ColumnChange::describe).toList();
    }

    @Test
    void aColumnThatVanishedWhereOneOfTheSameTypeAppearedWasRenamed() throws Exception {
        Map<String, String> now = new java.util.LinkedHashMap<>(Map.of());
        now.put("id", "integer");
        now.put("remark", "text");
        now.put("qty", "integer");
        TargetTable target = table(List.of("id", "note", "qty"), Map.of("id", "integer", "note", "text", "qty", "integer"));
        assertThat(describe(changes(now).diff(target, schema("id", "remark", "qty"), false))).containsExactly("column note renamed to remark");
    }

    @Test
    void anotherTypeInTheSamePlaceIsADropAndAnAdd() throws Exception {
        Map<String, String> now = new java.util.LinkedHashMap<>();
        now.put("id", "integer");
        now.put("remark", "bigint");
        TargetTable target = table(List.of("id", "note"), Map.of("id", "integer", "note", "text"));
        assertThat(describe(changes(now).diff(target, schema("id", "remark"), false)))
                .containsExactly("column note dropped", "column remark bigint added");
    }

    @Test
    void renamesAndDropsInDifferentGapsAreToldApart() throws Exception {
        Map<String, String> now = new java.util.LinkedHashMap<>();
        now.put("id", "integer");
        now.put("b2", "text");
        now.put("c", "text");
        now.put("e", "text");
        TargetTable target = table(List.of("id", "b", "c", "d", "e"), Map.of("id", "integer", "b", "text", "c", "text", "d", "text", "e", "text"));
        assertThat(describe(changes(now).diff(target, schema("id", "b2", "c", "e"), false)))
                .containsExactly("column b renamed to b2", "column d dropped");
    }

    @Test
    void typesAreComparedOnlyWhenAsked() throws Exception {
        Map<String, String> now = new java.util.LinkedHashMap<>();
        now.put("id", "integer");
        now.put("name", "varchar(60)");
        now.put("qty", "smallint");
        TargetTable target = table(List.of("id", "name", "qty"), Map.of("id", "integer", "name", "varchar(20)", "qty", "integer"));
        assertThat(changes(now).diff(target, schema("id", "name", "qty"), false)).isEmpty();
        List<ColumnChange> changed = changes(now).diff(target, schema("id", "name", "qty"), true);
        assertThat(describe(changed)).containsExactly("column name changed from varchar(20) to varchar(60) (widening)",
                "column qty changed from integer to smallint (narrowing or incompatible)");
        assertThat(changed).extracting(ColumnChange::safe).containsExactly(true, false);
    }

    @Test
    void columnsNotKnownToComeFromTheSourceStayWhenTheTargetIsNotOurs() throws Exception {
        Map<String, String> now = new java.util.LinkedHashMap<>();
        now.put("id", "integer");
        SchemaChanges kept = new SchemaChanges(TargetDialect.of(Engine.POSTGRES), Engine.POSTGRES,
                id -> Optional.of(table(List.of("id"), now)), PipelineConfig.Ddl.APPLY, false, new SinkCounters());
        // audit_by was added to the target by hand (table-prep: keep): not in any event or conversion
        TargetTable target = table(List.of("id", "audit_by"), Map.of("id", "integer", "audit_by", "text"));
        assertThat(kept.diff(target, schema("id"), false)).isEmpty();
    }
}
