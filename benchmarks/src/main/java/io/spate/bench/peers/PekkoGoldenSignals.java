package io.spate.bench.peers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.kafka.CommitterSettings;
import org.apache.pekko.kafka.ConsumerMessage;
import org.apache.pekko.kafka.ConsumerMessage.Committable;
import org.apache.pekko.kafka.ConsumerMessage.CommittableMessage;
import org.apache.pekko.kafka.ConsumerSettings;
import org.apache.pekko.kafka.ProducerMessage;
import org.apache.pekko.kafka.ProducerSettings;
import org.apache.pekko.kafka.Subscriptions;
import org.apache.pekko.kafka.javadsl.Committer;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.kafka.javadsl.Producer;
import org.apache.pekko.stream.javadsl.RunnableGraph;

import io.spate.bench.peers.SignalRecords.ErrorKey;
import io.spate.bench.peers.SignalRecords.HostBytes;
import io.spate.bench.peers.SignalRecords.HostErrors;
import io.spate.bench.peers.SignalRecords.HostRequests;

/**
 * The golden signals of {@code config/golden-signals.conf} as a JVM user would write them by hand
 * with Pekko Streams and pekko-connectors-kafka, without Spate: a committable source,
 * {@code groupedWithin(batch, 200 ms)}, each line parsed with {@link LogLine}, per-batch
 * {@link HashMap}s, one JSON record per group per batch, produced by {@code Producer.flexiFlow} and
 * the batch's offsets committed by {@code Committer.sink} once all its records are acked
 * (at-least-once).
 *
 * <p>Not {@code Producer.committableSink}, which would be shorter: with a
 * {@code CommittableOffsetBatch} as pass-through (one per batch of messages) its stage counts one
 * awaited commit per batch but subtracts the batch's message count when the commit comes back, so
 * the count goes negative and a drained stream never completes (akka/alpakka-kafka#1671, still in
 * pekko-connectors-kafka 1.2.0). {@code flexiFlow} then {@code Committer.sink} is the connector's
 * documented Kafka-to-Kafka at-least-once pattern and does the same work.
 *
 * <p>The outputs are Spate's, keys and values alike:
 * <ul>
 *   <li>{@code <prefix>traffic}: {@code {"host":...,"requests":N}} keyed by the host (UTF-8);</li>
 *   <li>{@code <prefix>errors}: for status &gt;= 500, {@code {"host":...,"response":NNN,"errors":N}}
 *       keyed by {@code {"host":...,"response":NNN}};</li>
 *   <li>{@code <prefix>mb-sent}: {@code {"host":...,"bytes":N}} keyed by the host, {@code -} read as 0;</li>
 *   <li>{@code <prefix>weblogs.dlq}: lines without the Common Log Format shape, unchanged.</li>
 * </ul>
 * As in Spate, each record holds one batch's count or sum, so a key's total is the sum of its records.
 *
 * <p>Settings: the connector's defaults, except what makes the comparison one of processing, not
 * of client tuning: the consumer and producer get Spate's own defaults ({@code max.poll.records}
 * 10,000, {@code max.partition.fetch.bytes} 8 MiB, {@code receive.buffer.bytes} -1, {@code fetch.max.wait.ms} 100; {@code linger.ms} 5,
 * {@code batch.size} 128 KiB, {@code acks=all}, idempotence), and the committer's {@code max-interval} is the batch window instead of 10 s, so
 * that a batch under the committer's {@code max-batch} (1,000 offsets; the last one of an input,
 * say) is committed as soon as Spate would commit it rather than up to 10 s later.
 *
 * <p>One instance counts what its graphs read ({@link #counts()}), so a runner can report bytes as Spate does.
 */
public final class PekkoGoldenSignals {

    /** How long a batch may wait for more records: Spate's default {@code max-latency}. */
    public static final Duration BATCH_WINDOW = Duration.ofMillis(200);

    /** Thread-safe once configured, and never reconfigured. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SignalTopics topics;
    private final int batchRecords;
    private final ReadCounts counts = new ReadCounts();

    private PekkoGoldenSignals(String inputTopic, String outputPrefix, int batchRecords) {
        this.topics = new SignalTopics(inputTopic, outputPrefix);
        if (batchRecords < 1) {
            throw new IllegalArgumentException("batchRecords must be at least 1, was " + batchRecords);
        }
        this.batchRecords = batchRecords;
    }

    /** The golden signals of {@code inputTopic} in batches of up to {@code batchRecords}, to topics named {@code outputPrefix} + the signal. */
    public static PekkoGoldenSignals create(String inputTopic, String outputPrefix, int batchRecords) {
        return new PekkoGoldenSignals(inputTopic, outputPrefix, batchRecords);
    }

    /** The pipeline reading as consumer group {@code groupId}; run it, then drain it with the control it gives. */
    public RunnableGraph<Consumer.DrainingControl<Done>> graph(ClassicActorSystemProvider system, String bootstrapServers, String groupId) {
        return Consumer.committableSource(consumerSettings(system, bootstrapServers, groupId), Subscriptions.topics(topics.input()))
                .groupedWithin(batchRecords, BATCH_WINDOW)
                .map(this::signals)
                .via(Producer.flexiFlow(producerSettings(system, bootstrapServers)))
                .<Committable>map(ProducerMessage.Results::passThrough)
                .toMat(Committer.sink(committerSettings(system)), Consumer::createDrainingControl);
    }

    private static ConsumerSettings<byte[], byte[]> consumerSettings(ClassicActorSystemProvider system, String bootstrapServers,
                                                                     String groupId) {
        return ConsumerSettings.create(system, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .withBootstrapServers(bootstrapServers)
                .withGroupId(groupId)
                .withProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .withProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000")
                .withProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 << 20))
                .withProperty(ConsumerConfig.RECEIVE_BUFFER_CONFIG, "-1")
                .withProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100")
                // The draining control stops the stream itself; the consumer need not linger after it.
                .withStopTimeout(Duration.ZERO);
    }

    private static ProducerSettings<byte[], byte[]> producerSettings(ClassicActorSystemProvider system, String bootstrapServers) {
        return ProducerSettings.create(system, new ByteArraySerializer(), new ByteArraySerializer())
                .withBootstrapServers(bootstrapServers)
                .withProperty(ProducerConfig.LINGER_MS_CONFIG, "5")
                .withProperty(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 << 10))
                .withProperty(ProducerConfig.ACKS_CONFIG, "all")
                .withProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    }

    private static CommitterSettings committerSettings(ClassicActorSystemProvider system) {
        return CommitterSettings.create(system).withMaxInterval(BATCH_WINDOW);
    }

    /** One batch's signals: its records for the three topics and its dead letters, passing the batch's offsets on. */
    ProducerMessage.Envelope<byte[], byte[], Committable> signals(List<CommittableMessage<byte[], byte[]>> batch) {
        Map<String, Long> requests = new HashMap<>();
        Map<String, Long> sizes = new HashMap<>();
        Map<ErrorKey, Long> errors = new HashMap<>();
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        List<ConsumerMessage.CommittableOffset> offsets = new ArrayList<>(batch.size());
        for (CommittableMessage<byte[], byte[]> message : batch) {
            offsets.add(message.committableOffset());
            ConsumerRecord<byte[], byte[]> record = message.record();
            counts.read(record.value());
            LogLine line = LogLine.parse(record.value());
            if (line == null) {
                counts.malformed();
                out.add(new ProducerRecord<>(topics.deadLetter(), record.key(), record.value()));
                continue;
            }
            requests.merge(line.host(), 1L, Long::sum);
            sizes.merge(line.host(), line.bytes(), Long::sum);
            if (line.status() >= 500) {
                errors.merge(new ErrorKey(line.host(), line.status()), 1L, Long::sum);
            }
        }
        requests.forEach((host, n) -> out.add(new ProducerRecord<>(topics.traffic(), utf8(host), json(new HostRequests(host, n)))));
        errors.forEach((key, n) -> out.add(new ProducerRecord<>(topics.errors(), json(key), json(new HostErrors(key.host(), key.response(), n)))));
        sizes.forEach((host, n) -> out.add(new ProducerRecord<>(topics.mbSent(), utf8(host), json(new HostBytes(host, n)))));
        return ProducerMessage.multi(out, ConsumerMessage.createCommittableOffsetBatch(offsets));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON", e);
        }
    }

    /** Where it reads and writes. */
    public SignalTopics topics() {
        return topics;
    }

    /** What it has read so far. */
    public ReadCounts counts() {
        return counts;
    }
}
