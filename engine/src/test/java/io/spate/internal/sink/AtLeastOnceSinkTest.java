package io.spate.internal.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.typesafe.config.ConfigFactory;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.spate.OutputBatch;
import io.spate.PipelineMetrics;
import io.spate.SourceOffsets;
import io.spate.SpateSettings;
import io.spate.internal.kafka.ClientListener;

/**
 * The at-least-once sink against a producer whose acks the test hands out ({@link MockProducer}
 * without auto-complete): how many batches it writes before any is acked, and when offsets are
 * committed.
 */
class AtLeastOnceSinkTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final int RECORDS_PER_BATCH = 3;

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    /** Offsets that note their batch's number in {@code committed} when committed. */
    private static OutputBatch batch(int n, List<Integer> committed) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < RECORDS_PER_BATCH; i++) {
            records.add(new ProducerRecord<>("out", ("batch " + n + " record " + i).getBytes(StandardCharsets.UTF_8)));
        }
        SourceOffsets offsets = () -> {
            synchronized (committed) {
                committed.add(n);
            }
            return CompletableFuture.completedFuture(Done.getInstance());
        };
        return new OutputBatch(records, offsets);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    private static List<Integer> copy(List<Integer> committed) {
        synchronized (committed) {
            return List.copyOf(committed);
        }
    }

    @Test
    void shouldSendAtMostBatchesInFlightUnackedAndCommitEachOnlyOnceAcked() throws Exception {
        SpateSettings settings = SpateSettings.create(ConfigFactory.load());
        settings = settings.withOutput(settings.output().withBatchesInFlight(2));
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, new ByteArraySerializer(), new ByteArraySerializer());
        List<Integer> committed = new ArrayList<>();
        List<OutputBatch> batches = new ArrayList<>();
        for (int n = 1; n <= 6; n++) {
            batches.add(batch(n, committed));
        }
        SpateSettings s = settings;
        CompletionStage<Done> done = Source.from(batches)
                .runWith(Sinks.atLeastOnce(s, new PipelineMetrics(),
                        () -> BatchWriter.atLeastOnce(s, "test", ClientListener.NONE, props -> producer)), KIT.system());

        await(() -> producer.history().size() == 2 * RECORDS_PER_BATCH, "two batches are sent");
        // Nothing is acked: a third batch stays in the stream, not in the producer, and nothing is committed.
        Thread.sleep(300);
        assertEquals(2 * RECORDS_PER_BATCH, producer.history().size());
        assertEquals(List.of(), copy(committed));

        // Two of batch 1's three records acked: still not committed.
        producer.completeNext();
        producer.completeNext();
        Thread.sleep(100);
        assertEquals(List.of(), copy(committed));
        producer.completeNext();
        await(() -> copy(committed).equals(List.of(1)), "batch 1 is committed");
        await(() -> producer.history().size() == 3 * RECORDS_PER_BATCH, "batch 3 is sent once batch 1 is acked");

        while (copy(committed).size() < 6) {
            if (!producer.completeNext()) {
                Thread.sleep(5);
            }
        }
        done.toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(List.of(1, 2, 3, 4, 5, 6), copy(committed));
        assertEquals(6 * RECORDS_PER_BATCH, producer.history().size());
    }

    @Test
    void shouldFailTheStreamAndCommitNothingOfABatchWhoseRecordFailed() throws Exception {
        SpateSettings settings = SpateSettings.create(ConfigFactory.load());
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, new ByteArraySerializer(), new ByteArraySerializer());
        List<Integer> committed = new ArrayList<>();
        CompletionStage<Done> done = Source.from(List.of(batch(1, committed), batch(2, committed)))
                .runWith(Sinks.atLeastOnce(settings, new PipelineMetrics(),
                        () -> BatchWriter.atLeastOnce(settings, "test", ClientListener.NONE, props -> producer)), KIT.system());
        await(() -> producer.history().size() >= RECORDS_PER_BATCH, "batch 1 is sent");
        RuntimeException refused = new RuntimeException("broker refused the record");
        producer.completeNext();
        producer.errorNext(refused);
        ExecutionException e = assertThrows(ExecutionException.class, () -> done.toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertSame(refused, e.getCause());
        assertEquals(List.of(), copy(committed));
    }
}
