package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.ConfigFactory;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.pekko.Done;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.spate.Delivery;
import io.spate.OutputBatch;
import io.spate.Pipeline;
import io.spate.SpateSettings;
import io.spate.TransactionalOffsets;
import io.spate.internal.sink.BatchWriter;
import io.spate.plan.ClfFormat;

/**
 * Two exactly-once nodes of one pipeline without {@code spate.node-id} on one host share a
 * transactional id (the group id and the host name), so the second fences the first. The first
 * fails with a message that says so and names the fix. The nodes are the two writers a node's
 * sink makes (BatchWriter, as Sinks.transactional builds it): two whole nodes would only add
 * a consumer group, which has no part in the fencing, and a rebalance to wait for.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FencedNodeIT extends EmbeddedBrokerTest {

    /** A batch that commits no offsets (what a batch read by no consumer group would carry). */
    private static OutputBatch batch(String topic, String value) {
        TransactionalOffsets none = new TransactionalOffsets() {
            @Override
            public Map<TopicPartition, OffsetAndMetadata> offsets() {
                return Map.of();
            }

            @Override
            public ConsumerGroupMetadata groupMetadata() {
                return new ConsumerGroupMetadata("none");
            }

            @Override
            public void written() {
            }

            @Override
            public CompletionStage<Done> commit() {
                return CompletableFuture.completedFuture(Done.getInstance());
            }
        };
        return new OutputBatch(List.of(new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8))), none);
    }

    @Test
    void shouldTellTheFencedNodeToGiveEachNodeItsOwnNodeId() throws Exception {
        createTopic("fenced-out", 1);
        Pipeline pipeline = Pipeline.builder("fenced").source("fenced-in").format(new ClfFormat())
                .output("fenced-out", q -> q.count("n")).build();
        SpateSettings unnamed = SpateSettings.create(ConfigFactory.load()).withBootstrapServers(broker.bootstrapServers())
                .withDelivery(Delivery.EXACTLY_ONCE);
        // Bounds how long a fenced producer may wait for an answer that will not come (Kafka's default: 60 s).
        unnamed = unnamed.withProducerProperties(Map.of("max.block.ms", "15000"));
        try (BatchWriter first = BatchWriter.exactlyOnce(unnamed, pipeline)) {
            first.init();
            first.write(batch("fenced-out", "first")).toCompletableFuture().get(1, TimeUnit.MINUTES);
            try (BatchWriter second = BatchWriter.exactlyOnce(unnamed, pipeline)) {
                second.init();
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> first.write(batch("fenced-out", "fenced")).toCompletableFuture().get(1, TimeUnit.MINUTES));
                String said = e.getCause().getMessage();
                assertEquals("another node with the same transactional id 'spate-fenced-" + unnamed.nodeId() + "' (pipeline 'fenced', node id '"
                        + unnamed.nodeId() + "', the host name, as spate.node-id is not set) fenced this one; give each node its own spate.node-id",
                        said);
                second.write(batch("fenced-out", "second")).toCompletableFuture().get(1, TimeUnit.MINUTES);
            }
        }
        SpateSettings named = unnamed.withNodeId("node-a");
        try (BatchWriter first = BatchWriter.exactlyOnce(named, pipeline);
             BatchWriter second = BatchWriter.exactlyOnce(named, pipeline)) {
            first.init();
            second.init();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> first.write(batch("fenced-out", "fenced")).toCompletableFuture().get(1, TimeUnit.MINUTES));
            assertTrue(e.getCause().getMessage().contains("(pipeline 'fenced', spate.node-id 'node-a') fenced this one"), e.getCause().getMessage());
        }
    }
}
