package io.dataflow.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflow.config.JdbcTarget;
import io.dataflow.config.Key;
import io.dataflow.config.PipelineConfigReader;
import io.dataflow.config.Section;
import io.dataflow.config.TargetConfig;
import io.dataflow.config.TargetKeys;
import io.dataflow.config.Values;
import java.util.List;
import java.util.Map;

/** The keys of a database target ({@code type: jdbc}). */
public final class JdbcTargetKeys implements TargetKeys {
    static final Key<String> JDBC_URL = Key.required("url", "JDBC URL", JdbcTargetKeys::jdbcUrl,
            "jdbc:postgresql://host:5432/db, jdbc:mariadb://host:3306/db or jdbc:mysql://host:3306/db");
    static final Key<String> JDBC_USER = Key.required("user", "string", Values::nonEmptyString, "user name");
    static final Key<String> JDBC_PASSWORD = Key.optional("password", "string", Values::string, "",
            "password; use ${env:NAME} or ${file:PATH} to keep it out of the file");
    static final Key<String> JDBC_SCHEMA = Key.optional("schema", "string", Values::nonEmptyString, "",
            "schema (PostgreSQL) or database (MariaDB/MySQL) all tables go to (default: the source schema's name on PostgreSQL, "
                    + "the URL's database on MariaDB/MySQL)");
    static final Key<JdbcTarget.TablePrep> TABLE_PREP = Key.optional("table-prep", "create | truncate | keep",
            (p, v) -> Values.choice(p, v, JdbcTarget.TablePrep.class), JdbcTarget.TablePrep.CREATE,
            "create: create the converted tables, refusing existing ones; truncate: check existing tables and empty them; "
                    + "keep: check existing tables and keep their rows");
    static final Key<String> IDENTIFIER_CASE = Key.optional("identifier-case", "preserve | lower",
            (p, v) -> Values.oneOf(p, v, "preserve", "lower"), "preserve", "preserve: names as the source spells them (quoted); lower: lower-cased");
    static final Key<String> ENUM_MODE = Key.optional("enum", "check | type", (p, v) -> Values.oneOf(p, v, "check", "type"), "check",
            "PostgreSQL targets: a MySQL enum becomes text with a CHECK constraint, or a PostgreSQL enum type");
    static final List<Key<?>> KEYS = List.of(PipelineConfigReader.TARGET_TYPE, JDBC_URL, JDBC_USER, JDBC_PASSWORD, JDBC_SCHEMA,
            TABLE_PREP, IDENTIFIER_CASE, ENUM_MODE, PipelineConfigReader.FLUSH);

    @Override
    public TargetConfig.Type type() {
        return TargetConfig.Type.JDBC;
    }

    @Override
    public List<Key<?>> keys() {
        return KEYS;
    }

    @Override
    public TargetConfig read(String path, Section t, TargetConfig.Flush flush) {
        return TargetConfig.jdbc(new JdbcTarget(t.get(JDBC_URL), t.get(JDBC_USER), t.get(JDBC_PASSWORD), t.get(JDBC_SCHEMA),
                t.get(TABLE_PREP), t.get(IDENTIFIER_CASE), t.get(ENUM_MODE)), flush);
    }

    @Override
    public Map<String, List<Key<?>>> reference() {
        return Map.of("targets[] with type: jdbc", KEYS);
    }

    static String jdbcUrl(String path, JsonNode v) {
        return Values.matching(path, v, "(?i)jdbc:(postgresql|mariadb|mysql)://.+", "is not a supported JDBC URL; expected "
                + "jdbc:postgresql://host:5432/db, jdbc:mariadb://host:3306/db or jdbc:mysql://host:3306/db");
    }
}
