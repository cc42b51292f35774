package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What real PostgreSQL schemas contain: a partitioned table (changes land in partitions), a table without primary
 * key (its UPDATE and DELETE must keep working once published), a view (not replicated) and a trigger that writes
 * an audit table.
 */
class RealSchemaIT {
    @TempDir
    Path lake;

    @Test
    void partitionsNoKeyTablesViewsAndTriggers() throws Exception {
        try (TestDatabase db = TestDatabase.create(); LakeReader reader = new LakeReader(lake)) {
            db.execute("create table orders (id int, region text, amount int, primary key (id, region)) partition by list (region)",
                    "create table orders_eu partition of orders for values in ('eu')",
                    "create table orders_us partition of orders for values in ('us')",
                    "insert into orders values (1, 'eu', 10), (2, 'us', 20)",
                    "create table events (what text, seen int)",
                    "insert into events values ('boot', 1)",
                    "create view big_orders as select * from orders where amount > 15",
                    "create table audit (order_id int, note text)",
                    "create function log_order() returns trigger language plpgsql as $$ begin insert into audit values (new.id, 'changed'); "
                            + "return new; end $$",
                    "create trigger orders_audit after update on orders_eu for each row execute function log_order()");
            try (RunningPipeline p = new RunningPipeline(db.pipelineYaml("real", "full-load-and-cdc", lake.toString(), "public.*"), Map.of())) {
                p.awaitFullLoad();
                db.execute("insert into orders values (3, 'us', 30)", "update orders set amount = 11 where id = 1",
                        "update events set seen = 2 where what = 'boot'", "delete from events where what = 'boot'");
                RunningPipeline.await(Duration.ofSeconds(60), () -> count(reader, "orders") == 4 && count(reader, "events") == 3
                        && count(reader, "audit") == 1, "changes of every table");
                assertThat(p.stop()).isZero();
            }
            assertThat(reader.query("select Op, id, region, amount from {raw} order by _position", "real", "public", "orders"))
                    .extracting(m -> m.get("Op") + ":" + m.get("id") + ":" + m.get("region") + ":" + m.get("amount"))
                    .containsExactlyInAnyOrder("I:1:eu:10", "I:2:us:20", "I:3:us:30", "U:1:eu:11");
            assertThat(reader.query("select Op, what, seen from {raw} order by _position", "real", "public", "events"))
                    .extracting(m -> m.get("Op") + ":" + m.get("what") + ":" + m.get("seen"))
                    .containsExactly("I:boot:1", "U:boot:2", "D:boot:2");
            assertThat(reader.hasFiles("real", "public", "big_orders")).as("views are not tables").isFalse();
            assertThat(reader.hasFiles("real", "public", "orders_eu")).as("partitions are written under their table").isFalse();
        }
    }

    private static long count(LakeReader reader, String table) {
        try {
            return reader.hasFiles("real", "public", table)
                    ? ((Number) reader.query("select count(*) as n from {raw}", "real", "public", table).get(0).get("n")).longValue() : 0;
        } catch (Exception e) {
            return 0;
        }
    }
}
