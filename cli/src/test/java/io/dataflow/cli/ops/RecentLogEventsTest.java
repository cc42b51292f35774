package io.dataflow.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.runtime.PipelineStats;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RecentLogEventsTest {
    @Test
    void warningsAndErrorsReachTheStatusButNotInfoNorThePipelinesOwn() {
        PipelineStats stats = new PipelineStats();
        try (RecentLogEvents events = RecentLogEvents.attach(stats)) {
            assertThat(events).as("logback is the backend").isNotNull();
            LoggerFactory.getLogger("io.dataflow.jdbc.Something").info("routine");
            LoggerFactory.getLogger("io.dataflow.jdbc.Something").warn("public.t.c: {} written as NULL", "NaN");
            LoggerFactory.getLogger(io.dataflow.runtime.Pipeline.class).warn("pipeline failed (recorded by the pipeline itself)");
            LoggerFactory.getLogger("io.debezium.Other").error("lost");
        }
        LoggerFactory.getLogger("io.dataflow.jdbc.Something").warn("after close");
        assertThat(stats.recentEvents()).extracting(PipelineStats.Event::level, PipelineStats.Event::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("WARN", "public.t.c: NaN written as NULL"),
                        org.assertj.core.groups.Tuple.tuple("ERROR", "lost"));
    }

    @Test
    void warningsLoggedBeforeThePipelineExistsArriveWhenItDoes() {
        PipelineStats stats = new PipelineStats();
        try (RecentLogEvents events = RecentLogEvents.attach()) {
            LoggerFactory.getLogger("io.dataflow.source.SourceFamily").warn("table public.t: REPLICA IDENTITY FULL set");
            events.into(stats);
            LoggerFactory.getLogger("io.dataflow.jdbc.Something").warn("later");
        }
        assertThat(stats.recentEvents()).extracting(PipelineStats.Event::message)
                .containsExactly("table public.t: REPLICA IDENTITY FULL set", "later");
    }
}
