package io.dataflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.ChangeSource;
import io.dataflow.api.Checkpoint;
import io.dataflow.api.FullLoader;
import io.dataflow.api.ObjectStore;
import io.dataflow.api.Sink;
import io.dataflow.api.SourceException;
import io.dataflow.api.TableId;
import io.dataflow.api.catalog.CatalogReader;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.config.TableSelection;
import io.dataflow.config.TargetConfig;
import io.dataflow.runtime.FullLoadPlan;
import io.dataflow.source.SourceFamily;
import io.dataflow.source.SourceInspector;
import io.dataflow.storage.InMemoryObjectStore;
import io.dataflow.target.TargetKind;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The builder with a source and a target of this test's own (registered in this module's test resources): a build
 * retried after a failure starts from nothing, and the full load's plan follows the mode, the engine setting, the
 * source's loaders and what the targets accept.
 */
class PipelineBuilderTest {
    static final AtomicInteger SINKS_CREATED = new AtomicInteger();
    static final AtomicInteger SINKS_CLOSED = new AtomicInteger();
    static final AtomicInteger FAIL_SINK_NUMBER = new AtomicInteger(-1);

    static PipelineConfig pipeline(PipelineConfig.Mode mode, int targets) {
        SourceConfig source = new SourceConfig(SourceConfig.Type.POSTGRES, "h", 1, "db", "u", "", "s", "p", "disable", Map.of());
        List<TargetConfig> t = java.util.stream.IntStream.range(0, targets)
                .mapToObj(i -> new TargetConfig(TargetConfig.Type.LAKE, "mem" + i, TargetConfig.Flush.DEFAULT, TargetConfig.Compression.ZSTD))
                .toList();
        return new PipelineConfig("p", source, new TableSelection(List.of("*.*"), List.of()), mode, t);
    }

    @Test
    void aBuildRetriedAfterAFailureClosesWhatTheFailedAttemptOpened() throws Exception {
        SINKS_CREATED.set(0);
        SINKS_CLOSED.set(0);
        FAIL_SINK_NUMBER.set(2); // the second sink of the first attempt fails, as an unreachable target would
        try (PipelineBuilder builder = new PipelineBuilder(pipeline(PipelineConfig.Mode.CDC, 2), Map.of())) {
            assertThatThrownBy(() -> builder.build(3)).isInstanceOf(SourceException.class);
            builder.build(3);
            assertThat(SINKS_CREATED).as("sinks created over both attempts").hasValue(3);
            assertThat(SINKS_CLOSED).as("the first attempt's sink is closed before the second builds its own").hasValue(1);
        }
        assertThat(SINKS_CLOSED).as("closing the builder closes the pipeline's two sinks").hasValue(3);
    }

    @Test
    void theFullLoadPlanFollowsModeEngineAndTargets() {
        SourceFamily family = new TestFamily();
        SourceFamily.Context ctx = new SourceFamily.Context(pipeline(PipelineConfig.Mode.CDC, 1), List.of(), null, null, Map.of());
        assertThat(PipelineBuilder.plan(pipeline(PipelineConfig.Mode.CDC, 1), family, ctx).kind()).isEqualTo(FullLoadPlan.Kind.NONE);
        FullLoadPlan streaming = PipelineBuilder.plan(pipeline(PipelineConfig.Mode.FULL_LOAD_AND_CDC, 1), family, ctx);
        assertThat(streaming.kind()).isEqualTo(FullLoadPlan.Kind.PARALLEL);
        assertThat(streaming.loader().timing()).as("a lake takes rows twice: lock-free beside the stream")
                .isEqualTo(FullLoader.Timing.WHILE_STREAMING);
        assertThat(PipelineBuilder.plan(pipeline(PipelineConfig.Mode.FULL_LOAD, 1), family, ctx).loader().timing())
                .as("mode full-load: one consistent snapshot").isEqualTo(FullLoader.Timing.BEFORE_STREAM);
        PipelineConfig debezium = pipeline(PipelineConfig.Mode.FULL_LOAD_AND_CDC, 1);
        debezium = new PipelineConfig(debezium.name(), debezium.source(), debezium.tables(), debezium.mode(), debezium.targets(),
                new PipelineConfig.FullLoad(PipelineConfig.Engine.DEBEZIUM, 0, 1000));
        assertThat(PipelineBuilder.plan(debezium, family, ctx).kind()).isEqualTo(FullLoadPlan.Kind.SOURCE_SNAPSHOT);
    }

    /** A source with one table, and a loader whose timing says whether it had to be consistent. */
    public static final class TestFamily implements SourceFamily {
        @Override
        public Set<SourceConfig.Type> types() {
            return Set.of(SourceConfig.Type.POSTGRES);
        }

        @Override
        public SourceInspector inspector(SourceConfig source) {
            return new SourceInspector() {
                @Override
                public Connection connect() {
                    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (proxy, method, args) -> null);
                }

                @Override
                public List<TableInfo> tables(Connection c, TableSelection selection) {
                    return List.of(new TableInfo(new TableId("public", "t"), List.of("id"), true, 10, ""));
                }

                @Override
                public Report check(PipelineConfig pipeline) {
                    return new Report("test", List.of(), List.of());
                }

                @Override
                public SourceException explain(SQLException e) {
                    return new SourceException(e.getMessage(), false, e);
                }
            };
        }

        @Override
        public CatalogReader catalogReader(SourceConfig source) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<FullLoader> parallelLoader(Context context, boolean consistent) {
            return Optional.of(new FullLoader() {
                @Override
                public Timing timing() {
                    return consistent ? Timing.BEFORE_STREAM : Timing.WHILE_STREAMING;
                }

                @Override
                public Map<String, Object> load(List<Sink.BulkLoad> outputs, Progress progress) {
                    return Map.of();
                }
            });
        }

        @Override
        public ChangeSource changeSource(Context context, FullLoadPlan plan) {
            throw new UnsupportedOperationException();
        }
    }

    /** A lake-typed target whose sinks count their creation and closing; one of them may fail to open. */
    public static final class TestTarget implements TargetKind {
        @Override
        public TargetConfig.Type type() {
            return TargetConfig.Type.LAKE;
        }

        @Override
        public ObjectStore stateStore(TargetConfig target) {
            return new InMemoryObjectStore();
        }

        @Override
        public Sink sink(Context context) {
            if (SINKS_CREATED.get() + 1 == FAIL_SINK_NUMBER.get()) {
                FAIL_SINK_NUMBER.set(-1);
                throw new SourceException("target unreachable", false, null);
            }
            SINKS_CREATED.incrementAndGet();
            return new Sink() {
                @Override
                public String name() {
                    return "counting";
                }

                @Override
                public void recover(Checkpoint checkpoint) {}

                @Override
                public void write(List<ChangeEvent> events) {}

                @Override
                public FlushResult flush() {
                    return FlushResult.EMPTY;
                }

                @Override
                public void discard() {}

                @Override
                public long stagedBytes() {
                    return 0;
                }

                @Override
                public void close() {
                    SINKS_CLOSED.incrementAndGet();
                }
            };
        }
    }
}
