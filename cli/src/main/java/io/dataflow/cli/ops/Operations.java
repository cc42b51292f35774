package io.dataflow.cli.ops;

/**
 * How a running pipeline is observed.
 *
 * @param httpPort            port of {@code /health}, {@code /metrics}, {@code /status}; 0 for none
 * @param cloudWatchNamespace CloudWatch namespace to publish metrics to; empty for none
 * @param httpBind            the address the endpoints listen on (they carry no secrets)
 */
public record Operations(int httpPort, String cloudWatchNamespace, String httpBind) {
    public static final Operations NONE = new Operations(0, "");

    public Operations(int httpPort, String cloudWatchNamespace) {
        this(httpPort, cloudWatchNamespace, "0.0.0.0");
    }
}
