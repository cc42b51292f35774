package io.dataflow.source.binlog;

import io.dataflow.api.SourceException;
import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.config.TableSelection;
import io.dataflow.source.SourceInspector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** Reads what a MariaDB or MySQL source offers for binlog CDC: settings, grants, and the selected tables. */
public final class BinlogInspector implements SourceInspector {
    private final SourceConfig config;

    public BinlogInspector(SourceConfig config) {
        this.config = config;
    }

    @Override
    public Connection connect() throws SQLException {
        return open(config, Map.of("connectTimeout", "10000"));
    }

    @Override
    public SourceException explain(SQLException e) {
        String where = config.where();
        int code = e.getErrorCode();
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (code == 1045 || state.startsWith("28")) {
            return new SourceException("the server refused the login " + where + ": " + e.getMessage()
                    + "; check source.user and source.password", true, e);
        }
        if (code == 1049) {
            return new SourceException("database '" + config.database() + "' does not exist on " + config.host() + ":" + config.port()
                    + "; check source.database", true, e);
        }
        java.util.Optional<String> tls = io.dataflow.source.TlsFailures.explain(e.getMessage(), config);
        if (tls.isPresent()) {
            return new SourceException(tls.get(), true, e);
        }
        if (state.startsWith("08")) {
            return new SourceException("cannot connect to " + config.type().name().toLowerCase(Locale.ROOT) + " at " + config.host() + ":"
                    + config.port() + " (" + e.getMessage() + "); is the server running and reachable?", false, e);
        }
        return new SourceException("error on " + where + ": " + e.getMessage(), false, e);
    }

    @Override
    public List<TableInfo> tables(Connection c, TableSelection selection) throws SQLException {
        String sql = """
                select t.table_schema, t.table_name, coalesce(t.table_rows, 0), t.engine,
                       (select group_concat(k.column_name order by k.ordinal_position separator ',')
                        from information_schema.key_column_usage k
                        join information_schema.columns c
                          on c.table_schema = k.table_schema and c.table_name = k.table_name and c.column_name = k.column_name
                        where k.table_schema = t.table_schema and k.table_name = t.table_name and k.constraint_name = 'PRIMARY'),
                       t.table_type,
                       (select group_concat(concat(c.column_name, ' (', c.data_type, ')') order by c.ordinal_position separator ', ')
                        from information_schema.columns c
                        where c.table_schema = t.table_schema and c.table_name = t.table_name and c.data_type in ('inet4', 'inet6'))
                from information_schema.tables t
                where t.table_type in ('BASE TABLE', 'SYSTEM VERSIONED')
                  and t.table_schema not in ('mysql', 'information_schema', 'performance_schema', 'sys', '_dataflow')
                order by 1, 2""";
        List<TableInfo> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                TableId id = new TableId(rs.getString(1), rs.getString(2));
                if (!selection.matches(id)) {
                    continue;
                }
                String pk = rs.getString(5);
                List<String> keys = pk == null || pk.isEmpty() ? List.of() : List.of(pk.split(","));
                String engine = rs.getString(4) == null ? "" : rs.getString(4);
                boolean transactional = engine.isEmpty() || engine.equalsIgnoreCase("InnoDB");
                List<String> notes = new ArrayList<>();
                if (keys.isEmpty()) {
                    notes.add("no primary key: deletes and updates carry the whole old row and rows cannot be told apart by key; add one");
                }
                if (!transactional) {
                    notes.add(engine + " is not transactional: the full load cannot be consistent while it is written to; convert it (ALTER TABLE "
                            + quote(id) + " ENGINE=InnoDB) or stop writes during the load");
                }
                List<String> unstreamable = new ArrayList<>();
                String cure = "";
                if ("SYSTEM VERSIONED".equalsIgnoreCase(rs.getString(6))) {
                    unstreamable.add("it is system-versioned (in the binlog a DELETE is an UPDATE of its row_end column and an UPDATE"
                            + " also inserts the old version; Debezium's reader stops on the hidden row_start/row_end columns)");
                }
                if (rs.getString(7) != null) {
                    unstreamable.add("its column(s) " + rs.getString(7) + " have a type Debezium's DDL parser cannot read (the change"
                            + " stream stops at the table's definition)");
                    cure = "change the column(s) to varchar(45) (ALTER TABLE " + quote(id) + " MODIFY <column> varchar(45)), or ";
                }
                if (!unstreamable.isEmpty()) {
                    notes.add(0, "its changes cannot be streamed: " + String.join("; ", unstreamable) + "; " + cure
                            + "exclude it from this pipeline (tables.exclude: [" + id + "]) and copy it with a mode: full-load pipeline");
                }
                String fix = String.join("; ", notes);
                out.add(new TableInfo(id, keys, unstreamable.isEmpty(), rs.getLong(3), fix));
            }
        }
        return out;
    }

    @Override
    public String quote(TableId id) {
        return "`" + id.schema().replace("`", "``") + "`.`" + id.table().replace("`", "``") + "`";
    }

    @Override
    public Report check(PipelineConfig pipeline) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            String version = value(st, "select version()");
            List<Finding> f = new ArrayList<>();
            String restart = " in the [mysqld] section of my.cnf and restart the server (on RDS: the DB parameter group)";
            if (pipeline.mode().streams()) {
                f.add(new Finding("1".equals(value(st, "select @@log_bin")) || "ON".equalsIgnoreCase(value(st, "select @@log_bin")),
                        "log_bin = " + value(st, "select @@log_bin"), "set log_bin = mysql-bin" + restart));
                String format = value(st, "select @@binlog_format");
                f.add(new Finding("ROW".equalsIgnoreCase(format), "binlog_format = " + format, "set binlog_format = ROW" + restart));
                String image = value(st, "select @@binlog_row_image");
                f.add(new Finding("FULL".equalsIgnoreCase(image), "binlog_row_image = " + image, "set binlog_row_image = FULL" + restart));
                String serverId = value(st, "select @@server_id");
                f.add(new Finding(!"0".equals(serverId), "server_id = " + serverId, "set server_id to a unique non-zero number" + restart));
                f.add(new Finding(!String.valueOf(pipeline.source().serverId()).equals(serverId),
                        "DataFlow's replica server id " + pipeline.source().serverId() + " differs from the server's",
                        "set source.server-id to a number no other replica of this server uses"));
                String gtid = config.type() == SourceConfig.Type.MARIADB
                        ? "gtid_current_pos = '" + value(st, "select @@gtid_current_pos") + "', gtid_strict_mode = " + value(st, "select @@gtid_strict_mode")
                        : "gtid_mode = " + value(st, "select @@gtid_mode");
                f.add(new Finding(true, gtid + " (GTIDs are used when enabled; positions work without)", ""));
                if (config.type() == SourceConfig.Type.MARIADB && value(st, "select @@gtid_binlog_pos").isEmpty()) {
                    // Debezium's MariaDB connector fails to start streaming (a null GTID set) on a binlog without any GTID
                    f.add(new Finding(false, "the binlog has no GTID yet (gtid_binlog_pos is empty): no transaction was logged since "
                            + "the binlog was enabled, and Debezium's MariaDB connector cannot start streaming from there",
                            "commit one transaction on the server (any table), then run again"));
                }
                String grants = grants(st);
                boolean all = grants.contains("ALL PRIVILEGES ON *.*");
                for (String[] need : new String[][] {
                        {"REPLICATION SLAVE", "REPLICATION SLAVE"},
                        {config.type() == SourceConfig.Type.MARIADB ? "BINLOG MONITOR" : "REPLICATION CLIENT",
                                config.type() == SourceConfig.Type.MARIADB ? "BINLOG MONITOR" : "REPLICATION CLIENT"},
                        {"RELOAD", "RELOAD"}}) {
                    boolean ok = all || grants.contains(need[0]) || (need[0].equals("BINLOG MONITOR") && grants.contains("REPLICATION CLIENT"));
                    f.add(new Finding(ok, "grant " + need[1] + " for " + pipeline.source().user(),
                            "GRANT " + need[1] + " ON *.* TO " + pipeline.source().user() + (need[0].equals("RELOAD")
                                    ? " (for the full load's brief global read lock)" : "")));
                }
            }
            List<TableInfo> tables = tables(c, pipeline.tables());
            if (pipeline.mode().streams()) {
                for (TableInfo t : tables) {
                    if (!t.changesReplicable()) {
                        f.add(new Finding(false, "changes of table " + t.id() + " can be streamed", t.fix()));
                    }
                }
            }
            return new Report((config.type() == SourceConfig.Type.MARIADB ? "MariaDB " : "MySQL ") + version, f, tables);
        }
    }

    @Override
    public long sizeBytes(Connection c, TableId table) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "select data_length from information_schema.tables where table_schema = ? and table_name = ?")) {
            st.setString(1, table.schema());
            st.setString(2, table.table());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    @Override
    public java.util.OptionalLong largestValue(Connection c, TableId table, io.dataflow.api.catalog.SourceColumn column,
            java.time.Duration timeout) throws SQLException {
        String col = "`" + column.name().replace("`", "``") + "`";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("set statement max_statement_time = "
                + Math.max(0.001, timeout.toMillis() / 1000.0) + " for select max(length(" + col + ")) from " + quote(table))) {
            rs.next();
            return java.util.OptionalLong.of(rs.getLong(1));
        } catch (SQLException e) {
            if (e.getErrorCode() == 1969) { // ER_STATEMENT_TIMEOUT
                return java.util.OptionalLong.empty();
            }
            throw e;
        }
    }

    /** Binlog files are purged after binlog_expire_logs_seconds (0: never), whether a replica read them or not. */
    @Override
    public java.util.Optional<LogRetention> logRetention(Connection c, PipelineConfig pipeline) throws SQLException {
        try (Statement st = c.createStatement()) {
            String seconds = value(st, "select @@binlog_expire_logs_seconds");
            long s;
            String setting;
            if (seconds.matches("\\d+")) {
                s = Long.parseLong(seconds);
                setting = "binlog_expire_logs_seconds = " + s;
            } else {
                String days = value(st, "select @@expire_logs_days");
                s = days.matches("[0-9.]+") ? (long) (Double.parseDouble(days) * 86400) : 0;
                setting = "expire_logs_days = " + days;
            }
            return java.util.Optional.of(new LogRetention(-1, s == 0 ? null : java.time.Duration.ofSeconds(s),
                    setting + (s == 0 ? " (binlogs are kept until purged by hand)" : "")));
        }
    }

    /** Binlog bytes after the checkpoint's file and position: the rest of its file, and every later file. */
    @Override
    public java.util.OptionalLong backlogBytes(Connection c, PipelineConfig pipeline, java.util.Map<String, Object> sourceOffset)
            throws SQLException {
        // the checkpoint keeps Debezium's partition and offset; the offset names the binlog file and position
        Object inner = sourceOffset == null ? null : sourceOffset.get("offset");
        java.util.Map<?, ?> offset = inner instanceof java.util.Map<?, ?> m ? m : sourceOffset;
        Object file = offset == null ? null : offset.get("file");
        Object pos = offset == null ? null : offset.get("pos");
        if (file == null || pos == null) {
            return java.util.OptionalLong.empty();
        }
        long behind = 0;
        boolean after = false;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("show binary logs")) {
            while (rs.next()) {
                String name = rs.getString(1);
                long size = rs.getLong(2);
                if (after) {
                    behind += size;
                } else if (name.equals(file.toString())) {
                    behind += Math.max(0, size - Long.parseLong(pos.toString()));
                    after = true;
                }
            }
        }
        return after ? java.util.OptionalLong.of(behind) : java.util.OptionalLong.empty();
    }

    /** The sizes of the binlog files the server still has (a purge makes the sum drop: the rate is then 0 for that sample). */
    @Override
    public java.util.OptionalLong logBytesWritten(Connection c) throws SQLException {
        long n = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("show binary logs")) {
            while (rs.next()) {
                n += rs.getLong(2);
            }
        }
        return java.util.OptionalLong.of(n);
    }

    private static String grants(Statement st) throws SQLException {
        StringBuilder b = new StringBuilder();
        try (ResultSet rs = st.executeQuery("show grants for current_user()")) {
            while (rs.next()) {
                b.append(rs.getString(1).toUpperCase(Locale.ROOT)).append('\n');
            }
        }
        return b.toString();
    }

    private static String value(Statement st, String sql) {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? String.valueOf(rs.getString(1)) : "";
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
