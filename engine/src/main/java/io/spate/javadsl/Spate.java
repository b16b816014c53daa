package io.spate.javadsl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.apache.pekko.Done;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.kafka.javadsl.Consumer;
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
import io.spate.internal.sink.TransactionalWriter;
import io.spate.internal.state.ScaleOut;
import io.spate.internal.state.StateRestore;
import io.spate.internal.source.AssignmentListener;
import io.spate.internal.source.KafkaBatchSource;
import io.spate.plan.Query;

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
        org.apache.pekko.actor.typed.ActorSystem<?> typed = org.apache.pekko.actor.typed.javadsl.Adapter.toTyped(system.classicSystem());
        if (ScaleOut.applies(settings, pipeline)) {
            List<Pipeline> stages = ScaleOut.stages(pipeline);
            // Output topics first, then repartition topics with as many partitions, then the rest.
            ScaleOut.createTopics(settings, stages);
            KafkaClients.createOutputTopics(settings, stages.get(0));
            List<RunningPipeline> running = new ArrayList<>();
            for (Pipeline stage : stages) {
                boolean perPartition = stage != stages.get(0) || stage.windowed();
                running.add(runStage(stage, settings, system,
                        actor -> perPartition ? StateRestore.perPartition(settings, stage, actor, typed) : AssignmentListener.NONE));
            }
            return new Staged(pipeline, running);
        }
        KafkaClients.createOutputTopics(settings, pipeline);
        boolean stateful = pipeline.plan().queries().stream().anyMatch(Query::stateful);
        return runStage(pipeline, settings, system, actor -> {
            StateRestore.restore(settings, pipeline, actor, typed);
            return stateful ? StateRestore.singleNode(settings, pipeline) : AssignmentListener.NONE;
        });
    }

    /**
     * Starts one pipeline whose output topics exist: its compute actor, then {@code state} (which
     * restores what the actor needs before the first batch and says what to do when partitions
     * move), then its stream.
     */
    private static RunningPipeline runStage(Pipeline pipeline, SpateSettings settings, ClassicActorSystemProvider system,
                                            java.util.function.Function<ActorRef<ComputeActor.Command>, AssignmentListener> state) {
        BatchSettings batch = pipeline.batch().orElse(settings.batch());
        PipelineMetrics metrics = new PipelineMetrics();
        // Resolve the backend here, without building it, so that a bad choice fails in the caller, not in the actor.
        String backend = Backends.resolve(settings.config());
        ActorRef<ComputeActor.Command> actor = SpateStreams.spawnComputeActor(system, pipeline.name(), settings, metrics.faultCounter());
        AssignmentListener assignments = state.apply(actor);
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
            if (writer != null) {
                writer.init();
            }
            Pair<KafkaBatchSource.Control, CompletionStage<Done>> control = Source.fromGraph(KafkaBatchSource.of(settings, pipeline, batch, assignments))
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

    /** A pipeline run as stages (see {@link ScaleOut}): it is its stages together; its metrics are the input stage's. */
    private static final class Staged implements RunningPipeline {
        private final Pipeline pipeline;
        private final List<RunningPipeline> stages;
        private final CompletionStage<Done> completion;

        Staged(Pipeline pipeline, List<RunningPipeline> stages) {
            this.pipeline = pipeline;
            this.stages = List.copyOf(stages);
            CompletableFuture<?>[] ends = stages.stream().map(s -> s.completion().toCompletableFuture()).toArray(CompletableFuture<?>[]::new);
            // Done when all are; failed as soon as one fails (so a node notices a failed stage at once).
            CompletableFuture<Done> all = CompletableFuture.allOf(ends).thenApply(v -> Done.getInstance());
            for (CompletableFuture<?> end : ends) {
                end.whenComplete((v, e) -> {
                    if (e != null) {
                        all.completeExceptionally(e);
                    }
                });
            }
            this.completion = all;
        }

        @Override
        public Pipeline pipeline() {
            return pipeline;
        }

        @Override
        public PipelineMetrics metrics() {
            return stages.get(0).metrics();
        }

        @Override
        public String backend() {
            return stages.get(0).backend();
        }

        @Override
        public CompletionStage<Done> completion() {
            return completion;
        }

        @Override
        public CompletionStage<Done> stop() {
            // The input stage first, so that its last partials are written before the merge stages stop.
            return stages.get(0).stop().thenCompose(done -> {
                CompletableFuture<?>[] rest = stages.subList(1, stages.size()).stream().map(s -> s.stop().toCompletableFuture())
                        .toArray(CompletableFuture<?>[]::new);
                return CompletableFuture.allOf(rest).thenApply(v -> Done.getInstance());
            });
        }
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
