package io.dataflow.cli.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.dataflow.runtime.PipelineStats;
import org.slf4j.LoggerFactory;

/**
 * Copies the warnings and errors logged while a pipeline starts and runs (a table given REPLICA IDENTITY FULL, a lost
 * lease renewal, a value a target could not hold ...) into the pipeline's recent events, which the status page shows.
 * It is attached before the pipeline is built, keeps what is logged until the pipeline's counters exist
 * ({@link #into}), then writes there. The pipeline's own restart and failure events are recorded by the pipeline
 * itself, so its logger is skipped here.
 */
public final class RecentLogEvents extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private static final String OWN = io.dataflow.runtime.Pipeline.class.getName();
    private final Logger root;
    private final java.util.List<PipelineStats.Event> early = new java.util.ArrayList<>();
    private PipelineStats stats;

    private RecentLogEvents(Logger root) {
        this.root = root;
    }

    /** Attaches to the root logger; null when the logging backend is not logback (tests with another backend). */
    public static RecentLogEvents attach() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return null;
        }
        RecentLogEvents appender = new RecentLogEvents(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
        appender.setContext(context);
        appender.setName("dataflow-recent-events");
        appender.start();
        appender.root.addAppender(appender);
        return appender;
    }

    /** Attaches and writes into {@code stats} from now on. */
    public static RecentLogEvents attach(PipelineStats stats) {
        RecentLogEvents events = attach();
        if (events != null) {
            events.into(stats);
        }
        return events;
    }

    /** From now on, events go to {@code stats}, after those logged before. */
    public synchronized void into(PipelineStats target) {
        for (PipelineStats.Event e : early) {
            target.event(e.atMillis(), e.level(), e.message());
        }
        early.clear();
        stats = target;
    }

    @Override
    protected synchronized void append(ILoggingEvent e) {
        if (!e.getLevel().isGreaterOrEqual(Level.WARN) || OWN.equals(e.getLoggerName())) {
            return;
        }
        if (stats != null) {
            stats.event(e.getTimeStamp(), e.getLevel().toString(), e.getFormattedMessage());
        } else if (early.size() < PipelineStats.RECENT_EVENTS) {
            early.add(new PipelineStats.Event(e.getTimeStamp(), e.getLevel().toString(), e.getFormattedMessage()));
        }
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}
