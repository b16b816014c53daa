package io.spate.internal.node;

import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;

import io.spate.PipelineMetrics;
import io.spate.RunningPipeline;
import io.spate.spi.BackendStats;

/**
 * What the node says of its pipelines: the figures of each (counts, lag, latency and compute-time
 * percentiles, batch size, dead letters, backend), as the status page polls them, and the status
 * line the node logs. Only counts and states: no setting's value, so nothing secret.
 */
final class StatusReport {

    private final Map<RunningPipeline, long[]> lastLine = new IdentityHashMap<>();

    /** The figures of {@code r}, for the page's JSON. */
    static Map<String, Object> pipeline(RunningPipeline r) {
        PipelineMetrics m = r.metrics();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", r.pipeline().name());
        p.put("state", r.state().name());
        p.put("backend", r.backend());
        p.put("records", m.records());
        p.put("bytes", m.bytes());
        p.put("batches", m.batches());
        p.put("batchesByBackend", m.batchesByBackend());
        p.put("deadLetters", m.rejected());
        p.put("deadLettersByReason", m.deadLetters());
        p.put("outputRecords", m.outputRecords());
        p.put("faults", m.faults());
        BackendStats stats = m.backendStats();
        p.put("stateGroups", stats.stateGroups() < 0 ? null : stats.stateGroups());
        p.put("deviceCopiedBytes", stats.deviceCopiedBytes());
        p.put("deviceSeconds", stats.deviceNanos() / 1e9);
        p.put("deviceMemoryBytes", stats.deviceMemoryBytes());
        p.put("lag", finite(m.consumerLag()));
        p.put("latencyMs", percentiles(m.latency().takeSnapshot()));
        Timer compute = busiest(m.computeTimes());
        p.put("computeMs", compute == null ? null : percentiles(compute.takeSnapshot()));
        DistributionSummary size = m.batchSize();
        HistogramSnapshot s = size.takeSnapshot();
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("mean", finite(s.mean()));
        for (ValueAtPercentile v : s.percentileValues()) {
            batch.put(label(v), finite(v.value()));
        }
        p.put("batchSize", batch);
        return p;
    }

    /** The compute timer of the backend that computed most batches. */
    private static Timer busiest(Map<String, Timer> timers) {
        return timers.values().stream().max(Comparator.comparingLong(Timer::count)).orElse(null);
    }

    private static Map<String, Object> percentiles(HistogramSnapshot s) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ValueAtPercentile v : s.percentileValues()) {
            out.put(label(v), s.count() == 0 ? null : finite(v.value(TimeUnit.MILLISECONDS)));
        }
        out.put("max", finite(s.max(TimeUnit.MILLISECONDS)));
        out.put("count", s.count());
        return out;
    }

    private static String label(ValueAtPercentile v) {
        return "p" + Math.round(v.percentile() * 100);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** Notes the pipelines of {@code running} not seen before: their first line's rate counts from now. */
    synchronized void observe(List<RunningPipeline> running) {
        long now = System.nanoTime();
        for (RunningPipeline r : running) {
            lastLine.putIfAbsent(r, new long[] {0, now});
        }
    }

    /**
     * One line per pipeline: records/s since the last line (or since it was first observed), lag,
     * p99 latency, backend and the GPU's share of batches, dead letters.
     */
    synchronized String lines(List<RunningPipeline> running) {
        StringBuilder out = new StringBuilder();
        long now = System.nanoTime();
        for (RunningPipeline r : running) {
            PipelineMetrics m = r.metrics();
            long[] last = lastLine.getOrDefault(r, new long[] {0, now});
            double secs = (now - last[1]) / 1e9;
            double rate = secs > 0 ? (m.records() - last[0]) / secs : 0;
            lastLine.put(r, new long[] {m.records(), now});
            double p99 = p99(m.latency().takeSnapshot());
            double lag = m.consumerLag();
            Map<String, Long> byBackend = m.batchesByBackend();
            long all = byBackend.values().stream().mapToLong(Long::longValue).sum();
            long gpu = byBackend.getOrDefault("gpu", 0L);
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(String.format(Locale.ROOT, "%s %s: %,.0f records/s, lag %s, p99 latency %s, %s backend%s, %,d dead letters",
                    r.pipeline().name(), r.state().name().toLowerCase(Locale.ROOT), rate,
                    Double.isNaN(lag) ? "-" : String.format(Locale.ROOT, "%,.0f", lag),
                    Double.isNaN(p99) ? "-" : String.format(Locale.ROOT, "%.0f ms", p99), r.backend(),
                    all > 0 && gpu > 0 ? String.format(Locale.ROOT, " (gpu %.0f%% of batches)", 100.0 * gpu / all) : "",
                    m.rejected()));
        }
        lastLine.keySet().removeIf(r -> running.stream().noneMatch(x -> x == r));
        return out.toString();
    }

    private static double p99(HistogramSnapshot s) {
        if (s.count() == 0) {
            return Double.NaN;
        }
        for (ValueAtPercentile v : s.percentileValues()) {
            if (v.percentile() == 0.99) {
                return v.value(TimeUnit.MILLISECONDS);
            }
        }
        return s.max(TimeUnit.MILLISECONDS);
    }
}
