package io.dataflow.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

/**
 * The log format, chosen once per process: {@code text} (logback.xml: time, level, logger, message) or {@code json}
 * (one JSON object per line, logback's JsonEncoder: timestamp, level, logger, thread, message, throwable), both on
 * standard error. The command's own output (progress, reports) stays on standard output.
 */
final class Logging {
    /** The formats. */
    enum Format {
        text,
        json
    }

    private Logging() {}

    /** Applies {@code format}; text is logback.xml's. */
    static void format(Format format) {
        if (format != Format.json) {
            return;
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J backend (tests): keep its format
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getAppender("STDERR") instanceof ConsoleAppender<ILoggingEvent> console) {
            Encoder<ILoggingEvent> old = console.getEncoder();
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            json.setWithContext(false);
            json.setWithMDC(false);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            json.setWithKVPList(false);
            json.setWithMarkers(false);
            json.start();
            console.stop();
            console.setEncoder(json);
            console.start();
            if (old != null) {
                old.stop();
            }
        }
    }
}
