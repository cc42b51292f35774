package io.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.testing.LakeReader;
import io.dataflow.testing.TestDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A table {@code accounts} and one writer thread committing random inserts, updates, deletes and
 * multi-statement transactions, keeping the exact log of what it committed, in commit order. The lake is
 * then checked against that log (nothing lost, nothing duplicated, in order) and against the table.
 */
final class Workload implements AutoCloseable {
    static final String TABLE = "accounts";
    private final TestDb db;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> live = new ArrayList<>();
    private final Random random = new Random(7);
    private volatile boolean running;
    private volatile Exception failure;
    private Thread thread;
    private long nextId;
    private final int delayMillis;

    Workload(TestDb db, int initialRows, int delayMillis) throws SQLException {
        this.db = db;
        this.delayMillis = delayMillis;
        if (db.type().equals("postgres")) {
            db.execute("create table accounts (id bigint primary key, balance bigint not null, note text, updated_at timestamptz default now())",
                    "insert into accounts (id, balance, note) select i, i * 10, 'initial ' || i from generate_series(1, " + initialRows + ") i");
        } else {
            db.execute("create table accounts (id bigint primary key, balance bigint not null, note text, "
                            + "updated_at timestamp(6) default current_timestamp(6)) engine=InnoDB",
                    "insert into accounts (id, balance, note) select seq, seq * 10, concat('initial ', seq) from seq_1_to_" + initialRows);
        }
        for (long i = 1; i <= initialRows; i++) {
            live.add(i);
        }
        nextId = initialRows + 1;
    }

    void start() {
        running = true;
        thread = new Thread(this::loop, "workload");
        thread.start();
    }

    boolean running() {
        return running;
    }

    long committed() {
        return log.size();
    }

    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(30_000);
        }
        if (failure != null) {
            throw new AssertionError("workload failed", failure);
        }
    }

    private void loop() {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ins = c.prepareStatement("insert into accounts (id, balance, note) values (?, ?, ?)");
                    PreparedStatement upd = c.prepareStatement("update accounts set balance = ?, note = ?, updated_at = current_timestamp where id = ?");
                    PreparedStatement del = c.prepareStatement("delete from accounts where id = ?")) {
                while (running) {
                    int statements = random.nextInt(10) == 0 ? 2 + random.nextInt(4) : 1;
                    List<String> tx = new ArrayList<>();
                    for (int s = 0; s < statements; s++) {
                        int kind = random.nextInt(10);
                        if (kind < 4 || live.isEmpty()) {
                            long id = nextId++;
                            long balance = random.nextInt(1_000_000);
                            ins.setLong(1, id);
                            ins.setLong(2, balance);
                            ins.setString(3, "n" + id);
                            ins.executeUpdate();
                            live.add(id);
                            tx.add("I:" + id + ":" + balance);
                        } else if (kind < 9) {
                            long id = live.get(random.nextInt(live.size()));
                            long balance = random.nextInt(1_000_000);
                            upd.setLong(1, balance);
                            upd.setString(2, "u" + balance);
                            upd.setLong(3, id);
                            upd.executeUpdate();
                            tx.add("U:" + id + ":" + balance);
                        } else {
                            long id = live.remove(random.nextInt(live.size()));
                            del.setLong(1, id);
                            del.executeUpdate();
                            tx.add("D:" + id + ":null");
                        }
                    }
                    c.commit();
                    log.addAll(tx);
                    if (delayMillis > 0) {
                        Thread.sleep(delayMillis);
                    }
                }
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    /** The streamed changes in the lake, in position order, as the log spells them. */
    List<String> lakeLog(LakeReader reader, String pipeline) throws SQLException {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : reader.query("select Op, id, balance from {raw} where _position like '1-%' order by _position",
                pipeline, db.schema(), TABLE)) {
            out.add(r.get("Op") + ":" + r.get("id") + ":" + (r.get("Op").equals("D") ? "null" : r.get("balance")));
        }
        return out;
    }

    /** The table as replaying the raw zone by position gives it: id -> balance|note. */
    List<String> replay(LakeReader reader, String pipeline) throws SQLException {
        List<String> out = new ArrayList<>();
        // a T row (TRUNCATE, or a reload's start) empties the table: the state starts again after the last one
        for (Map<String, Object> r : reader.query("select id, balance, note from (select *, row_number() over "
                + "(partition by id order by _position desc) as rn from {raw} where _position > "
                + "(select coalesce(max(_position), '') from {raw} where Op = 'T')) where rn = 1 and Op <> 'D' order by id",
                pipeline, db.schema(), TABLE)) {
            out.add(r.get("id") + "|" + r.get("balance") + "|" + r.get("note"));
        }
        return out;
    }

    List<String> source() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select id, balance, note from accounts order by id")) {
            while (rs.next()) {
                out.add(rs.getLong(1) + "|" + rs.getLong(2) + "|" + rs.getString(3));
            }
        }
        return out;
    }

    List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** Exactly once: no duplicate position, the streamed log equals what was committed, the replay equals the table. */
    void assertLakeExact(LakeReader reader, String pipeline, long fullLoadRows) throws SQLException {
        Map<String, Object> counts = reader.query("select count(*) as n, count(distinct _position) as d, "
                + "count(*) filter (where _position like '0-%') as loaded from {raw}", pipeline, db.schema(), TABLE).get(0);
        assertThat(((Number) counts.get("n")).longValue()).as("rows vs distinct positions (duplicates)")
                .isEqualTo(((Number) counts.get("d")).longValue());
        assertThat(((Number) counts.get("loaded")).longValue()).as("full-load rows").isEqualTo(fullLoadRows);
        assertThat(lakeLog(reader, pipeline)).as("streamed changes vs committed log").containsExactlyElementsOf(log());
        assertThat(replay(reader, pipeline)).as("raw zone replayed by _position vs source table").containsExactlyElementsOf(source());
    }

    /** True once the lake holds every committed change. */
    boolean caughtUp(LakeReader reader, String pipeline) {
        try {
            if (!reader.hasFiles(pipeline, db.schema(), TABLE)) {
                return false;
            }
            long n = ((Number) reader.query("select count(*) as n from {raw} where _position like '1-%'", pipeline, db.schema(), TABLE)
                    .get(0).get("n")).longValue();
            return n >= log.size();
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(30_000);
        }
    }
}
