package io.dataflow.config;

import java.util.List;
import java.util.Set;

/**
 * The {@code source} keys one family of sources adds to the common ones (type, host, port, database, user, password,
 * ssl-mode, debezium), declared by the module that reads that family, e.g. PostgreSQL's {@code slot}. Found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.dataflow.config.SourceKeys}) by
 * {@link PipelineConfigReader}.
 */
public interface SourceKeys {

    /** The source types these keys belong to. */
    Set<SourceConfig.Type> types();

    /** The family's own keys, in the order messages and the reference list them. */
    List<Key<?>> keys();

    /** The source with the family's keys applied to what the common keys (and the defaults) gave. */
    SourceConfig read(Section source, SourceConfig common);
}
