package io.spate.internal.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.spate.Pipeline;
import io.spate.PipelineState;
import io.spate.RunningPipeline;

/**
 * The node's health, as {@code /alive} and {@code /ready} answer it: a verdict and, per check, what
 * failed for which pipeline.
 *
 * <p>Alive: the actor system runs and no pipeline has failed (its stream, with its consumer
 * thread, compute actor and producer, ended with an error). Ready: alive, and every pipeline of the
 * configuration has started, its consumer has joined its group with its state restored
 * ({@link PipelineState#RUNNING}), and its consumer holds a connection to the cluster (Kafka's own
 * {@code connection-count}, which drops to 0 while no broker answers).
 */
final class NodeHealth {

    /** A verdict and the JSON body that explains it. */
    record Verdict(boolean ok, Map<String, Object> body) {
    }

    private NodeHealth() {
    }

    /** Whether the node is alive. */
    static Verdict alive(boolean systemAlive, List<RunningPipeline> running) {
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean ok = systemAlive;
        checks.put("actor-system", check(systemAlive, systemAlive ? "running" : "terminated"));
        Map<String, Object> pipelines = new LinkedHashMap<>();
        for (RunningPipeline r : running) {
            boolean failed = r.state() == PipelineState.FAILED;
            ok &= !failed;
            pipelines.put(r.pipeline().name(), check(!failed, failed ? "failed: " + failure(r) : r.state().name().toLowerCase(Locale.ROOT)));
        }
        checks.put("pipelines", pipelines);
        return verdict(ok, checks);
    }

    /** Whether the node is ready: every pipeline of {@code configured} running and connected. */
    static Verdict ready(boolean systemAlive, List<Pipeline> configured, List<RunningPipeline> running) {
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean ok = systemAlive;
        checks.put("actor-system", check(systemAlive, systemAlive ? "running" : "terminated"));
        Map<String, Object> pipelines = new LinkedHashMap<>();
        for (Pipeline p : configured) {
            RunningPipeline r = running.stream().filter(x -> x.pipeline().name().equals(p.name())).reduce((a, b) -> b).orElse(null);
            Map<String, Object> check = pipelineReady(r);
            ok &= (Boolean) check.get("ok");
            pipelines.put(p.name(), check);
        }
        checks.put("pipelines", pipelines);
        return verdict(ok, checks);
    }

    private static Map<String, Object> pipelineReady(RunningPipeline r) {
        if (r == null) {
            return check(false, "not started");
        }
        PipelineState state = r.state();
        switch (state) {
            case STARTING:
                return check(false, "starting: joining its consumer group, restoring its state");
            case FAILED:
                return check(false, "failed: " + failure(r));
            case STOPPING:
            case STOPPED:
                return check(false, state.name().toLowerCase(Locale.ROOT));
            default:
                break;
        }
        double connections = r.metrics().consumerConnections();
        if (connections == 0) {
            return check(false, "running, but its consumer has no connection to the Kafka cluster");
        }
        return check(true, "running");
    }

    private static String failure(RunningPipeline r) {
        try {
            r.completion().toCompletableFuture().getNow(null);
            return "unknown";
        } catch (CompletionException e) {
            Throwable c = e;
            while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
                c = c.getCause();
            }
            return c.getMessage() != null ? c.getMessage() : c.toString();
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    private static Map<String, Object> check(boolean ok, String detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", ok);
        m.put("detail", detail);
        return m;
    }

    private static Verdict verdict(boolean ok, Map<String, Object> checks) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ok ? "UP" : "DOWN");
        body.put("checks", checks);
        return new Verdict(ok, body);
    }
}
