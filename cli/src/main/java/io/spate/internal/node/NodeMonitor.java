package io.spate.internal.node;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.Pipeline;
import io.spate.RunningPipeline;

/**
 * What a node shows of itself: its meters ({@link NodeMeters}), its health ({@link NodeHealth}),
 * the status page, its JSON and the last five minutes of it (sampled every 2 s), served by
 * {@link NodeHttpServer}, and the status line it logs every {@code spate.node.status-interval}. It reads the node's pipelines each time it is asked, so a
 * pipeline that is replaced (restarted) shows as its new run.
 */
final class NodeMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeMonitor.class);
    private static final Logger STATUS = LoggerFactory.getLogger("io.spate.status");
    /** The page's history: a sample every 2 s for the last 5 minutes, so that it shows them as soon as it opens. */
    private static final int HISTORY = 150;
    private static final long SAMPLE_MILLIS = 2_000;

    private final List<Pipeline> configured;
    private final Supplier<List<RunningPipeline>> running;
    private final BooleanSupplier systemAlive;
    private final NodeMeters meters = new NodeMeters();
    private final StatusReport report = new StatusReport();
    private final long startMillis = System.currentTimeMillis();
    private final ScheduledExecutorService timer;
    private final NodeHttpServer server;
    private final ArrayDeque<Map<String, Object>> history = new ArrayDeque<>(HISTORY);

    private NodeMonitor(NodeSettings settings, List<Pipeline> configured, Supplier<List<RunningPipeline>> running,
                        BooleanSupplier systemAlive) {
        this.configured = List.copyOf(configured);
        this.running = running;
        this.systemAlive = systemAlive;
        try {
            this.server = settings.httpEnabled() ? NodeHttpServer.start(settings.httpHost(), settings.httpPort(), routes()) : null;
        } catch (RuntimeException e) {
            meters.close();
            throw e;
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spate-status");
            t.setDaemon(true);
            return t;
        });
        // Pipelines' meters are bound within a second of their start, so their timers miss next to nothing.
        timer.scheduleWithFixedDelay(this::track, 0, 1, TimeUnit.SECONDS);
        if (server != null) {
            timer.scheduleAtFixedRate(this::sample, 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
        }
        long every = settings.statusInterval().toMillis();
        if (every > 0) {
            timer.scheduleAtFixedRate(this::logStatus, every, every, TimeUnit.MILLISECONDS);
        }
        if (server != null) {
            LOG.info("status page http://{}:{}/ (metrics at /metrics, health at /alive and /ready)", settings.httpHost(), server.port());
        }
    }

    /**
     * Starts serving (when {@code spate.http.enabled}) and logging the status line.
     *
     * @throws com.typesafe.config.ConfigException.BadValue naming {@code spate.http.port} when it is in use
     */
    static NodeMonitor start(NodeSettings settings, List<Pipeline> configured, Supplier<List<RunningPipeline>> running,
                             BooleanSupplier systemAlive) {
        return new NodeMonitor(settings, configured, running, systemAlive);
    }

    /** The port the HTTP server got, or -1 when it is off. */
    int port() {
        return server == null ? -1 : server.port();
    }

    private Map<String, Supplier<NodeHttpServer.Answer>> routes() {
        Map<String, Supplier<NodeHttpServer.Answer>> routes = new LinkedHashMap<>();
        routes.put("/metrics", () -> {
            meters.track(pipelines());
            return NodeHttpServer.Answer.text(200, NodeMeters.CONTENT_TYPE, meters.scrape());
        });
        routes.put("/alive", () -> answer(NodeHealth.alive(systemAlive.getAsBoolean(), pipelines())));
        routes.put("/ready", () -> answer(NodeHealth.ready(systemAlive.getAsBoolean(), configured, pipelines())));
        routes.put("/api/status", () -> NodeHttpServer.Answer.json(200, status()));
        routes.put("/api/history", () -> NodeHttpServer.Answer.json(200, Map.of("samples", history())));
        return routes;
    }

    private static NodeHttpServer.Answer answer(NodeHealth.Verdict v) {
        return NodeHttpServer.Answer.json(v.ok() ? 200 : 503, v.body());
    }

    /** The JSON the status page polls. */
    Map<String, Object> status() {
        List<RunningPipeline> now = pipelines();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("time", System.currentTimeMillis());
        s.put("uptimeSeconds", (System.currentTimeMillis() - startMillis) / 1000.0);
        boolean alive = systemAlive.getAsBoolean();
        s.put("alive", NodeHealth.alive(alive, now).ok());
        s.put("ready", NodeHealth.ready(alive, configured, now).ok());
        List<Map<String, Object>> pipelines = new ArrayList<>();
        now.forEach(r -> pipelines.add(StatusReport.pipeline(r)));
        s.put("pipelines", pipelines);
        return s;
    }

    private synchronized List<Map<String, Object>> history() {
        return new ArrayList<>(history);
    }

    private void sample() {
        try {
            Map<String, Object> s = status();
            synchronized (this) {
                if (history.size() == HISTORY) {
                    history.removeFirst();
                }
                history.addLast(s);
            }
        } catch (RuntimeException e) {
            LOG.warn("status sample failed", e);
        }
    }

    private List<RunningPipeline> pipelines() {
        return List.copyOf(running.get());
    }

    private void track() {
        try {
            List<RunningPipeline> now = pipelines();
            meters.track(now);
            report.observe(now);
        } catch (RuntimeException e) {
            LOG.warn("binding pipeline meters failed", e);
        }
    }

    private void logStatus() {
        try {
            String lines = report.lines(pipelines());
            if (!lines.isEmpty()) {
                lines.lines().forEach(STATUS::info);
            }
        } catch (RuntimeException e) {
            LOG.warn("status line failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (server != null) {
            server.close();
        }
        meters.close();
    }
}
