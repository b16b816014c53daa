package io.spate.internal.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one HTTP server, the JDK's own ({@code com.sun.net.httpserver}: no dependency for a
 * handful of read-only GETs): {@code /metrics}, {@code /alive}, {@code /ready}, {@code /api/status}
 * and the status page at {@code /} with its chart library (uPlot, from its webjar on the class path).
 */
final class NodeHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAGE = "io/spate/node/status.html";
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    /** What the server answers with: a status code, a content type and a body. */
    record Answer(int status, String contentType, byte[] body) {

        /** A JSON answer. */
        static Answer json(int status, Map<String, Object> body) {
            try {
                return new Answer(status, "application/json", JSON.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A text answer. */
        static Answer text(int status, String contentType, String body) {
            return new Answer(status, contentType, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;

    private NodeHttpServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * Serves {@code routes} (exact paths) and the page on {@code host:port}.
     *
     * @throws ConfigException.BadValue naming {@code spate.http.port} when the port is taken, or
     *         {@code spate.http.host} when the address cannot be bound
     */
    static NodeHttpServer start(String host, int port, Map<String, Supplier<Answer>> routes) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (BindException e) {
            throw new ConfigException.BadValue("spate.http.port", host + ":" + port + " is in use (another node on this machine?);"
                    + " set spate.http.port to a free port (0 picks one) or spate.http.enabled = false");
        } catch (IOException | RuntimeException e) {
            throw new ConfigException.BadValue("spate.http.host", "cannot serve on " + host + ":" + port + ": " + e.getMessage());
        }
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "spate-http");
            t.setDaemon(true);
            return t;
        });
        Map<String, Supplier<Answer>> all = new HashMap<>(routes);
        String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        all.put("/", () -> resource(PAGE, "text/html; charset=utf-8"));
        all.put("/uPlot.iife.min.js", () -> resource(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"));
        all.put("/uPlot.min.css", () -> resource(uplot + "uPlot.min.css", "text/css; charset=utf-8"));
        server.createContext("/", exchange -> answer(exchange, all));
        server.setExecutor(threads);
        server.start();
        return new NodeHttpServer(server, threads);
    }

    /** The port the server listens on (the one picked, for port 0). */
    int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, Map<String, Supplier<Answer>> routes) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            Supplier<Answer> route = routes.get(exchange.getRequestURI().getPath());
            Answer a;
            if (!method.equals("GET") && !method.equals("HEAD")) {
                a = Answer.text(405, "text/plain; charset=utf-8", "read-only: GET only\n");
                exchange.getResponseHeaders().add("Allow", "GET, HEAD");
            } else if (route == null) {
                a = Answer.text(404, "text/plain; charset=utf-8", "not found; try /, /metrics, /alive, /ready, /api/status\n");
            } else {
                a = answerOf(route);
            }
            exchange.getResponseHeaders().add("Content-Type", a.contentType());
            exchange.getResponseHeaders().add("Cache-Control", "no-store");
            boolean head = method.equals("HEAD");
            exchange.sendResponseHeaders(a.status(), head ? -1 : a.body().length == 0 ? -1 : a.body().length);
            if (!head && a.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(a.body());
                }
            }
        } finally {
            exchange.close();
        }
    }

    private static Answer answerOf(Supplier<Answer> route) {
        try {
            return route.get();
        } catch (RuntimeException e) {
            LOG.warn("HTTP handler failed", e);
            return Answer.text(500, "text/plain; charset=utf-8", "internal error\n");
        }
    }

    private static Answer resource(String path, String contentType) {
        try (InputStream in = NodeHttpServer.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                return Answer.text(404, "text/plain; charset=utf-8", "missing resource " + path + "\n");
            }
            return new Answer(200, contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The uPlot webjar's version, from its Maven metadata (so the path follows the pom's version). */
    private static String uplotVersion() {
        Properties p = new Properties();
        try (InputStream in = NodeHttpServer.class.getClassLoader().getResourceAsStream(UPLOT_POM)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version", "1.6.30");
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
