package io.spate.it;

import java.util.concurrent.TimeUnit;

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

    /** Runs {@code pipeline} until it has caught up with its input, then stops it cleanly (drained, committed). */
    static RunningPipeline runUntilIdle(Pipeline pipeline, SpateSettings settings, ClassicActorSystemProvider system) throws Exception {
        RunningPipeline running = Spate.run(pipeline, settings, system);
        try (IdleWatcher idle = new IdleWatcher(settings, pipeline)) {
            idle.idle().toCompletableFuture().get(4, TimeUnit.MINUTES);
        }
        running.stop().toCompletableFuture().get(1, TimeUnit.MINUTES);
        return running;
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }
}
