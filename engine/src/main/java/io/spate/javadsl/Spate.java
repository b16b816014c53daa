package io.spate.javadsl;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.apache.pekko.Done;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.BatchSettings;
import io.spate.Pipeline;
import io.spate.PipelineMetrics;
import io.spate.RunningPipeline;
import io.spate.SpateSettings;
import io.spate.internal.compute.Backends;
import io.spate.internal.compute.ComputeActor;
import io.spate.internal.kafka.KafkaClients;
import io.spate.internal.kafka.TransactionalWriter;
import io.spate.internal.node.StateRestore;
import io.spate.internal.source.KafkaBatchSource;

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

    private static final Logger LOG = LoggerFactory.getLogger(Spate.class);

    private Spate() {
    }

    /**
     * Creates the pipeline's missing output topics, starts its compute actor and its stream, and
     * returns at once. The stream runs until {@link RunningPipeline#stop()} or a failure.
     */
    public static RunningPipeline run(Pipeline pipeline, SpateSettings settings, ClassicActorSystemProvider system) {
        KafkaClients.createOutputTopics(settings, pipeline);
        BatchSettings batch = pipeline.batch().orElse(settings.batch());
        PipelineMetrics metrics = new PipelineMetrics();
        // Resolve the backend here, without building it, so that a bad choice fails in the caller, not in the actor.
        String backend = Backends.resolve(settings.config());
        ActorRef<ComputeActor.Command> actor = SpateStreams.spawnComputeActor(system, pipeline.name(), settings, metrics.faultCounter());
        StateRestore.restore(settings, pipeline, actor, org.apache.pekko.actor.typed.javadsl.Adapter.toTyped(system.classicSystem()));
        Materializer materializer = Materializer.matFromSystem(system);
        CompletionStage<Done> completion;
        Supplier<CompletionStage<Done>> stopper;
        String source = settings.config().getString("spate.source.mode");
        if (source.equals("connector")) {
            Consumer.DrainingControl<Done> control = SpateStreams.source(pipeline, settings)
                    .via(SpateStreams.batcher(batch))
                    .via(SpateStreams.compute(pipeline.plan(), actor, settings))
                    .via(SpateStreams.encoder(pipeline, metrics))
                    .toMat(SpateStreams.sink(settings), Consumer::createDrainingControl)
                    .run(materializer);
            completion = control.streamCompletion();
            stopper = () -> control.drainAndShutdown(system.classicSystem().dispatcher());
        } else {
            TransactionalWriter writer = settings.exactlyOnce()
                    ? new TransactionalWriter(settings, pipeline.groupId() + "-" + settings.nodeId()) : null;
            Pair<KafkaBatchSource.Control, CompletionStage<Done>> control = Source.fromGraph(KafkaBatchSource.of(settings, pipeline, batch))
                    .via(SpateStreams.compute(pipeline.plan(), actor, settings))
                    .via(SpateStreams.encoder(pipeline, metrics))
                    .toMat(writer != null ? SpateStreams.transactionalSink(writer) : SpateStreams.sink(settings), Keep.both())
                    .run(materializer);
            completion = control.second();
            if (writer != null) {
                completion.whenComplete((done, error) -> writer.close());
            }
            // The consumer outlives the stream's last element: the last batches still commit through it.
            completion.whenComplete((done, error) -> control.first().shutdown());
            stopper = () -> {
                control.first().stop();
                return completion.thenCompose(done -> control.first().shutdown().thenApply(closed -> done));
            };
        }
        LOG.info("pipeline {} started: {} -> {} ({} backend, {} source, {}, {})", pipeline.name(), pipeline.topics(),
                pipeline.outputTopics(), backend, source, settings.config().getString("spate.delivery"), batch);
        completion.whenComplete((done, error) -> {
            SpateStreams.stopComputeActor(actor);
            if (error != null) {
                LOG.error("pipeline {} failed after {}", pipeline.name(), metrics, error);
            } else {
                LOG.info("pipeline {} stopped after {}", pipeline.name(), metrics);
            }
        });
        return new Running(pipeline, metrics, backend, completion, stopper);
    }

    private static final class Running implements RunningPipeline {
        private final Pipeline pipeline;
        private final PipelineMetrics metrics;
        private final String backend;
        private final CompletionStage<Done> completion;
        private final Supplier<CompletionStage<Done>> stopper;
        private final AtomicReference<CompletionStage<Done>> stopping = new AtomicReference<>();

        Running(Pipeline pipeline, PipelineMetrics metrics, String backend, CompletionStage<Done> completion,
                Supplier<CompletionStage<Done>> stopper) {
            this.pipeline = pipeline;
            this.metrics = metrics;
            this.backend = backend;
            this.completion = completion;
            this.stopper = stopper;
        }

        @Override
        public Pipeline pipeline() {
            return pipeline;
        }

        @Override
        public PipelineMetrics metrics() {
            return metrics;
        }

        @Override
        public String backend() {
            return backend;
        }

        @Override
        public CompletionStage<Done> completion() {
            return completion;
        }

        @Override
        public CompletionStage<Done> stop() {
            return stopping.updateAndGet(s -> s != null ? s : stopper.get());
        }
    }
}
