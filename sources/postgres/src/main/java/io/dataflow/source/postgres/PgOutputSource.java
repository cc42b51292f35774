package io.dataflow.source.postgres;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.ChangeSource;
import io.dataflow.api.Checkpoint;
import io.dataflow.api.Failure;
import io.dataflow.api.Op;
import io.dataflow.api.SourceBatch;
import io.dataflow.api.SourceException;
import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.source.debezium.DebeziumSource;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's change stream read natively ({@code streaming-engine: native}): pgoutput over pgJDBC's replication API,
 * decoded here ({@link PgOutputMessage}) into {@link ChangeEvent}s with the same schemas, values and positions the
 * Debezium reader gives, without Debezium's record path in between.
 *
 * <p>Exactly once: each batch's offset holds, as Debezium's does, the end LSN of the last transaction committed
 * ({@code lsn_commit}) and the last event's LSN. The slot is confirmed only up to the {@code lsn_commit} of batches the
 * pipeline {@linkplain #acknowledge acknowledged} (and, when everything delivered is acknowledged and no transaction is
 * open, to the server's position a keepalive reports). A restart streams again from the checkpoint's {@code
 * lsn_commit}: a transaction cut by a checkpoint arrives again whole, and its events up to the checkpoint's position
 * are dropped here, so nothing is lost or written twice.
 *
 * <p>Not supported by this reader (use the Debezium one): reload requests through the signal table, and Debezium's
 * own snapshot as the full load ({@code full-load.engine: debezium}).
 */
public final class PgOutputSource implements ChangeSource {
    private static final Logger LOG = LoggerFactory.getLogger(PgOutputSource.class);
    /** Events per batch at most; a batch also ends when the socket holds no more data. */
    static final int BATCH_EVENTS = 8192;
    /** An offset-only batch (commits without captured changes) at most this often. */
    private static final long OFFSET_ONLY_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final PipelineConfig pipeline;
    private final SourceConfig source;
    private final Set<TableId> captured;
    private final Map<String, Object> partition;
    private volatile Listener listener;
    private volatile boolean closing;
    private volatile boolean streaming;
    private volatile long acknowledged;
    private Thread reader;

    // reader thread only
    private final Map<Integer, PgStreamTable> relations = new HashMap<>();
    private final Set<Integer> ignored = new HashSet<>();
    private final io.dataflow.api.ChangePositions positions = new io.dataflow.api.ChangePositions();
    private final Map<TableId, Boolean> filtered = new HashMap<>();
    private final io.dataflow.transform.TableRules tableRules;
    private long lastCommitEnd;
    private long lastEventLsn;
    private String lastMessageType;
    private long xid = -1;
    private long commitMicros;
    private boolean inTransaction;
    private String skipUpTo;
    private long deliveredCommitEnd;
    private long confirmed;
    private long lastOffsetOnlyNanos;

    public PgOutputSource(PipelineConfig pipeline, List<TableId> tables) {
        this.pipeline = pipeline;
        this.source = pipeline.source();
        this.captured = Set.copyOf(tables);
        this.tableRules = pipeline.tableRules();
        this.partition = Map.of("server", DebeziumSource.topicPrefix(pipeline.name()));
    }

    @Override
    public void start(Checkpoint from, Listener listener) {
        this.listener = listener;
        Map<String, Object> offset = offset(from.sourceOffset());
        lastCommitEnd = number(offset.get("lsn_commit"));
        lastEventLsn = number(offset.get("lsn"));
        lastMessageType = offset.get("messageType") instanceof String t ? t : null;
        deliveredCommitEnd = lastCommitEnd;
        acknowledged = lastCommitEnd;
        confirmed = lastCommitEnd;
        skipUpTo = from.position().startsWith("1-") ? from.position() : null;
        reader = new Thread(this::run, "dataflow-pgoutput-" + pipeline.name());
        reader.setDaemon(true);
        reader.start();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> offset(Map<String, Object> sourceOffset) {
        return sourceOffset.get("offset") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : o instanceof String s && !s.isEmpty() ? Long.parseLong(s) : 0;
    }

    private void run() {
        try (Connection catalog = connect(Map.of());
                Connection replication = connect(Map.of("replication", "database", "assumeMinServerVersion", "10",
                        "preferQueryMode", "simple", "options", SESSION_OPTIONS))) {
            ensureSlot(catalog, replication);
            PGReplicationStream stream = replication.unwrap(PGConnection.class).getReplicationAPI().replicationStream().logical()
                    .withSlotName(source.slot())
                    .withStartPosition(LogSequenceNumber.valueOf(lastCommitEnd))
                    .withSlotOption("proto_version", "1")
                    .withSlotOption("publication_names", source.publication())
                    .withStatusInterval(1, TimeUnit.SECONDS)
                    .start();
            LOG.info("streaming from slot {} (publication {}) with the native pgoutput reader, after LSN {}", source.slot(),
                    source.publication(), LogSequenceNumber.valueOf(lastCommitEnd));
            streaming = true;
            read(stream, catalog);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            if (!closing) {
                listener.onFailure(classify(e));
            }
        }
    }

    /**
     * The walsender writes values under these settings: the ones {@link PgTextValues} reads, and {@code lc_monetary=C}
     * for {@link PgStreamTable#money} (the full load selects money as numeric instead).
     */
    static final String SESSION_OPTIONS = PgTextValues.STARTUP_OPTIONS + " -c lc_monetary=C";

    private Connection connect(Map<String, String> extra) throws SQLException {
        Map<String, String> p = new LinkedHashMap<>(Map.of("ApplicationName", "dataflow-" + pipeline.name(), "connectTimeout", "10"));
        p.putAll(extra);
        return new PostgresInspector(source).open(source, p);
    }

    /** Creates the logical slot when it is missing (a CDC-only start; the full load creates it otherwise). */
    private void ensureSlot(Connection catalog, Connection replication) throws SQLException {
        try (PreparedStatement st = catalog.prepareStatement("select plugin from pg_replication_slots where slot_name = ?")) {
            st.setString(1, source.slot());
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    if (!"pgoutput".equals(rs.getString(1))) {
                        throw new SourceException("replication slot " + source.slot() + " uses the output plugin " + rs.getString(1)
                                + ", not pgoutput; drop it (select pg_drop_replication_slot('" + source.slot() + "')) or set source.slot", true, null);
                    }
                    return;
                }
            }
        }
        replication.unwrap(PGConnection.class).getReplicationAPI().createReplicationSlot().logical()
                .withSlotName(source.slot()).withOutputPlugin("pgoutput").make();
        LOG.info("replication slot {} created", source.slot());
    }

    private void read(PGReplicationStream stream, Connection catalog) throws SQLException, InterruptedException {
        List<ChangeEvent> batch = new ArrayList<>();
        long idleNanos = 0;
        while (!closing) {
            ByteBuffer message = stream.readPending();
            if (message == null) {
                if (!batch.isEmpty() || offsetOnlyDue()) {
                    batch = deliver(batch);
                }
                confirm(stream);
                idleNanos = Math.min(Math.max(idleNanos * 2, 250_000), 8_000_000);
                LockSupport.parkNanos(idleNanos);
                continue;
            }
            idleNanos = 0;
            handle(PgOutputMessage.decode(message), stream.getLastReceiveLSN().asLong(), batch, catalog);
            if (batch.size() >= BATCH_EVENTS) {
                batch = deliver(batch);
                confirm(stream);
            }
        }
    }

    /** Commits passed since the last batch, none of them with captured changes: their offset is worth a checkpoint now and then. */
    private boolean offsetOnlyDue() {
        long now = System.nanoTime();
        if (lastCommitEnd != deliveredCommitEnd && !inTransaction && now - lastOffsetOnlyNanos >= OFFSET_ONLY_EVERY_NANOS) {
            lastOffsetOnlyNanos = now;
            return true;
        }
        return false;
    }

    private List<ChangeEvent> deliver(List<ChangeEvent> events) throws InterruptedException {
        Map<String, Object> off = new LinkedHashMap<>();
        off.put("lsn", lastEventLsn);
        off.put("lsn_proc", lastEventLsn);
        off.put("lsn_commit", lastCommitEnd);
        if (lastMessageType != null) {
            off.put("messageType", lastMessageType);
        }
        if (xid >= 0) {
            off.put("txId", xid);
            off.put("ts_usec", commitMicros);
        }
        Map<String, Object> offset = new LinkedHashMap<>();
        offset.put("partition", partition);
        offset.put("offset", off);
        deliveredCommitEnd = lastCommitEnd;
        listener.onBatch(new SourceBatch(events, offset, true, lastCommitEnd));
        return new ArrayList<>();
    }

    /**
     * Tells the server how far the slot may advance: the {@code lsn_commit} of the last acknowledged batch; when every
     * delivered batch is acknowledged and no transaction is open, the position the server last reported.
     */
    private void confirm(PGReplicationStream stream) throws SQLException {
        long upTo = acknowledged;
        if (upTo == deliveredCommitEnd && deliveredCommitEnd == lastCommitEnd && !inTransaction) {
            upTo = Math.max(upTo, stream.getLastReceiveLSN().asLong());
        }
        if (upTo > confirmed) {
            LogSequenceNumber lsn = LogSequenceNumber.valueOf(upTo);
            stream.setFlushedLSN(lsn);
            stream.setAppliedLSN(lsn);
            stream.forceUpdateStatus();
            confirmed = upTo;
        }
    }

    private void handle(PgOutputMessage m, long lsn, List<ChangeEvent> batch, Connection catalog) throws SQLException {
        if (m instanceof PgOutputMessage.Begin b) {
            inTransaction = true;
            xid = b.xid();
            commitMicros = b.commitMicros();
            processed(lsn, "BEGIN");
            return;
        }
        if (m instanceof PgOutputMessage.Commit) {
            inTransaction = false;
            lastCommitEnd = lsn;
            processed(lsn, "COMMIT");
            return;
        }
        if (m instanceof PgOutputMessage.Relation r) {
            TableId id = new TableId(r.namespace(), r.name());
            relations.remove(r.oid());
            ignored.remove(r.oid());
            if (captured.contains(id)) {
                relations.put(r.oid(), PgStreamTable.describe(catalog, r));
            } else {
                ignored.add(r.oid());
            }
        } else if (m instanceof PgOutputMessage.Insert i) {
            PgStreamTable t = table(i.relation());
            if (t != null) {
                List<String> unchanged = new ArrayList<>(0);
                add(batch, t, Op.INSERT, t.values(i.row(), unchanged), unchanged, null, lsn);
            }
            processed(lsn, "INSERT");
        } else if (m instanceof PgOutputMessage.Update u) {
            update(u, lsn, batch);
            processed(lsn, "UPDATE");
        } else if (m instanceof PgOutputMessage.Delete d) {
            PgStreamTable t = table(d.relation());
            if (t != null) {
                add(batch, t, Op.DELETE, t.values(d.old(), new ArrayList<>(0)), List.of(), null, lsn);
            }
            processed(lsn, "DELETE");
        } else if (m instanceof PgOutputMessage.Truncate tr) {
            for (int rel : tr.relations()) {
                PgStreamTable t = table(rel);
                if (t != null) {
                    LOG.info("TRUNCATE of {} in the source", t.id());
                    add(batch, t, Op.TRUNCATE, new Object[t.schema().columns().size()], List.of(), null, lsn);
                }
            }
            processed(lsn, "TRUNCATE");
        }
    }

    /**
     * The last message taken, as Debezium's offset names it ({@code lsn}, {@code lsn_proc}, {@code messageType}): the
     * LSN of the last transaction boundary or row change, not the highest LSN seen (a transaction's changes may lie
     * before the previous commit in the WAL), so that the Debezium reader resumes from a checkpoint this one wrote.
     */
    private void processed(long lsn, String messageType) {
        lastEventLsn = lsn;
        lastMessageType = messageType;
    }

    /**
     * An UPDATE; one that gives the row another primary key becomes a delete of the old key and an insert, as the
     * Debezium reader emits it.
     */
    private void update(PgOutputMessage.Update u, long lsn, List<ChangeEvent> batch) {
        PgStreamTable t = table(u.relation());
        if (t == null) {
            return;
        }
        List<String> unchanged = new ArrayList<>(0);
        Object[] row = t.values(u.row(), unchanged);
        Object[] old = u.old() == null ? null : t.values(u.old(), new ArrayList<>(0));
        if (old != null && !t.keyless() && !t.sameKey(old, row)) {
            add(batch, t, Op.DELETE, old, List.of(), null, lsn);
            add(batch, t, Op.INSERT, row, unchanged, null, lsn);
            return;
        }
        Object[] before = u.oldKind() == 'O' && (t.keyless() || filtered.computeIfAbsent(t.id(), tableRules::filters)) ? old : null;
        add(batch, t, Op.UPDATE, row, unchanged, before, lsn);
    }

    private PgStreamTable table(int relation) {
        PgStreamTable t = relations.get(relation);
        if (t == null && !ignored.contains(relation)) {
            throw new IllegalStateException("pgoutput sent a change of relation " + Integer.toUnsignedString(relation)
                    + " before describing it");
        }
        return t;
    }

    private void add(List<ChangeEvent> batch, PgStreamTable t, Op op, Object[] row, List<String> unchanged, Object[] before, long lsn) {
        String position = positions.next(lastCommitEnd, lsn);
        if (skipUpTo != null) {
            if (position.compareTo(skipUpTo) <= 0) {
                return; // made durable before the restart: the stream sends a transaction cut by a checkpoint again, whole
            }
            skipUpTo = null;
        }
        // a TRUNCATE carries no transaction id, as in the Debezium reader's events
        String tx = op == Op.TRUNCATE ? "" : Long.toString(xid);
        batch.add(new ChangeEvent(t.schema(), op, row, position, commitMicros, tx, false, unchanged, before));
    }

    private RuntimeException classify(Throwable e) {
        if (e instanceof SourceException s) {
            return s;
        }
        if (e instanceof OutOfMemoryError oom) {
            return new Failure.OutOfMemoryWhile("streaming changes from PostgreSQL", oom);
        }
        if (e instanceof SQLException sql && sql.getSQLState() != null && !sql.getSQLState().startsWith("08")) {
            SourceException explained = new PostgresInspector(source).explain(sql);
            if (explained.permanent()) {
                return explained;
            }
        }
        String text = Failure.messages(e);
        boolean permanent = PostgresDialect.permanent(text) || Failure.mentionsPermanentCause(text) || e instanceof IllegalStateException;
        return new SourceException("source failed: " + text + (permanent ? "; fix the source settings (run 'dataflow check --config ...')" : ""),
                permanent, e);
    }

    @Override
    public boolean streaming() {
        return streaming;
    }

    @Override
    public void acknowledge(SourceBatch upTo) {
        if (upTo.ackToken() instanceof Long lsn && lsn > acknowledged) {
            acknowledged = lsn;
        }
    }

    @Override
    public void close() {
        closing = true;
        Thread t = reader;
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.warn("the pgoutput reader did not stop within 30 s; abandoning its thread");
            }
        }
    }
}
