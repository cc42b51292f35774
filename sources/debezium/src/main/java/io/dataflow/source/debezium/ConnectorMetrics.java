package io.dataflow.source.debezium;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Debezium's connector metrics (JMX) say about one running connector: whether its snapshot completed without a
 * single row, and whether it streams from the log. Reading them never fails: metrics not registered yet read as
 * "not yet".
 *
 * @param domain the connector's metrics domain, e.g. {@code debezium.postgres}
 * @param server the connector's topic prefix (its metrics' {@code server} key)
 */
record ConnectorMetrics(String domain, String server) {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorMetrics.class);

    /** True once the snapshot completed and saw no event at all (every table empty). */
    boolean snapshotCompletedEmpty() {
        return anyMatches("snapshot", (s, name) -> Boolean.TRUE.equals(s.getAttribute(name, "SnapshotCompleted"))
                && ((Number) s.getAttribute(name, "TotalNumberOfEventsSeen")).longValue() == 0);
    }

    /** True once the connector streams from the log, so its start position is fixed. */
    boolean streamingConnected() {
        return anyMatches("streaming", (s, name) -> Boolean.TRUE.equals(s.getAttribute(name, "Connected")));
    }

    private interface Test {
        boolean test(MBeanServer server, ObjectName name) throws Exception;
    }

    private boolean anyMatches(String context, Test test) {
        try {
            MBeanServer s = ManagementFactory.getPlatformMBeanServer();
            for (ObjectName name : s.queryNames(new ObjectName(domain + ":type=connector-metrics,context=" + context + ",*"), null)) {
                if (server.equals(name.getKeyProperty("server")) && test.test(s, name)) {
                    return true;
                }
            }
        } catch (Exception e) {
            LOG.debug("{} metrics not readable yet: {}", context, e.toString());
        }
        return false;
    }
}
