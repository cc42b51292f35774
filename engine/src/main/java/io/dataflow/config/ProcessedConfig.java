package io.dataflow.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The processed zone of a lake target: current-state Apache Iceberg tables beside the raw zone.
 *
 * @param enabled        whether the lake keeps a processed zone
 * @param commitInterval how often staged changes are committed to the tables (each commit is one Iceberg snapshot)
 * @param partitionBy    Iceberg partition transforms per table ({@code schema.table}), e.g. {@code [day(created_at)]}
 * @param catalog        where the tables are registered
 * @param maintenance    compaction and snapshot expiry
 */
public record ProcessedConfig(boolean enabled, Duration commitInterval, Map<String, List<String>> partitionBy, Catalog catalog,
        Maintenance maintenance) {

    public static final ProcessedConfig DISABLED = new ProcessedConfig(false, Duration.ofSeconds(30), Map.of(), Catalog.LAKE,
            Maintenance.DEFAULT);

    public ProcessedConfig {
        partitionBy = Map.copyOf(partitionBy);
    }

    /**
     * Where the processed tables are registered.
     *
     * @param type       {@code lake} (no catalog: metadata in the lake), {@code glue} or {@code rest}
     * @param database   the Glue database
     * @param uri        the REST catalog's URI
     * @param warehouse  the REST catalog's warehouse
     * @param credential the REST catalog's OAuth2 client credential ({@code id:secret})
     * @param token      the REST catalog's bearer token
     * @param properties further catalog properties, passed through
     */
    public record Catalog(String type, String database, String uri, String warehouse, String credential, String token,
            Map<String, String> properties) {
        public static final Catalog LAKE = new Catalog("lake", "", "", "", "", "", Map.of());

        public Catalog {
            properties = Map.copyOf(properties);
        }
    }

    /**
     * Table maintenance, run between commits.
     *
     * @param interval        how often maintenance runs
     * @param maxDeleteFiles  compact a table when it has more position-delete files than this
     * @param maxSmallFiles   compact a table when it has more data files below {@code targetFileSize / 4} than this
     * @param targetFileSize  the size compaction aims for
     * @param keepSnapshots   snapshots younger than this are kept (time travel); older ones are expired
     */
    public record Maintenance(Duration interval, int maxDeleteFiles, int maxSmallFiles, long targetFileSize, Duration keepSnapshots) {
        public static final Maintenance DEFAULT = new Maintenance(Duration.ofMinutes(5), 16, 16, 128L << 20, Duration.ofHours(24));
    }
}
