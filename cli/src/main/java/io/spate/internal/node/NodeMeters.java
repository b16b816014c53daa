package io.spate.internal.node;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import io.spate.PipelineMetrics;
import io.spate.RunningPipeline;

/**
 * The node's Prometheus registry: the JVM's meters (memory, GC, threads, classes, CPU, uptime)
 * and the meters of the pipelines it runs, bound as they start and unbound when a pipeline is
 * replaced (a restart) or the node stops.
 */
final class NodeMeters implements AutoCloseable {

    /** Prometheus's text exposition format, as {@link PrometheusMeterRegistry#scrape()} writes it. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<RunningPipeline, PipelineMetrics> bound = new IdentityHashMap<>();

    NodeMeters() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Binds the meters of the pipelines of {@code running} not bound yet (or restarted since), and unbinds those no longer in it. */
    synchronized void track(List<RunningPipeline> running) {
        bound.entrySet().removeIf(e -> {
            boolean gone = running.stream().noneMatch(r -> r == e.getKey());
            if (gone) {
                e.getValue().unbindFrom(registry);
            }
            return gone;
        });
        for (RunningPipeline r : running) {
            PipelineMetrics now = r.metrics();
            PipelineMetrics before = bound.get(r);
            // A pipeline the node restarted has new meters: swap them in.
            if (before != now) {
                if (before != null) {
                    before.unbindFrom(registry);
                }
                now.bindTo(registry);
                bound.put(r, now);
            }
        }
    }

    /** Every meter in Prometheus's text format. */
    String scrape() {
        return registry.scrape();
    }

    @Override
    public synchronized void close() {
        bound.values().forEach(m -> m.unbindFrom(registry));
        bound.clear();
        gc.close();
        registry.close();
    }
}
