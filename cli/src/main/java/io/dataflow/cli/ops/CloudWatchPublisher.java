package io.dataflow.cli.ops;

import io.dataflow.runtime.PipelineStats;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * Publishes the pipeline's key metrics to Amazon CloudWatch every minute (namespace given by
 * {@code --cloudwatch-namespace}, dimension {@code Pipeline}): {@code ReplicationLagMs}, {@code ChangesReplicated}
 * and {@code FullLoadRows} (per minute), {@code Restarts} and {@code Errors} (per minute). The dashboard and
 * alarms of deploy/cloudformation/dataflow-stack.yaml use these names.
 */
public final class CloudWatchPublisher implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dataflow-cloudwatch");
        t.setDaemon(true);
        return t;
    });
    private final Consumer<List<MetricDatum>> sink;
    private final String pipeline;
    private final PipelineStats stats;
    private final Clock clock;
    private long lastChanges;
    private long lastRows;
    private long lastRestarts;

    public CloudWatchPublisher(Consumer<List<MetricDatum>> sink, String pipeline, PipelineStats stats, Clock clock) {
        this.sink = sink;
        this.pipeline = pipeline;
        this.stats = stats;
        this.clock = clock;
    }

    /** Publishes with the default AWS client (credentials and region from the default chains). */
    public static CloudWatchPublisher start(String namespace, String pipeline, PipelineStats stats) {
        CloudWatchClient client = CloudWatchClient.create();
        CloudWatchPublisher p = new CloudWatchPublisher(data -> client.putMetricData(r -> r.namespace(namespace).metricData(data)),
                pipeline, stats, Clock.systemUTC());
        p.timer.scheduleAtFixedRate(() -> {
            try {
                p.publish();
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(CloudWatchPublisher.class).warn("could not publish metrics to CloudWatch: {}", e.toString());
            }
        }, 60, 60, TimeUnit.SECONDS);
        return p;
    }

    /** Builds and sends one minute's data points. */
    public void publish() {
        Instant now = clock.instant();
        Dimension dim = Dimension.builder().name("Pipeline").value(pipeline).build();
        long changes = stats.totalChanges();
        long rows = stats.totalFullLoadRows();
        long restarts = stats.restarts();
        List<MetricDatum> data = new ArrayList<>();
        if (stats.lastLagMillis() >= 0) {
            data.add(datum("ReplicationLagMs", stats.lastLagMillis(), StandardUnit.MILLISECONDS, dim, now));
        }
        data.add(datum("ChangesReplicated", changes - lastChanges, StandardUnit.COUNT, dim, now));
        data.add(datum("FullLoadRows", rows - lastRows, StandardUnit.COUNT, dim, now));
        data.add(datum("Restarts", restarts - lastRestarts, StandardUnit.COUNT, dim, now));
        data.add(datum("Errors", restarts - lastRestarts, StandardUnit.COUNT, dim, now));
        lastChanges = changes;
        lastRows = rows;
        lastRestarts = restarts;
        sink.accept(data);
    }

    private static MetricDatum datum(String name, double value, StandardUnit unit, Dimension dim, Instant at) {
        return MetricDatum.builder().metricName(name).value(value).unit(unit).dimensions(dim).timestamp(at).build();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
