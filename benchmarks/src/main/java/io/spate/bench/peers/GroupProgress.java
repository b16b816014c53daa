package io.spate.bench.peers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * How far a Kafka Streams application has got, seen from outside through the Admin API: its
 * group's committed offsets against the end offsets of its input and repartition topics.
 */
final class GroupProgress implements AutoCloseable {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final String applicationId;

    GroupProgress(String bootstrapServers, String applicationId) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.applicationId = applicationId;
    }

    /** The partitions of {@code topic}, waiting up to {@code wait} for it to be created. */
    List<TopicPartition> partitionsOf(String topic, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
                return d.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() - deadline > 0) {
                    throw new KafkaException("cannot describe topic " + topic, e.getCause());
                }
            } catch (TimeoutException e) {
                throw new KafkaException("the broker did not describe topic " + topic + " within " + ADMIN_TIMEOUT, e);
            }
            Thread.sleep(KafkaStreamsRunner.POLL_INTERVAL.toMillis());
        }
    }

    /** Where the application starts on each partition: its committed offset, else the earliest one. */
    Map<TopicPartition, Long> startOffsets(Collection<TopicPartition> partitions) throws InterruptedException {
        return positions(partitions, committed(), offsets(partitions, OffsetSpec.earliest()));
    }

    /** The offsets of {@code partitions} that {@code spec} names. */
    Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetSpec spec) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> out = new HashMap<>();
        await(admin.listOffsets(request).all()).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /**
     * The partitions where the application's committed offset is still short of the end, as
     * {@code "topic-p committed/end"}; empty once it has consumed and committed everything in
     * {@code inputEnds} and everything those records sent through its repartition topics.
     */
    List<String> lagging(Map<TopicPartition, Long> inputStarts, Map<TopicPartition, Long> inputEnds) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = committed();
        List<String> lag = behind(positions(inputEnds.keySet(), committed, inputStarts), inputEnds);
        if (!lag.isEmpty()) {
            return lag;
        }
        // The input's offsets are committed only after what its records produced is acked, so the
        // repartition topics hold all they ever will: the aggregations downstream must catch up too.
        List<TopicPartition> repartition = repartitionPartitions();
        Map<TopicPartition, Long> earliest = offsets(repartition, OffsetSpec.earliest());
        return behind(positions(repartition, committed, earliest), offsets(repartition, OffsetSpec.latest()));
    }

    private static List<String> behind(Map<TopicPartition, Long> positions, Map<TopicPartition, Long> ends) {
        List<String> lag = new ArrayList<>();
        ends.forEach((tp, end) -> {
            long at = positions.get(tp);
            if (at < end) {
                lag.add(tp + " " + at + "/" + end);
            }
        });
        return lag;
    }

    private static Map<TopicPartition, Long> positions(Collection<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed,
                                                       Map<TopicPartition, Long> otherwise) {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            out.put(tp, c != null ? c.offset() : otherwise.get(tp));
        }
        return out;
    }

    private Map<TopicPartition, OffsetAndMetadata> committed() throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        // A group that has not committed yet has no offsets; entries may be null for partitions without one.
        await(admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata()).forEach((tp, o) -> {
            if (o != null) {
                out.put(tp, o);
            }
        });
        return out;
    }

    /** Kafka Streams names its repartition topics {@code <application.id>-<name>-repartition}. */
    private List<TopicPartition> repartitionPartitions() throws InterruptedException {
        List<String> topics = await(admin.listTopics().names()).stream()
                .filter(t -> t.startsWith(applicationId + "-") && t.endsWith("-repartition"))
                .toList();
        if (topics.isEmpty()) {
            return List.of();
        }
        List<TopicPartition> out = new ArrayList<>();
        await(admin.describeTopics(topics).allTopicNames()).forEach((topic, d) ->
                d.partitions().forEach(p -> out.add(new TopicPartition(topic, p.partition()))));
        return out;
    }

    private static <T> T await(KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaException("admin request failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("the broker did not answer an admin request within " + ADMIN_TIMEOUT, e);
        }
    }

    @Override
    public void close() {
        admin.close(ADMIN_TIMEOUT);
    }
}
