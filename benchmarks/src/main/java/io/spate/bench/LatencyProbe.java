package io.spate.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end latency at a fixed offered rate: produces log lines at {@code rate} records/s and,
 * every 100 ms, a marker line from a host of its own ({@code marker-N}); the latency of a marker is
 * the time from its send to the first output record keyed by its host on the traffic topic. Both
 * Spate (per-batch records) and Kafka Streams (changelog updates) emit such a record, so the same
 * probe measures both.
 */
final class LatencyProbe {

    private LatencyProbe() {
    }

    /** Latencies in milliseconds of the markers that came out within the run plus 15 s. */
    static List<Double> measure(String bootstrap, String input, String traffic, List<byte[]> lines, int rate, Duration duration)
            throws InterruptedException {
        Map<Long, Long> sent = new ConcurrentHashMap<>();
        Map<Long, Long> seen = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread watcher = new Thread(() -> watch(bootstrap, traffic, seen, done), "latency-watcher");
        watcher.setDaemon(true);
        watcher.start();
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        long markers = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long produced = 0;
            int next = 0;
            long nextMarker = start;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                long due = (now - start) * rate / 1_000_000_000L;
                while (produced < due) {
                    producer.send(new ProducerRecord<>(input, lines.get(next)));
                    next = (next + 1) % lines.size();
                    produced++;
                }
                if (now >= nextMarker) {
                    long id = markers++;
                    String line = "marker-" + id + " - - [01/Jul/1995:00:00:00 -0400] \"GET /marker HTTP/1.0\" 200 1";
                    sent.put(id, System.nanoTime());
                    producer.send(new ProducerRecord<>(input, line.getBytes(StandardCharsets.US_ASCII)));
                    nextMarker += 100_000_000L;
                }
                Thread.sleep(1);
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (seen.size() < markers && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        done.set(true);
        watcher.join(5000);
        List<Double> latencies = new ArrayList<>();
        sent.forEach((id, t0) -> {
            Long t1 = seen.get(id);
            if (t1 != null) {
                latencies.add((t1 - t0) / 1e6);
            }
        });
        latencies.sort(Double::compare);
        return latencies;
    }

    private static void watch(String bootstrap, String traffic, Map<Long, Long> seen, AtomicBoolean done) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            while (partitions.isEmpty() && !done.get()) {
                var infos = consumer.partitionsFor(traffic, Duration.ofSeconds(5));
                if (infos != null) {
                    infos.forEach(p -> partitions.add(new TopicPartition(traffic, p.partition())));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!done.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    if (r.key() != null && r.key().length > 7 && r.key()[0] == 'm') {
                        String key = new String(r.key(), StandardCharsets.US_ASCII);
                        if (key.startsWith("marker-")) {
                            seen.putIfAbsent(Long.parseLong(key.substring(7)), System.nanoTime());
                        }
                    }
                }
            }
        }
    }

    /** The {@code q} quantile (0..1) of sorted values, NaN when empty. */
    static double quantile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
