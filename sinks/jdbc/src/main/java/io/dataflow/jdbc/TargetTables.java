package io.dataflow.jdbc;

import io.dataflow.api.TableId;
import io.dataflow.config.JdbcTarget;
import io.dataflow.api.catalog.Engine;
import io.dataflow.convert.SchemaConverter;
import io.dataflow.convert.SchemaScript;
import io.dataflow.convert.TargetDialect;
import io.dataflow.convert.TargetTable;
import io.dataflow.api.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The converted tables in a database target, around the data: prepared before the full load as {@code table-prep}
 * says, completed after it (secondary indexes, foreign keys, identity generators). Each step runs once per pipeline,
 * recorded in {@code _dataflow.steps}.
 */
public final class TargetTables {
    private static final Logger LOG = LoggerFactory.getLogger(TargetTables.class);

    private final String pipeline;
    private final Engine engine;
    private final SchemaConverter.Conversion conversion;
    private final TargetDialect dialect;
    private final JdbcTarget.TablePrep prep;

    public TargetTables(String pipeline, Engine engine, SchemaConverter.Conversion conversion, JdbcTarget.TablePrep prep) {
        this.pipeline = pipeline;
        this.engine = engine;
        this.conversion = conversion;
        this.dialect = conversion.dialect();
        this.prep = prep;
    }

    /**
     * {@code create} creates the tables (and schemas, enum types) and refuses tables that exist already;
     * {@code truncate} and {@code keep} check that existing tables have every converted column, then {@code truncate}
     * empties them. Commits.
     */
    void prepare(Connection c) throws SQLException, StorageException {
        StateTables.ensure(c, engine);
        if (StateTables.done(c, pipeline, "tables")) {
            return;
        }
        // MariaDB commits each DDL statement by itself: a crash between two CREATE TABLEs must not make the
        // restart refuse the tables this pipeline created, so the start of the step is recorded first
        boolean resumed = StateTables.done(c, pipeline, "tables-started");
        List<String> problems = resumed && prep == JdbcTarget.TablePrep.CREATE ? List.of() : unpreparedProblems(c);
        if (!problems.isEmpty()) {
            c.rollback();
            throw new StorageException("the target does not fit the converted schema: " + String.join("; ", problems), true, null);
        }
        if (!resumed) {
            StateTables.mark(c, pipeline, "tables-started");
            c.commit();
        }
        try (Statement s = c.createStatement()) {
            if (prep == JdbcTarget.TablePrep.CREATE) {
                for (String sql : SchemaScript.tables(conversion, resumed)) {
                    s.execute(sql);
                }
            } else if (prep == JdbcTarget.TablePrep.TRUNCATE) {
                for (TargetTable t : conversion.tables()) {
                    s.execute(dialect.truncate(t));
                }
            }
        }
        StateTables.mark(c, pipeline, "tables");
        c.commit();
        LOG.info("target tables prepared ({}): {}", prep.name().toLowerCase(Locale.ROOT), conversion.tables().size());
    }

    /**
     * What would stop {@link #prepare}, without changing anything: tables that exist although {@code table-prep} is
     * create, or that are missing or lack converted columns for truncate and keep. Empty once prepared.
     */
    public List<String> problems(Connection c) throws SQLException {
        StateTables.ensure(c, engine);
        return StateTables.done(c, pipeline, "tables") ? List.of() : unpreparedProblems(c);
    }

    private List<String> unpreparedProblems(Connection c) throws SQLException {
        List<String> problems = new ArrayList<>();
        for (TargetTable t : conversion.tables()) {
            Optional<Set<String>> existing = columnsOf(c, t.id());
            switch (prep) {
                case CREATE -> {
                    if (existing.isPresent()) {
                        problems.add("table " + t.id() + " exists already; drop it, or set table-prep: truncate (empty it) or keep (keep its rows)");
                    }
                }
                case TRUNCATE, KEEP -> {
                    if (existing.isEmpty()) {
                        problems.add("table " + t.id() + " does not exist; create it (dataflow convert prints the DDL) or set table-prep: create");
                    } else {
                        for (TargetTable.TargetColumn col : t.columns()) {
                            if (!existing.get().contains(col.name())) {
                                problems.add("table " + t.id() + " has no column " + col.name() + " (" + col.type() + ")");
                            }
                        }
                    }
                }
            }
        }
        return problems;
    }

    private Optional<Set<String>> columnsOf(Connection c, TableId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(engine == Engine.POSTGRES
                ? "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
                : "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            Set<String> out = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out.isEmpty() ? Optional.empty() : Optional.of(out);
        }
    }

    /** Empties every table (a full load that starts over). Commits. */
    void truncate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (TargetTable t : conversion.tables()) {
                s.execute(dialect.truncate(t));
            }
        }
        c.commit();
    }

    /**
     * Secondary indexes, then foreign keys, then identity generators; once per pipeline. Each statement commits by
     * itself; one the target refuses (a foreign key the data violates, an index too wide for the target's key limit)
     * is logged with its SQL and skipped, as the data itself is complete.
     */
    void postLoad(Connection c) throws SQLException {
        if (StateTables.done(c, pipeline, "post-load")) {
            return;
        }
        long started = System.nanoTime();
        int n = 0;
        List<String> failed = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            for (String sql : SchemaScript.postLoad(conversion)) {
                try {
                    s.execute(sql);
                    c.commit();
                    n++;
                } catch (SQLException e) {
                    if (SqlFailures.isTransient(e)) {
                        throw e; // retried from the checkpoint; the step is not marked done
                    }
                    c.rollback();
                    failed.add(sql);
                    LOG.warn("post-load statement failed ({}); the data is loaded, create it by hand once fixed: {}", e.getMessage(), sql);
                }
            }
        }
        StateTables.mark(c, pipeline, "post-load");
        c.commit();
        LOG.info("post-load DDL: {} statements in {} ms{}", n, (System.nanoTime() - started) / 1_000_000,
                failed.isEmpty() ? "" : "; " + failed.size() + " failed (logged above)");
    }
}
