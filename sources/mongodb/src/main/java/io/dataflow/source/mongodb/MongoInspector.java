package io.dataflow.source.mongodb;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.dataflow.api.SourceException;
import io.dataflow.api.TableId;
import io.dataflow.config.PipelineConfig;
import io.dataflow.config.SourceConfig;
import io.dataflow.config.TableSelection;
import io.dataflow.source.SourceInspector;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * What a MongoDB source offers for change streams: a replica set or a sharded cluster (a standalone server has no
 * oplog to stream), the user's {@code find} and {@code changeStream} rights on the database, and pre-images on each
 * collection when the capture mode needs them; each with the command that fixes it. MongoDB is not reached over JDBC:
 * {@link #connect()} says so to the commands that would need it (validate, assess).
 */
public final class MongoInspector implements SourceInspector {
    private final SourceConfig config;

    public MongoInspector(SourceConfig config) {
        this.config = config;
    }

    /** A client that gives up on an unreachable server after 10 s instead of the driver's 30. */
    MongoClient client() {
        ConnectionString cs = new ConnectionString(MongoSourceKeys.connectionString(config));
        return MongoClients.create(MongoClientSettings.builder().applyConnectionString(cs)
                .applyToClusterSettings(b -> b.serverSelectionTimeout(10, TimeUnit.SECONDS))
                .applyToSocketSettings(b -> b.connectTimeout(10, TimeUnit.SECONDS)).build());
    }

    @Override
    public Connection connect() throws SQLException {
        throw new SQLException("a MongoDB source is read through change streams, not SQL: this command supports SQL sources only "
                + "(PostgreSQL, MariaDB, MySQL, Oracle, SQL Server)", "0A000");
    }

    @Override
    public SourceException explain(SQLException e) {
        return new SourceException(e.getMessage(), true, e);
    }

    /** Turns a driver failure into one line that says what to do. */
    SourceException explain(MongoException e) {
        String where = where();
        if (e instanceof MongoSecurityException) {
            return new SourceException("MongoDB refused the login at " + where + ": " + e.getMessage()
                    + "; check source.user and source.password (or the connection string's credentials and authSource)", true, e);
        }
        if (e instanceof MongoTimeoutException) {
            return new SourceException("cannot reach MongoDB at " + where + " within 10 s; is the server running and reachable, and "
                    + "does the connection string name it?", false, e);
        }
        return new SourceException("MongoDB error at " + where + ": " + e.getMessage(), false, e);
    }

    /** Where the server is, never with credentials. */
    String where() {
        ConnectionString cs = new ConnectionString(MongoSourceKeys.connectionString(config));
        return String.join(",", cs.getHosts()) + "/" + config.database();
    }

    /** The connection is not used: MongoDB is read with its own client ({@link #selected}). */
    @Override
    public List<TableInfo> tables(Connection unused, TableSelection selection) {
        return selected(selection);
    }

    /** The selected collections, read with a client of its own. */
    public List<TableInfo> selected(TableSelection selection) {
        try (MongoClient client = client()) {
            return collections(client.getDatabase(config.database()), selection);
        } catch (MongoException e) {
            throw explain(e);
        }
    }

    /** The database's collections the selection names (schema = the database), with their estimated document counts. */
    List<TableInfo> collections(MongoDatabase db, TableSelection selection) {
        List<TableInfo> out = new ArrayList<>();
        for (String name : db.listCollectionNames()) {
            TableId id = new TableId(config.database(), name);
            if (!name.startsWith("system.") && selection.matches(id)) {
                out.add(new TableInfo(id, List.of("_id"), true, db.getCollection(name).estimatedDocumentCount(), ""));
            }
        }
        out.sort(java.util.Comparator.comparing(t -> t.id().table()));
        return out;
    }

    @Override
    public Report check(PipelineConfig pipeline) {
        try (MongoClient client = client()) {
            MongoDatabase admin = client.getDatabase("admin");
            Document build = admin.runCommand(new Document("buildInfo", 1));
            Document hello = admin.runCommand(new Document("hello", 1));
            List<Finding> f = new ArrayList<>();
            MongoDatabase db = client.getDatabase(config.database());
            List<TableInfo> tables = collections(db, pipeline.tables());
            if (pipeline.mode().streams()) {
                boolean replicaSet = hello.containsKey("setName") || "isdbgrid".equals(hello.getString("msg"));
                f.add(new Finding(replicaSet, replicaSet ? "topology: " + (hello.containsKey("setName") ? "replica set "
                        + hello.getString("setName") : "sharded cluster (mongos)") : "topology: a standalone server",
                        "change streams need a replica set: start mongod with --replSet rs0, then run rs.initiate() once (a one-node "
                                + "replica set is enough)"));
                Set<String> actions = actions(admin, config.database());
                for (String action : List.of("find", "changeStream")) {
                    f.add(new Finding(actions.contains(action), "action " + action + " on database " + config.database() + " for "
                            + pipeline.source().user(), "db.getSiblingDB('admin').grantRolesToUser('" + pipeline.source().user()
                            + "', [{role: 'read', db: '" + config.database() + "'}])"));
                }
                if (config.option("capture-mode", "").contains("pre_image")) {
                    for (Document info : db.listCollections()) {
                        String name = info.getString("name");
                        if (!selectedName(tables, name)) {
                            continue;
                        }
                        Document options = info.get("options", new Document());
                        Document pre = options.get("changeStreamPreAndPostImages", new Document());
                        f.add(new Finding(Boolean.TRUE.equals(pre.getBoolean("enabled")), "pre-images for " + config.database() + "." + name,
                                "db.runCommand({collMod: '" + name + "', changeStreamPreAndPostImages: {enabled: true}}) (MongoDB 6.0+)"));
                    }
                }
            }
            return new Report("MongoDB " + build.getString("version"), f, tables);
        } catch (MongoException e) {
            throw explain(e);
        }
    }

    private static boolean selectedName(List<TableInfo> tables, String name) {
        return tables.stream().anyMatch(t -> t.id().table().equals(name));
    }

    /** The actions the user may take on the database (or on any database), from connectionStatus. */
    private static Set<String> actions(MongoDatabase admin, String database) {
        Document status = admin.runCommand(new Document("connectionStatus", 1).append("showPrivileges", true));
        Document auth = status.get("authInfo", new Document());
        Set<String> out = new HashSet<>();
        List<Document> users = auth.getList("authenticatedUsers", Document.class, List.of());
        if (users.isEmpty()) {
            return Set.of("find", "changeStream"); // no authentication: everything is allowed
        }
        for (Document p : auth.getList("authenticatedUserPrivileges", Document.class, List.of())) {
            Document resource = p.get("resource", new Document());
            String db = resource.getString("db");
            boolean applies = Boolean.TRUE.equals(resource.getBoolean("anyResource")) || database.equals(db) || "".equals(db);
            if (applies) {
                out.addAll(p.getList("actions", String.class, List.of()));
            }
        }
        return out;
    }
}
