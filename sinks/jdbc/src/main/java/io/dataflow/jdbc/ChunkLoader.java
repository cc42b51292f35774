package io.dataflow.jdbc;

import io.dataflow.api.LoadBatch;
import io.dataflow.api.Sink;
import io.dataflow.api.TableSchema;
import io.dataflow.api.catalog.Engine;
import io.dataflow.convert.TargetDialect;
import io.dataflow.convert.TargetTable;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Loads one full-load chunk into a database target on its own connection and transaction: PostgreSQL through
 * {@link CopyWriter}, MariaDB/MySQL through batched multi-row INSERTs. The chunk's marker in
 * {@code _dataflow.load_chunks} commits in the same transaction as its rows, so a chunk redone after a crash is
 * skipped when it had landed and loaded in full when it had not.
 */
final class ChunkLoader implements Sink.ChunkWriter {
    private static final int INSERT_BATCH = 2000;

    private final String pipeline;
    private final TargetTable table;
    private final int chunk;
    private final Connection connection;
    private final boolean skip;
    private final RowMapping rows;
    private CopyWriter copy;
    private PreparedStatement insert;
    private int batched;
    private long bytes;
    private boolean committed;

    ChunkLoader(String pipeline, TargetConnections connections, TargetTable table, TableSchema schema, int chunk, ValueRenderer renderer)
            throws IOException {
        this.pipeline = pipeline;
        this.table = table;
        this.chunk = chunk;
        TargetDialect dialect = TargetDialect.of(connections.engine());
        this.rows = new RowMapping(table, schema, renderer);
        try {
            connection = connections.open();
            skip = StateTables.chunkDone(connection, pipeline, table.id().toString(), chunk);
            if (!skip) {
                if (connections.engine() == Engine.POSTGRES) {
                    copy = new CopyWriter(connection, dialect, table, rows);
                } else {
                    List<String> names = table.columns().stream().map(TargetTable.TargetColumn::name).toList();
                    insert = connection.prepareStatement("INSERT INTO " + dialect.qualified(table.id()) + " (" + dialect.columnList(names)
                            + ") VALUES (" + String.join(", ", java.util.Collections.nCopies(names.size(), "?")) + ")");
                }
            }
        } catch (SQLException e) {
            throw SqlFailures.failure("starting full-load chunk " + chunk + " of " + table.id(), e);
        }
    }

    @Override
    public void write(LoadBatch batch) throws IOException {
        if (skip) {
            return;
        }
        for (int r = 0; r < batch.size(); r++) {
            write(batch.row(r));
        }
    }

    private void write(Object[] row) throws IOException {
        try {
            if (copy != null) {
                copy.write(row);
            } else {
                for (int i = 0; i < rows.size(); i++) {
                    bytes += RowMapping.bind(insert, i + 1, rows.value(row, i));
                }
                insert.addBatch();
                if (++batched >= INSERT_BATCH) {
                    insert.executeBatch();
                    batched = 0;
                }
            }
        } catch (SQLException e) {
            throw SqlFailures.failure("loading chunk " + chunk + " of " + table.id(), e);
        }
    }

    @Override
    public long commit() throws IOException {
        if (skip) {
            committed = true;
            return 0;
        }
        try {
            if (copy != null) {
                bytes += copy.finish();
            } else if (batched > 0) {
                insert.executeBatch();
            }
            StateTables.markChunk(connection, pipeline, table.id().toString(), chunk);
            connection.commit();
            committed = true;
            return bytes;
        } catch (SQLException e) {
            throw SqlFailures.failure("committing chunk " + chunk + " of " + table.id(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (copy != null && !committed) {
                copy.cancel();
            }
            if (!committed) {
                connection.rollback();
            }
            connection.close();
        } catch (SQLException e) {
            throw new IOException("closing chunk " + chunk + " of " + table.id() + ": " + e.getMessage(), e);
        }
    }
}
