package io.spate.internal.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.ConfigFactory;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.pekko.Done;
import org.junit.jupiter.api.Test;

import io.spate.OutputBatch;
import io.spate.Pipeline;
import io.spate.SpateSettings;
import io.spate.TransactionalOffsets;
import io.spate.internal.kafka.ClientListener;
import io.spate.plan.ClfFormat;

/** The exactly-once writer against a transactional {@link MockProducer}: grouping of waiting batches, and what follows a failure. */
class ExactlyOnceWriterTest {

    private static final TopicPartition IN = new TopicPartition("in", 0);
    private static final ConsumerGroupMetadata GROUP = new ConsumerGroupMetadata("g");
    private static final Pipeline PIPELINE = Pipeline.builder("p").source("in").format(new ClfFormat())
            .output("out", q -> q.count("n")).build();

    /** Offsets up to {@code next}; {@link #written()} waits for {@code hold} (the writer's thread then stays busy). */
    private record Offsets(long next, CountDownLatch hold) implements TransactionalOffsets {
        @Override
        public Map<TopicPartition, OffsetAndMetadata> offsets() {
            return Map.of(IN, new OffsetAndMetadata(next));
        }

        @Override
        public ConsumerGroupMetadata groupMetadata() {
            return GROUP;
        }

        @Override
        public void written() {
            try {
                hold.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public CompletionStage<Done> commit() {
            return CompletableFuture.failedFuture(new AssertionError("an exactly-once batch is not committed on its own"));
        }
    }

    private static OutputBatch batch(long next, CountDownLatch hold) {
        return new OutputBatch(List.of(new ProducerRecord<>("out", ("up to " + next).getBytes(StandardCharsets.UTF_8))), new Offsets(next, hold));
    }

    private static BatchWriter writer(MockProducer<byte[], byte[]> producer) {
        SpateSettings settings = SpateSettings.create(ConfigFactory.load());
        BatchWriter writer = BatchWriter.exactlyOnce(settings, PIPELINE, ClientListener.NONE, props -> producer);
        writer.init();
        return writer;
    }

    @Test
    void shouldRetryABusyTransactionCoordinatorSoonUnlessTheSettingsSayOtherwise() {
        Map<String, Object> given = new HashMap<>();
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());
        try (BatchWriter writer = BatchWriter.exactlyOnce(SpateSettings.create(ConfigFactory.load()), PIPELINE, ClientListener.NONE,
                props -> { given.putAll(props); return producer; })) {
            writer.init();
        }
        assertEquals(BatchWriter.TRANSACTION_RETRY_BACKOFF_MS, given.get(ProducerConfig.RETRY_BACKOFF_MS_CONFIG));
        assertEquals(PIPELINE.groupId() + "-" + SpateSettings.create(ConfigFactory.load()).nodeId(), given.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG));

        given.clear();
        SpateSettings own = SpateSettings.create(ConfigFactory.parseString("spate.kafka.producer-properties { \"retry.backoff.ms\" = 250 }")
                .withFallback(ConfigFactory.load()));
        MockProducer<byte[], byte[]> other = new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());
        try (BatchWriter writer = BatchWriter.exactlyOnce(own, PIPELINE, ClientListener.NONE, props -> { given.putAll(props); return other; })) {
            writer.init();
        }
        assertEquals("250", given.get(ProducerConfig.RETRY_BACKOFF_MS_CONFIG));
    }

    @Test
    void shouldWriteTheBatchesThatWaitedForATransactionInTheNextOne() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());
        CountDownLatch hold = new CountDownLatch(1);
        try (BatchWriter writer = writer(producer)) {
            CompletionStage<Done> first = writer.write(batch(10, hold));
            // The first transaction has committed; its batch is being handed back, holding the writer's thread.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (producer.consumerGroupOffsetsHistory().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            CountDownLatch open = new CountDownLatch(0);
            CompletionStage<Done> second = writer.write(batch(20, open));
            CompletionStage<Done> third = writer.write(batch(30, open));
            hold.countDown();
            CompletableFuture.allOf(first.toCompletableFuture(), second.toCompletableFuture(), third.toCompletableFuture())
                    .get(30, TimeUnit.SECONDS);
        }
        List<Map<String, Map<TopicPartition, OffsetAndMetadata>>> transactions = producer.consumerGroupOffsetsHistory();
        assertEquals(2, transactions.size(), "the two batches that waited share one transaction: " + transactions);
        assertEquals(10, transactions.get(0).get("g").get(IN).offset());
        assertEquals(30, transactions.get(1).get("g").get(IN).offset(), "the highest offset of the batches in it");
        assertEquals(3, producer.history().size());
    }

    @Test
    void shouldWriteNoLaterBatchAfterAFailedTransaction() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());
        CountDownLatch open = new CountDownLatch(0);
        try (BatchWriter writer = writer(producer)) {
            producer.commitTransactionException = new KafkaException("the broker refused the commit");
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> writer.write(batch(10, open)).toCompletableFuture().get(30, TimeUnit.SECONDS));
            assertTrue(failed.getCause().getMessage().contains("aborted"), failed.getCause().getMessage());
            producer.commitTransactionException = null;
            assertThrows(ExecutionException.class, () -> writer.write(batch(20, open)).toCompletableFuture().get(30, TimeUnit.SECONDS),
                    "a later batch would commit offsets past the failed one's records");
        }
        assertTrue(producer.consumerGroupOffsetsHistory().isEmpty(), "no offsets committed: " + producer.consumerGroupOffsetsHistory());
        assertFalse(producer.transactionCommitted());
    }
}
