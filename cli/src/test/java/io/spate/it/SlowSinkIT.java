package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.typesafe.config.ConfigFactory;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.pekko.Done;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.spate.BatchSettings;
import io.spate.BatchSourceControl;
import io.spate.Pipeline;
import io.spate.PipelineMetrics;
import io.spate.SpateSettings;
import io.spate.javadsl.SpateStreams;
import io.spate.plan.ClfFormat;
import io.spate.testkit.KafkaTopics;

/**
 * A sink throttled to a trickle (one batch of results per second, a throttle stage in front of
 * the producer, composed from the DSL's pieces): the source reads only as fast as results are
 * written (backpressure reaches the consumer, so lag grows), the live heap stays under a bound,
 * and no timeout kills the stream.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SlowSinkIT extends EmbeddedBrokerTest {

    /** The live heap (after a full GC) the whole test JVM, broker included, must stay under. */
    private static final long HEAP_BOUND = 256L << 20;
    /** Records per batch; the sink takes one batch a second. */
    private static final int BATCH_RECORDS = 2_000;
    /** How long the stream is watched once results flow. */
    private static final Duration WATCH = Duration.ofSeconds(25);
    /**
     * The input, the NASA log repeated to this many lines whatever its size: six times what the
     * sink can take while watched, so that only backpressure keeps the source from reading most
     * of it (a few batches of read-ahead and one poll of the consumer included).
     */
    private static final int RECORDS = 6 * (int) WATCH.toSeconds() * BATCH_RECORDS;

    @Test
    void shouldBackpressureTheConsumerAndKeepTheHeapBounded() throws Exception {
        List<byte[]> log = NasaLog.lines();
        List<byte[]> input = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            input.add(log.get(i % log.size()));
        }
        createTopic("weblogs-slow", 3);
        KafkaTopics.produce(broker.bootstrapServers(), "weblogs-slow", input);
        ReadCounter.READ.set(0);
        SpateSettings settings = SpateSettings.create(ConfigFactory.parseString(
                        "spate.kafka.consumer-properties.\"interceptor.classes\" = \"" + ReadCounter.class.getName() + "\"")
                .withFallback(ConfigFactory.load())).withBootstrapServers(broker.bootstrapServers());
        Pipeline pipeline = Pipeline.builder("slow-sink")
                .source("weblogs-slow")
                .format(new ClfFormat())
                .output("traffic-slow", q -> q.groupBy("host").count("requests"))
                .output("mb-sent-slow", q -> q.groupBy("host").sum("bytes", "bytes"))
                .batch(BatchSettings.of(BATCH_RECORDS, 8 << 20, Duration.ofMillis(100)))
                .build();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "slow-sink");
        try {
            var actor = SpateStreams.spawnComputeActor(system, pipeline.name(), settings);
            PipelineMetrics metrics = new PipelineMetrics();
            Pair<BatchSourceControl, CompletionStage<Done>> running = SpateStreams.batchSource(pipeline, settings)
                    .via(SpateStreams.compute(pipeline.plan(), actor, settings))
                    .via(SpateStreams.encoder(pipeline, metrics))
                    .throttle(1, Duration.ofSeconds(1))
                    .toMat(SpateStreams.sink(settings), Keep.both())
                    .run(system);
            // Watched from the first results on, so that a slow start (the group join on a busy machine) takes none of the window.
            waitFor(() -> metrics.records() > 0);
            long peakLiveHeap = 0;
            long deadline = System.nanoTime() + WATCH.toNanos();
            while (System.nanoTime() < deadline) {
                Thread.sleep(1000);
                System.gc();
                peakLiveHeap = Math.max(peakLiveHeap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                assertFalse(running.second().toCompletableFuture().isDone(), "the stream is still running");
            }
            long read = ReadCounter.READ.get();
            System.out.printf("slow-sink: in %d s through a sink of one batch a second, the consumer read %,d of %,d records (%,d computed),"
                            + " peak live heap %.0f MB (bound %d MB)%n",
                    WATCH.toSeconds(), read, RECORDS, metrics.records(), peakLiveHeap / 1e6, HEAP_BOUND >> 20);
            assertTrue(metrics.records() > 0, "the pipeline made progress");
            assertTrue(read < RECORDS / 2, "the consumer waits for the sink: lag grows (read " + read + " of " + RECORDS + ")");
            assertTrue(peakLiveHeap < HEAP_BOUND, "live heap " + peakLiveHeap + " stays under " + HEAP_BOUND);
            running.first().stop();
            running.second().toCompletableFuture().get(2, TimeUnit.MINUTES);
            running.first().shutdown().toCompletableFuture().get(1, TimeUnit.MINUTES);
        } finally {
            system.terminate();
        }
    }

    /**
     * Counts the records the source's consumer hands out, as Kafka calls it on every poll: what the
     * source has read, however far it reads ahead of the batches it emits. Public for Kafka to
     * create it from {@code interceptor.classes}.
     */
    public static final class ReadCounter implements ConsumerInterceptor<byte[], byte[]> {

        static final AtomicLong READ = new AtomicLong();

        @Override
        public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
            READ.addAndGet(records.count());
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }
}
