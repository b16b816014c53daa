package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.ConfigFactory;
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

    @Test
    void shouldBackpressureTheConsumerAndKeepTheHeapBounded() throws Exception {
        List<byte[]> log = NasaLog.lines();
        broker.createTopic("weblogs-slow", 3);
        KafkaTopics.produce(broker.bootstrapServers(), "weblogs-slow", log);
        SpateSettings settings = SpateSettings.create(ConfigFactory.load()).withBootstrapServers(broker.bootstrapServers());
        Pipeline pipeline = Pipeline.builder("slow-sink")
                .source("weblogs-slow")
                .format(new ClfFormat())
                .output("traffic-slow", q -> q.groupBy("host").count("requests"))
                .output("mb-sent-slow", q -> q.groupBy("host").sum("bytes", "bytes"))
                .batch(BatchSettings.of(2_000, 8 << 20, Duration.ofMillis(100)))
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
            long peakLiveHeap = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
            while (System.nanoTime() < deadline) {
                Thread.sleep(1000);
                System.gc();
                peakLiveHeap = Math.max(peakLiveHeap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                assertFalse(running.second().toCompletableFuture().isDone(), "the stream is still running");
            }
            long read = metrics.records();
            System.out.printf("slow-sink: read %,d of %,d records in 25 s through a sink of one batch a second, peak live heap %.0f MB (bound %d MB)%n",
                    read, log.size(), peakLiveHeap / 1e6, HEAP_BOUND >> 20);
            assertTrue(read > 0, "the pipeline made progress");
            assertTrue(read < log.size() / 2, "the consumer waits for the sink: lag grows (read " + read + ")");
            assertTrue(peakLiveHeap < HEAP_BOUND, "live heap " + peakLiveHeap + " stays under " + HEAP_BOUND);
            running.first().stop();
            running.second().toCompletableFuture().get(2, TimeUnit.MINUTES);
            running.first().shutdown().toCompletableFuture().get(1, TimeUnit.MINUTES);
        } finally {
            system.terminate();
        }
    }
}
