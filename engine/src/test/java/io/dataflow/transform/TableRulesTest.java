package io.dataflow.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.Column;
import io.dataflow.api.LoadBatch;
import io.dataflow.api.LogicalType;
import io.dataflow.api.LogicalType.Kind;
import io.dataflow.api.Op;
import io.dataflow.api.TableId;
import io.dataflow.api.TableSchema;
import io.dataflow.transform.Rule.Level;
import io.dataflow.transform.Rule.NameAction;
import io.dataflow.transform.Rule.Where;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableRulesTest {
    private static final TableId ORDERS = new TableId("shop", "orders");
    private static final TableId CUSTOMERS = new TableId("shop", "customers");
    private static final TableSchema ORDERS_SCHEMA = new TableSchema(ORDERS, List.of(
            new Column("id", LogicalType.of(Kind.INT64), false),
            new Column("Region", LogicalType.of(Kind.STRING), true),
            new Column("amount", LogicalType.decimal(12, 2), true),
            new Column("note", LogicalType.of(Kind.STRING), true),
            new Column("email", LogicalType.of(Kind.STRING), true)), List.of("id"));
    private static final TableSchema CUSTOMERS_SCHEMA = new TableSchema(CUSTOMERS, List.of(
            new Column("id", LogicalType.of(Kind.INT64), false),
            new Column("email", LogicalType.of(Kind.STRING), true),
            new Column("phone", LogicalType.of(Kind.STRING), true)), List.of("id"));

    private static Rule.Name name(Level level, Where where, NameAction action, String value, String with) {
        return new Rule.Name("t", level, where, action, value, with);
    }

    private static Where table(String schema, String table) {
        return new Where(schema, table, null);
    }

    private static Where column(String schema, String table, String column) {
        return new Where(schema, table, column);
    }

    private static TableRules rules(Rule... rules) {
        return new TableRules(List.of(rules), "p1", "sourcedb");
    }

    private static ChangeEvent event(TableSchema s, Op op, Object... row) {
        return new ChangeEvent(s, op, row, "0000000010", 5L, "tx1", false);
    }

    @Test
    void namesChangeInOrderAndRulesSelectBySourceNames() {
        TableRules r = rules(
                name(Level.SCHEMA, table("shop", "*"), NameAction.RENAME, "sales", ""),
                name(Level.TABLE, table("shop", "orders"), NameAction.RENAME, "purchase_orders", ""),
                name(Level.TABLE, table("*", "*"), NameAction.ADD_PREFIX, "raw_", ""),
                name(Level.COLUMN, column("*", "*", "*"), NameAction.LOWERCASE, "", ""),
                name(Level.COLUMN, column("shop", "orders", "amount"), NameAction.RENAME, "total", ""),
                name(Level.COLUMN, column("shop", "orders", "to*"), NameAction.UPPERCASE, "", ""), // source names: nothing is to*
                name(Level.COLUMN, column("shop", "orders", "no?e"), NameAction.REPLACE_PREFIX, "no", "remark_"),
                name(Level.TABLE, table("shop", "cust*"), NameAction.REMOVE_SUFFIX, "ers", ""));
        assertThat(r.target(ORDERS)).isEqualTo(new TableId("sales", "raw_purchase_orders"));
        assertThat(r.target(CUSTOMERS)).isEqualTo(new TableId("sales", "raw_custom"));
        TablePlan p = r.plan(ORDERS_SCHEMA);
        assertThat(p.target().columns().stream().map(Column::name)).containsExactly("id", "region", "total", "remark_te", "email");
        assertThat(p.target().keyColumns()).containsExactly("id");
        ChangeEvent out = p.apply(event(ORDERS_SCHEMA, Op.INSERT, 1L, "EU", new BigDecimal("1.00"), "n", "a@b"));
        assertThat(out.schema().id()).isEqualTo(new TableId("sales", "raw_purchase_orders"));
        assertThat(out.row()).containsExactly(1L, "EU", new BigDecimal("1.00"), "n", "a@b");
        assertThat(r.sourceOf(new TableId("sales", "raw_purchase_orders"), List.of(CUSTOMERS, ORDERS))).isEqualTo(ORDERS);
    }

    @Test
    void removedAndAddedColumnsWithMetadata() {
        TableRules r = rules(
                new Rule.RemoveColumn("t1", column("shop", "orders", "note")),
                new Rule.AddColumn("t2", table("shop", "orders"), "doubled", "amount * 2", null),
                new Rule.AddColumn("t3", table("shop", "orders"), "origin", "pipeline_name() || ':' || source_table() || ':' || operation()", null),
                new Rule.AddColumn("t4", table("shop", "orders"), "changed_at", "commit_timestamp()", null),
                new Rule.AddColumn("t5", table("shop", "orders"), "cents", "amount * 100", TypeWords.parse("int32")));
        TablePlan p = r.plan(ORDERS_SCHEMA);
        assertThat(p.target().columns().stream().map(Column::name))
                .containsExactly("id", "Region", "amount", "email", "doubled", "origin", "changed_at", "cents");
        assertThat(p.target().columns().get(4).type().kind()).isEqualTo(Kind.DECIMAL);
        assertThat(p.target().columns().get(6).type().kind()).isEqualTo(Kind.TIMESTAMP_TZ);
        ChangeEvent out = p.apply(event(ORDERS_SCHEMA, Op.UPDATE, 1L, "EU", new BigDecimal("1.25"), "n", "a@b"));
        assertThat(out.row()).containsExactly(1L, "EU", new BigDecimal("1.25"), "a@b", new BigDecimal("2.50"), "p1:orders:UPDATE", 5L, 125);
        ChangeEvent nulls = p.apply(event(ORDERS_SCHEMA, Op.INSERT, 2L, null, null, null, null));
        assertThat(nulls.row()).containsExactly(2L, null, null, null, null, "p1:orders:INSERT", 5L, null);
    }

    @Test
    void aColumnTheSourceDidNotSendStaysUnchangedAndSoDoesWhatIsComputedFromIt() {
        TableRules r = rules(
                name(Level.COLUMN, column("shop", "orders", "note"), NameAction.RENAME, "remark", ""),
                new Rule.AddColumn("t2", table("shop", "orders"), "short_note", "substr(note, 1, 3)", null));
        ChangeEvent e = new ChangeEvent(ORDERS_SCHEMA, Op.UPDATE, new Object[] {1L, "EU", null, null, null}, "p", 1L, "", false,
                List.of("note"));
        ChangeEvent out = r.plan(ORDERS_SCHEMA).apply(e);
        assertThat(out.unchanged()).containsExactly("remark", "short_note");
    }

    @Test
    void filtersTurnUpdatesThatLeaveOrEnterIntoDeletesAndInserts() {
        TableRules r = rules(new Rule.Filter("t", table("shop", "orders"), "Region = 'EU' and amount >= 0"));
        TablePlan p = r.plan(ORDERS_SCHEMA);
        Object[] in = {1L, "EU", new BigDecimal("1.00"), null, null};
        Object[] out = {1L, "US", new BigDecimal("1.00"), null, null};
        assertThat(p.apply(event(ORDERS_SCHEMA, Op.INSERT, in)).op()).isEqualTo(Op.INSERT);
        assertThat(p.apply(event(ORDERS_SCHEMA, Op.INSERT, out))).isNull();
        assertThat(p.apply(event(ORDERS_SCHEMA, Op.READ, out))).isNull();
        assertThat(p.apply(event(ORDERS_SCHEMA, Op.DELETE, out)).op()).isEqualTo(Op.DELETE); // a delete of a row never sent is harmless
        // without the old row: in -> UPDATE (an upsert), out -> DELETE
        assertThat(p.apply(event(ORDERS_SCHEMA, Op.UPDATE, in)).op()).isEqualTo(Op.UPDATE);
        assertThat(p.apply(event(ORDERS_SCHEMA, Op.UPDATE, out)).op()).isEqualTo(Op.DELETE);
        // with it: exact
        assertThat(p.apply(update(out, in)).op()).isEqualTo(Op.INSERT);
        assertThat(p.apply(update(in, out)).op()).isEqualTo(Op.DELETE);
        assertThat(p.apply(update(in, in)).op()).isEqualTo(Op.UPDATE);
        assertThat(p.apply(update(out, out))).isNull();
        // a NULL in the filter's columns: not kept
        assertThat(p.apply(event(ORDERS_SCHEMA, Op.INSERT, 1L, "EU", null, null, null))).isNull();
        // a filter column the source did not send (unchanged TOAST): the update stays an update
        ChangeEvent toast = new ChangeEvent(ORDERS_SCHEMA, Op.UPDATE, new Object[] {1L, null, new BigDecimal("1.00"), null, null}, "p", 1L,
                "", false, List.of("Region"));
        assertThat(p.apply(toast).op()).isEqualTo(Op.UPDATE);
    }

    private static ChangeEvent update(Object[] before, Object[] after) {
        return new ChangeEvent(ORDERS_SCHEMA, Op.UPDATE, after, "p", 1L, "", false, List.of(), before);
    }

    @Test
    void masksAreDeterministicAndJoinAcrossTables() {
        TableRules r = rules(
                new Rule.Mask("m1", column("shop", "*", "email"), Rule.MaskMethod.HASH, "k1"),
                new Rule.Mask("m2", column("shop", "customers", "phone"), Rule.MaskMethod.DIGITS_MASK, ""),
                new Rule.Mask("m3", column("shop", "orders", "note"), Rule.MaskMethod.DIGITS_RANDOMIZE, "k1"),
                new Rule.Mask("m4", column("shop", "orders", "amount"), Rule.MaskMethod.NULL, ""));
        ChangeEvent o = r.plan(ORDERS_SCHEMA).apply(event(ORDERS_SCHEMA, Op.INSERT, 1L, "EU", new BigDecimal("1.00"), "call 555-1234", "a@b.c"));
        ChangeEvent c = r.plan(CUSTOMERS_SCHEMA).apply(event(CUSTOMERS_SCHEMA, Op.INSERT, 7L, "a@b.c", "+1 (555) 010-99"));
        assertThat(o.row()[4]).isEqualTo(c.row()[1]).asString().hasSize(64).doesNotContain("a@b");
        assertThat(c.row()[2]).isEqualTo("+# (###) ###-##");
        assertThat((String) o.row()[3]).matches("call \\d{3}-\\d{4}").isNotEqualTo("call 555-1234");
        assertThat(r.plan(ORDERS_SCHEMA).apply(event(ORDERS_SCHEMA, Op.INSERT, 1L, "EU", null, "call 555-1234", null)).row()[3])
                .isEqualTo(o.row()[3]);
        assertThat(o.row()[2]).isNull();
        assertThat(r.plan(ORDERS_SCHEMA).target().columns().get(2).nullable()).isTrue();
        TableRules otherKey = rules(new Rule.Mask("m1", column("shop", "*", "email"), Rule.MaskMethod.HASH, "k2"));
        assertThat(otherKey.plan(CUSTOMERS_SCHEMA).apply(event(CUSTOMERS_SCHEMA, Op.INSERT, 7L, "a@b.c", null)).row()[1])
                .isNotEqualTo(c.row()[1]);
    }

    @Test
    void keysAndCollisions() {
        TableSchema keyless = new TableSchema(new TableId("shop", "events"), ORDERS_SCHEMA.columns(), List.of());
        TableRules defined = rules(new Rule.DefineKey("k", table("shop", "events"), List.of("Region", "id")),
                name(Level.COLUMN, column("shop", "events", "Region"), NameAction.LOWERCASE, "", ""));
        assertThat(defined.plan(keyless).target().keyColumns()).containsExactly("region", "id");
        assertThatThrownBy(() -> rules(new Rule.RemoveColumn("transform[2]", column("shop", "orders", "id"))).plan(ORDERS_SCHEMA))
                .hasMessageContaining("the source's primary key names column id, which a remove-column rule removes");
        assertThatThrownBy(() -> rules(name(Level.COLUMN, column("shop", "orders", "note"), NameAction.RENAME, "email", "")).plan(ORDERS_SCHEMA))
                .hasMessageContaining("column email and column note would both be column email");
        assertThatThrownBy(() -> rules(new Rule.AddColumn("transform[0]", table("shop", "orders"), "id", "1", null)).plan(ORDERS_SCHEMA))
                .hasMessageContaining("transform[0] (add-column) and column id would both be column id");
        assertThatThrownBy(() -> rules(new Rule.AddColumn("transform[0]", table("shop", "orders"), "x", "nope + 1", null)).plan(ORDERS_SCHEMA))
                .hasMessageContaining("transform[0]: no column nope");
    }

    @Test
    void fullLoadBatchesShareArraysWhenOnlyNamesChangeAndAreRebuiltOtherwise() {
        LoadBatch b = new LoadBatch(ORDERS_SCHEMA, 4, 77, 5);
        for (long i = 1; i <= 4; i++) {
            int row = b.addRow(i);
            b.set(row, 0, i);
            b.set(row, 1, i % 2 == 0 ? "EU" : "US");
            b.set(row, 2, new BigDecimal(i + ".50"));
            b.set(row, 3, "note " + i);
            b.set(row, 4, "u" + i + "@x");
        }
        TableRules renames = rules(name(Level.TABLE, table("shop", "orders"), NameAction.UPPERCASE, "", ""));
        LoadBatch view = renames.plan(ORDERS_SCHEMA).apply(b, null);
        assertThat(view.schema().id()).isEqualTo(new TableId("shop", "ORDERS"));
        assertThat(view.longs(0)).isSameAs(b.longs(0));

        TableRules rules = rules(new Rule.Filter("f", table("shop", "orders"), "Region = 'EU'"),
                new Rule.RemoveColumn("r", column("shop", "orders", "note")),
                new Rule.Mask("m", column("shop", "orders", "email"), Rule.MaskMethod.DIGITS_MASK, ""),
                new Rule.AddColumn("a", table("shop", "orders"), "pos", "change_position() || '/' || operation()", null));
        LoadBatch out = rules.plan(ORDERS_SCHEMA).apply(b, null);
        assertThat(out.size()).isEqualTo(2);
        assertThat(Arrays.asList(out.row(0))).containsExactly(2L, "EU", new BigDecimal("2.50"), "u#@x", b.position(1) + "/LOAD");
        assertThat(out.ordinal(1)).isEqualTo(4);
        assertThat(rules.plan(ORDERS_SCHEMA).apply(b, out)).isSameAs(out);
    }

    @Test
    void truncatesKeepTheirPlaceUnderTheNewName() {
        TableRules r = rules(name(Level.TABLE, table("shop", "orders"), NameAction.RENAME, "o", ""),
                new Rule.Filter("f", table("shop", "orders"), "Region = 'EU'"));
        ChangeEvent t = r.plan(ORDERS_SCHEMA).apply(new ChangeEvent(ORDERS_SCHEMA, Op.TRUNCATE, new Object[5], "p", 1L, "", false));
        assertThat(t.op()).isEqualTo(Op.TRUNCATE);
        assertThat(t.schema().id()).isEqualTo(new TableId("shop", "o"));
    }
}
