package io.spate.internal.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import io.spate.PipelineMetrics;

/**
 * Binds the metrics of a pipeline's Kafka clients to its meters (Micrometer's
 * {@link KafkaClientMetrics}: {@code kafka.consumer.*}, {@code kafka.producer.*}, among them the
 * per-partition {@code kafka.consumer.fetch.manager.records.lag}), and adds two gauges of its
 * own read from the consumer: {@value PipelineMetrics#CONSUMER_LAG} (the per-partition lags
 * summed) and {@value PipelineMetrics#CONSUMER_CONNECTIONS}. Meters of a client go when it is
 * closed; all go with {@link #close()}.
 */
public final class ClientMeters implements ClientListener, AutoCloseable {

    /** How often new client metrics (a partition's lag once it is fetched) are looked for. */
    private static final Duration REFRESH = Duration.ofSeconds(5);

    private final MeterRegistry registry;
    private final String pipeline;
    private ScheduledExecutorService refresh;
    private final Map<Object, Bound> bound = new ConcurrentHashMap<>();

    /** Meters of one client: Kafka's, and the gauges of a consumer. */
    private record Bound(KafkaClientMetrics metrics, List<Meter> gauges) {
    }

    /** Binds to {@code metrics}' registry; from the first client on, one daemon thread looks for new client metrics until {@link #close()}. */
    public ClientMeters(PipelineMetrics metrics) {
        this.registry = metrics.meterRegistry();
        this.pipeline = metrics.pipeline();
    }

    private synchronized ScheduledExecutorService refresh() {
        if (refresh == null) {
            refresh = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "spate-client-meters-" + pipeline);
                t.setDaemon(true);
                return t;
            });
        }
        return refresh;
    }

    @Override
    public void consumerOpened(Consumer<?, ?> consumer) {
        KafkaClientMetrics kafka = new KafkaClientMetrics(consumer, List.of(), refresh(), REFRESH);
        kafka.bindTo(registry);
        List<Meter> gauges = List.of(
                Gauge.builder(PipelineMetrics.CONSUMER_LAG, consumer, ClientMeters::lag)
                        .description("records behind the end of the assigned partitions, summed").register(registry),
                Gauge.builder(PipelineMetrics.CONSUMER_CONNECTIONS, consumer, c -> value(c, "consumer-metrics", "connection-count"))
                        .description("connections of the consumer to the cluster").register(registry));
        bound.put(consumer, new Bound(kafka, gauges));
    }

    @Override
    public void producerOpened(Producer<?, ?> producer) {
        KafkaClientMetrics kafka = new KafkaClientMetrics(producer, List.of(), refresh(), REFRESH);
        kafka.bindTo(registry);
        bound.put(producer, new Bound(kafka, List.of()));
    }

    @Override
    public void closing(Object client) {
        Bound b = bound.remove(client);
        if (b != null) {
            b.gauges().forEach(registry::remove);
            b.metrics().close();
        }
    }

    /** The per-partition {@code records-lag} of {@code consumer} summed, or NaN before it has fetched. */
    static double lag(Consumer<?, ?> consumer) {
        double sum = 0;
        boolean any = false;
        for (Map.Entry<MetricName, ? extends Metric> e : consumer.metrics().entrySet()) {
            MetricName name = e.getKey();
            if ("records-lag".equals(name.name()) && "consumer-fetch-manager-metrics".equals(name.group())
                    && name.tags().containsKey("partition") && e.getValue().metricValue() instanceof Number n
                    && !Double.isNaN(n.doubleValue())) {
                sum += n.doubleValue();
                any = true;
            }
        }
        return any ? sum : Double.NaN;
    }

    private static double value(Consumer<?, ?> consumer, String group, String metric) {
        for (Map.Entry<MetricName, ? extends Metric> e : consumer.metrics().entrySet()) {
            if (metric.equals(e.getKey().name()) && group.equals(e.getKey().group()) && e.getValue().metricValue() instanceof Number n) {
                return n.doubleValue();
            }
        }
        return Double.NaN;
    }

    @Override
    public synchronized void close() {
        bound.keySet().forEach(this::closing);
        if (refresh != null) {
            refresh.shutdownNow();
        }
    }
}
