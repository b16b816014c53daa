package io.spate.it;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.spate.Pipeline;
import io.spate.RunningPipeline;
import io.spate.SpateSettings;
import io.spate.broker.BrokerSettings;
import io.spate.broker.EmbeddedKafkaBroker;
import io.spate.internal.node.IdleWatcher;
import io.spate.javadsl.Spate;

/** Base of the integration tests that share one embedded KRaft broker per test class. */
abstract class EmbeddedBrokerTest {

    /** The broker of the running test class. */
    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaBroker(BrokerSettings.create().withPort(0)).start();
    }

    /** Creates {@code name} on the broker; it returns once the broker serves each partition. */
    static void createTopic(String name, int partitions) {
        broker.createTopic(name, partitions);
    }

    /** Runs {@code pipeline} until it has caught up with its input, then stops it cleanly (drained, committed). */
    static RunningPipeline runUntilIdle(Pipeline pipeline, SpateSettings settings, ClassicActorSystemProvider system) throws Exception {
        RunningPipeline running = Spate.run(pipeline, settings, system);
        try (IdleWatcher idle = new IdleWatcher(settings, pipeline)) {
            idle.idle().toCompletableFuture().get(4, TimeUnit.MINUTES);
        }
        running.stop().toCompletableFuture().get(1, TimeUnit.MINUTES);
        return running;
    }

    /** Waits (up to 2 minutes) until {@code condition} holds. */
    static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting");
            }
            Thread.sleep(50);
        }
    }

    /** Whether consumer group {@code group} has two members and each holds partitions. */
    static boolean bothMembersHoldPartitions(Admin admin, String group) {
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            return d.members().size() == 2 && d.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
        } catch (Exception e) {
            return false;
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }
}
