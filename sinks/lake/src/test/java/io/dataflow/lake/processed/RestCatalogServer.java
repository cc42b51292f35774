package io.dataflow.lake.processed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.RESTCatalogProperties;
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ConfigResponse;
import org.apache.iceberg.rest.responses.ErrorResponse;

/**
 * A real Iceberg REST-protocol server for tests: the JDK's HTTP server answering the catalog routes DataFlow uses with
 * Iceberg's own {@link CatalogHandlers} over an in-memory catalog, and a bearer token it requires.
 */
final class RestCatalogServer implements AutoCloseable {
    static final String TOKEN = "test-token";
    final InMemoryCatalog catalog = new InMemoryCatalog();
    final AtomicInteger commits = new AtomicInteger();
    private final HttpServer server;
    private final ObjectMapper json = org.apache.iceberg.rest.RestMapper.mapper();

    RestCatalogServer() throws IOException {
        catalog.initialize("server", Map.of());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/", this::handle);
        server.start();
    }

    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
                error(x, 401, "NotAuthorizedException", "a bearer token is required");
                return;
            }
            String[] p = x.getRequestURI().getRawPath().substring("/v1/".length()).split("/");
            String method = x.getRequestMethod();
            byte[] body = x.getRequestBody().readAllBytes();
            Object response;
            if (p[0].equals("config")) {
                response = ConfigResponse.builder().build();
            } else if (p[0].equals("namespaces") && p.length == 1 && method.equals("POST")) {
                response = CatalogHandlers.createNamespace(catalog, json.readValue(body, CreateNamespaceRequest.class));
            } else if (p[0].equals("namespaces") && p.length == 2) {
                Namespace ns = Namespace.of(RESTUtil.decodeString(p[1]));
                if (method.equals("HEAD")) {
                    CatalogHandlers.namespaceExists(catalog, ns);
                    response = null;
                } else {
                    response = CatalogHandlers.loadNamespace(catalog, ns);
                }
            } else if (p[0].equals("namespaces") && p.length == 3 && p[2].equals("tables") && method.equals("POST")) {
                response = CatalogHandlers.createTable(catalog, Namespace.of(RESTUtil.decodeString(p[1])), json.readValue(body, CreateTableRequest.class));
            } else if (p[0].equals("namespaces") && p.length == 4 && p[2].equals("tables")) {
                TableIdentifier id = TableIdentifier.of(Namespace.of(RESTUtil.decodeString(p[1])), RESTUtil.decodeString(p[3]));
                if (method.equals("POST")) {
                    response = CatalogHandlers.updateTable(catalog, id, json.readValue(body, UpdateTableRequest.class));
                    commits.incrementAndGet();
                } else if (method.equals("HEAD")) {
                    CatalogHandlers.tableExists(catalog, id);
                    response = null;
                } else {
                    response = CatalogHandlers.loadTable(catalog, id, RESTCatalogProperties.SnapshotMode.ALL);
                }
            } else {
                error(x, 404, "NotFoundException", "no route " + method + " " + x.getRequestURI());
                return;
            }
            byte[] out = response == null ? new byte[0] : json.writeValueAsBytes(response);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(response == null ? 204 : 200, out.length == 0 ? -1 : out.length);
            x.getResponseBody().write(out);
        } catch (NoSuchTableException | NoSuchNamespaceException e) {
            error(x, 404, e.getClass().getSimpleName(), e.getMessage());
        } catch (AlreadyExistsException e) {
            error(x, 409, "AlreadyExistsException", e.getMessage());
        } catch (CommitFailedException e) {
            error(x, 409, "CommitFailedException", e.getMessage());
        } catch (RuntimeException e) {
            error(x, 500, e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
        } finally {
            x.close();
        }
    }

    private void error(HttpExchange x, int code, String type, String message) throws IOException {
        byte[] out = json.writeValueAsBytes(ErrorResponse.builder().responseCode(code).withType(type).withMessage(message).build());
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(code, out.length);
        x.getResponseBody().write(out);
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        catalog.close();
    }

}
