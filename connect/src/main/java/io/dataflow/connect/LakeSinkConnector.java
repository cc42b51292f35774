package io.dataflow.connect;

import io.dataflow.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * DataFlow's raw zone as a Kafka Connect sink: Debezium change-event topics into the Parquet files {@code dataflow run}
 * writes (same paths, columns, {@code _position} order and {@code _unchanged} columns), exactly once. Every task takes
 * the same settings; Connect spreads the topic partitions over them.
 */
public final class LakeSinkConnector extends SinkConnector {
    static final String VERSION = implementationVersion();
    private Map<String, String> props;

    private static String implementationVersion() {
        String v = LakeSinkConnector.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        try {
            LakeSinkSettings.parse(props);
        } catch (ConfigException e) {
            throw new ConnectException(e.getMessage());
        }
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return LakeSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            configs.add(props);
        }
        return configs;
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return LakeSinkSettings.CONFIG;
    }

    /** Connect's checks, then DataFlow's: a wrong value is reported on its key before the connector is created. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        List<ConfigValue> values = new ArrayList<>(super.validate(connectorConfigs).configValues());
        try {
            LakeSinkSettings.parse(connectorConfigs);
        } catch (ConfigException e) {
            String key = e.getMessage().contains(":") ? e.getMessage().substring(0, e.getMessage().indexOf(':')) : LakeSinkSettings.URI;
            ConfigValue value = values.stream().filter(v -> v.name().equals(key)).findFirst().orElse(null);
            if (value == null) {
                value = new ConfigValue(key);
                values.add(value);
            }
            value.addErrorMessage(e.getMessage());
        }
        return new Config(values);
    }
}
