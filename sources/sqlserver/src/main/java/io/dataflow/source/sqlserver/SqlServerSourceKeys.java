package io.dataflow.source.sqlserver;

import io.dataflow.config.Key;
import io.dataflow.config.Section;
import io.dataflow.config.SourceConfig;
import io.dataflow.config.SourceKeys;
import io.dataflow.config.Values;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code source} keys of SQL Server: transport encryption and the certificate check. */
public final class SqlServerSourceKeys implements SourceKeys {
    static final Key<Boolean> ENCRYPT = Key.optional("encrypt", "boolean", Values::bool, true,
            "encrypt the connection (the driver's encrypt); false only on a trusted network");
    static final Key<Boolean> TRUST_SERVER_CERTIFICATE = Key.optional("trust-server-certificate", "boolean", Values::bool, false,
            "accept the server's certificate without checking it (a self-signed test server); keep false in production");

    @Override
    public Set<SourceConfig.Type> types() {
        return Set.of(SourceConfig.Type.SQLSERVER);
    }

    @Override
    public List<Key<?>> keys() {
        return List.of(ENCRYPT, TRUST_SERVER_CERTIFICATE);
    }

    @Override
    public SourceConfig read(Section source, SourceConfig common) {
        Map<String, String> options = new HashMap<>();
        options.put("encrypt", String.valueOf(source.get(ENCRYPT)));
        options.put("trust-server-certificate", String.valueOf(source.get(TRUST_SERVER_CERTIFICATE)));
        return common.withOptions(options);
    }
}
