package io.dataflow.cli.ops;

/**
 * How a running pipeline is observed.
 *
 * @param httpPort            port of {@code /health}, {@code /metrics}, {@code /status}; 0 for none
 * @param cloudWatchNamespace CloudWatch namespace to publish metrics to; empty for none
 */
public record Operations(int httpPort, String cloudWatchNamespace) {
    public static final Operations NONE = new Operations(0, "");
}
