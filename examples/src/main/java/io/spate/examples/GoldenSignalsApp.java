package io.spate.examples;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import io.spate.Pipeline;
import io.spate.RunningPipeline;
import io.spate.SpateSettings;
import io.spate.javadsl.Spate;
import io.spate.plan.ClfFormat;

/**
 * Golden signals embedded in a JVM service with the Java DSL: the same pipeline as
 * {@code config/golden-signals.conf}, built in code and run on the service's own actor system.
 *
 * <pre>java -cp 'examples/target/spate-examples-0.1.0-SNAPSHOT.jar:examples/target/lib/*' \
 *     io.spate.examples.GoldenSignalsApp 127.0.0.1:9092</pre>
 */
public final class GoldenSignalsApp {

    private GoldenSignalsApp() {
    }

    /** The golden-signals pipeline: requests, 5xx errors and bytes sent per host, per batch. */
    public static Pipeline goldenSignals() {
        return Pipeline.builder("golden-signals")
                .source("weblogs")
                .format(new ClfFormat())
                .output("traffic", q -> q.groupBy("host").count("requests"))
                .output("errors", q -> q.where("status >= 500").groupBy("host", "status as response").count("errors"))
                .output("mb-sent", q -> q.groupBy("host").sum("bytes", "bytes"))
                .build();
    }

    /** Runs golden signals against the broker given as the first argument until the JVM is stopped. */
    public static void main(String[] args) {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "golden-signals");
        SpateSettings settings = SpateSettings.create(system.settings().config())
                .withBootstrapServers(args.length > 0 ? args[0] : "127.0.0.1:9092");
        RunningPipeline running = Spate.run(goldenSignals(), settings, system);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.stop().toCompletableFuture().join();
            system.terminate();
        }));
        running.completion().thenRun(() -> System.out.println("stopped after " + running.metrics()));
    }
}
