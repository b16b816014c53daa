package io.spate.javadsl;

import org.apache.pekko.actor.ClassicActorSystemProvider;

import io.spate.Pipeline;
import io.spate.RunningPipeline;
import io.spate.SpateSettings;
import io.spate.internal.runtime.PipelineRunner;

/**
 * Runs pipelines on a user's actor system: the entry point for embedding Spate in a JVM service.
 *
 * <pre>{@code
 * ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "my-service");
 * SpateSettings settings = SpateSettings.create(system.settings().config())
 *         .withBootstrapServers("kafka:9092");
 * RunningPipeline running = Spate.run(goldenSignals, settings, system);
 * ...
 * running.stop();   // drain, produce, commit
 * }</pre>
 */
public final class Spate {

    private Spate() {
    }

    /**
     * Creates the pipeline's missing output topics, restores its state, starts its compute actor and
     * its stream, and returns at once. The stream runs until {@link RunningPipeline#stop()} or a failure.
     */
    public static RunningPipeline run(Pipeline pipeline, SpateSettings settings, ClassicActorSystemProvider system) {
        return PipelineRunner.run(pipeline, settings, system);
    }
}
