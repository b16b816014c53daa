package io.spate.it;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import io.spate.broker.EmbeddedKafkaBroker;

/**
 * Topics that are ready to take records before a test writes to them. A broker serves a new
 * partition only once it has applied the topic from its metadata log, a little after the
 * controller has created it; producing at once can lose records: an idempotent producer's first
 * request fails, a later one lands, and the first is then refused until it expires (KAFKA-15591,
 * seen on a loaded machine as {@code OUT_OF_ORDER_SEQUENCE_NUMBER} for two minutes).
 */
public final class ServedTopics {

    private ServedTopics() {
    }

    /** Creates {@code topic} on {@code broker} and waits until the broker serves each of its partitions. */
    public static void create(EmbeddedKafkaBroker broker, String topic, int partitions) throws Exception {
        broker.createTopic(topic, partitions);
        awaitServed(broker.bootstrapServers(), topic);
    }

    /** Waits (up to 2 minutes) until each partition of {@code topic} answers from its leader, which it does once the broker has it. */
    public static void awaitServed(String bootstrap, String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            while (true) {
                try {
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                            .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the partitions of " + topic + " are not served after 2 minutes", e);
                    }
                    Thread.sleep(100);
                }
            }
        }
    }
}
