package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.ConfigFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.spate.BatchSettings;
import io.spate.Pipeline;
import io.spate.RunningPipeline;
import io.spate.SpateSettings;
import io.spate.internal.node.IdleWatcher;
import io.spate.javadsl.Spate;
import io.spate.plan.ClfFormat;
import io.spate.testkit.KafkaTopics;

/**
 * Two pipelines in one consumer group split the partitions, and when one stops the other takes
 * over its partitions from the committed offsets. Both hand-overs (B joining, A leaving) are
 * rebalances that drain the batches in flight first, so even at-least-once nothing is counted
 * twice and nothing is lost: every total is exact.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ScaleOutIT extends EmbeddedBrokerTest {

    private static ActorSystem<Void> nodeA;
    private static ActorSystem<Void> nodeB;

    @BeforeAll
    static void start() {
        nodeA = ActorSystem.create(Behaviors.empty(), "node-a");
        nodeB = ActorSystem.create(Behaviors.empty(), "node-b");
    }

    @AfterAll
    static void stop() {
        nodeA.terminate();
        nodeB.terminate();
    }

    private static Pipeline pipeline() {
        return Pipeline.builder("scale-out")
                .source("weblogs-s")
                .groupId("spate-scale-out")
                .format(new ClfFormat())
                .output("traffic-s", q -> q.groupBy("host").count("requests"))
                .output("errors-s", q -> q.where("status >= 500").groupBy("host", "status as response").count("errors"))
                .output("mb-sent-s", q -> q.groupBy("host").sum("bytes", "bytes"))
                .batch(BatchSettings.of(2_000, 1 << 20, Duration.ofMillis(50)))
                .build();
    }

    @Test
    void shouldSplitPartitionsAndTakeOverWithoutLosingRecords() throws Exception {
        List<byte[]> log = NasaLog.lines();
        createTopic("weblogs-s", 4);
        int half = log.size() / 2;
        KafkaTopics.produce(broker.bootstrapServers(), "weblogs-s", log.subList(0, half));
        SpateSettings settings = SpateSettings.create(ConfigFactory.load()).withBootstrapServers(broker.bootstrapServers());

        RunningPipeline a = Spate.run(pipeline(), settings, nodeA);
        // Let node A start on all four partitions, then node B joins and takes some of them; the
        // second half of the input arrives once both hold partitions, into every partition, so both
        // have work (produced plainly, it may land only in A's partitions).
        waitFor(() -> a.metrics().records() > 0);
        RunningPipeline b = Spate.run(pipeline(), settings, nodeB);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            waitFor(() -> bothMembersHoldPartitions(admin, "spate-scale-out"));
        }
        KafkaTopics.produceSpread(broker.bootstrapServers(), "weblogs-s", log.subList(half, log.size()), 4);
        waitFor(() -> b.metrics().records() > 0);
        // Node A leaves cleanly; node B gets its partitions and finishes the input.
        a.stop().toCompletableFuture().get(1, TimeUnit.MINUTES);
        try (IdleWatcher idle = new IdleWatcher(settings, pipeline())) {
            idle.idle().toCompletableFuture().get(3, TimeUnit.MINUTES);
        }
        b.stop().toCompletableFuture().get(1, TimeUnit.MINUTES);

        assertTrue(a.metrics().records() > 0 && b.metrics().records() > 0, "both nodes worked: " + a.metrics() + " / " + b.metrics());
        assertEquals(log.size(), a.metrics().records() + b.metrics().records(), "every record read once: the hand-overs drained");
        GoldenTotals expected = GoldenTotals.ofLines(log);
        String bs = broker.bootstrapServers();
        GoldenTotals actual = GoldenTotals.ofOutputs(KafkaTopics.readAll(bs, "traffic-s"), KafkaTopics.readAll(bs, "errors-s"),
                KafkaTopics.readAll(bs, "mb-sent-s"));
        assertEquals(expected.requests, actual.requests, "requests per host");
        assertEquals(expected.bytes, actual.bytes, "bytes per host");
    }
}
