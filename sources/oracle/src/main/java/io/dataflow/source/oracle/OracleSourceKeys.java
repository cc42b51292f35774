package io.dataflow.source.oracle;

import io.dataflow.config.Key;
import io.dataflow.config.Section;
import io.dataflow.config.SourceConfig;
import io.dataflow.config.SourceKeys;
import io.dataflow.config.Values;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code source} keys of Oracle: the pluggable database and how LogMiner reads the dictionary. */
public final class OracleSourceKeys implements SourceKeys {
    static final Key<String> PDB = Key.optional("pdb", "string", Values::nonEmptyString, null,
            "the pluggable database the tables live in (database is then the container database, e.g. ORCLCDB); omit for a non-CDB");
    static final Key<String> LOG_MINING_STRATEGY = Key.optional("log-mining-strategy", "online_catalog | redo_log_catalog | hybrid",
            (p, v) -> Values.oneOf(p, v, "online_catalog", "redo_log_catalog", "hybrid"), "online_catalog",
            "how LogMiner reads the data dictionary: online_catalog (fastest; no DDL while streaming), redo_log_catalog "
                    + "(follows DDL, writes the dictionary to the redo logs), hybrid");

    @Override
    public Set<SourceConfig.Type> types() {
        return Set.of(SourceConfig.Type.ORACLE);
    }

    @Override
    public List<Key<?>> keys() {
        return List.of(PDB, LOG_MINING_STRATEGY);
    }

    @Override
    public SourceConfig read(Section source, SourceConfig common) {
        Map<String, String> options = new HashMap<>();
        if (source.has(PDB)) {
            options.put("pdb", source.get(PDB));
        }
        options.put("log-mining-strategy", source.get(LOG_MINING_STRATEGY));
        return common.withOptions(options);
    }
}
