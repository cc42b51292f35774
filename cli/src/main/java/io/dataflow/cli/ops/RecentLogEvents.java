package io.dataflow.cli.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.dataflow.runtime.PipelineStats;
import org.slf4j.LoggerFactory;

/**
 * Copies the warnings and errors logged while a pipeline runs (a table given REPLICA IDENTITY FULL, a lost lease
 * renewal, a value a target could not hold ...) into the pipeline's recent events, which the status page shows. The
 * pipeline's own restart and failure events are recorded by the pipeline itself, so its logger is skipped here.
 */
public final class RecentLogEvents extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private static final String OWN = io.dataflow.runtime.Pipeline.class.getName();
    private final PipelineStats stats;
    private final Logger root;

    private RecentLogEvents(PipelineStats stats, Logger root) {
        this.stats = stats;
        this.root = root;
    }

    /** Attaches to the root logger; null when the logging backend is not logback (tests with another backend). */
    public static RecentLogEvents attach(PipelineStats stats) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return null;
        }
        RecentLogEvents appender = new RecentLogEvents(stats, context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
        appender.setContext(context);
        appender.setName("dataflow-recent-events");
        appender.start();
        appender.root.addAppender(appender);
        return appender;
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (e.getLevel().isGreaterOrEqual(Level.WARN) && !OWN.equals(e.getLoggerName())) {
            stats.event(e.getTimeStamp(), e.getLevel().toString(), e.getFormattedMessage());
        }
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}
