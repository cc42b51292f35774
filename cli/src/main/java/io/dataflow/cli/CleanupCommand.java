package io.dataflow.cli;

import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.config.TargetConfig;
import io.dataflow.runtime.PipelineException;
import io.dataflow.source.Sources;
import io.dataflow.source.postgres.PostgresPublication;
import io.dataflow.state.CheckpointStore;
import io.dataflow.state.PipelineLease;
import io.dataflow.api.ObjectStore;
import java.io.PrintWriter;
import java.sql.Connection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dataflow cleanup}: after a migration (cutover done), removes what the pipeline keeps on the source — the
 * PostgreSQL replication slot (which otherwise holds WAL forever) and publication — and, with {@code --state},
 * its checkpoint and state in the lake, so a later run starts from scratch. Refuses while the pipeline runs.
 */
@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = {"Drops the pipeline's PostgreSQL replication slot and publication (an unused slot keeps WAL forever) and, "
                + "with --state, its checkpoint and state in the lake. Refuses while the pipeline runs."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:cleaned up", "1:the pipeline is running, or the source refused", "2:the pipeline file is wrong"})
final class CleanupCommand implements Callable<Integer> {
    @Mixin
    PipelineFileOption pipelineFile;

    @Option(names = "--state", description = "also delete the pipeline's state (_state/<name>/ in the lake or the target's _dataflow schema; data stays)")
    boolean state;

    @Override
    public Integer call() throws Exception {
        PipelineConfig pipeline = pipelineFile.read();
        PrintWriter out = pipelineFile.out();
        try (ObjectStore store = io.dataflow.target.Targets.stateStore(pipeline)) {
            PipelineLease lease;
            try {
                lease = PipelineLease.acquire(store, pipeline.name());
            } catch (PipelineLease.HeldException e) {
                throw new PipelineException(e.getMessage(), null);
            }
            try (lease) {
                if (pipeline.source().type() == SourceConfig.Type.POSTGRES) {
                    try (Connection c = Sources.inspector(pipeline.source()).connect()) {
                        out.println(PostgresPublication.dropIdleSlot(c, pipeline.source().slot())
                                ? "dropped replication slot " + pipeline.source().slot()
                                : "no inactive replication slot " + pipeline.source().slot());
                        if (PostgresPublication.exists(c, pipeline.source().publication())) {
                            try (var st = c.createStatement()) {
                                st.execute("DROP PUBLICATION " + pipeline.source().publication());
                            }
                            out.println("dropped publication " + pipeline.source().publication());
                        } else {
                            out.println("no publication " + pipeline.source().publication());
                        }
                    }
                } else {
                    out.println("nothing to drop on " + pipeline.source().type().name().toLowerCase(java.util.Locale.ROOT)
                            + ": binlog readers keep no state on the server");
                }
                pipeline.source().signalTable().ifPresent(t -> out.println("kept the signal table " + t + " (other pipelines of this "
                        + "database may use it); when none does: DROP TABLE " + t));
                if (state) {
                    int n = 0;
                    for (ObjectStore.ObjectInfo o : store.list(CheckpointStore.stateDir(pipeline.name()))) {
                        if (!o.key().endsWith("owner.json")) {
                            store.delete(o.key());
                            n++;
                        }
                    }
                    out.println("deleted " + n + " state object(s) under " + store.describe() + "/" + CheckpointStore.stateDir(pipeline.name()));
                    for (TargetConfig t : pipeline.targets()) {
                        if (t.type() == TargetConfig.Type.JDBC) {
                            io.dataflow.jdbc.JdbcSink.forget(new io.dataflow.jdbc.TargetConnections(t.jdbc()), pipeline.name());
                            out.println("forgot prepared tables and loaded chunks of '" + pipeline.name() + "' in " + t.jdbc());
                        }
                    }
                }
            }
        }
        out.flush();
        return 0;
    }
}
