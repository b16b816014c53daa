package io.spate.internal.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.BatchSettings;
import io.spate.BatchSourceControl;
import io.spate.OutputBatch;
import io.spate.Pipeline;
import io.spate.PipelineMetrics;
import io.spate.PipelineState;
import io.spate.RunningPipeline;
import io.spate.SourceSettings;
import io.spate.SpateSettings;
import io.spate.internal.compute.Backends;
import io.spate.internal.compute.ComputeActor;
import io.spate.internal.compute.ComputeFlow;
import io.spate.internal.compute.ComputeListener;
import io.spate.internal.kafka.ClientMeters;
import io.spate.internal.kafka.KafkaClients;
import io.spate.internal.kafka.Preflight;
import io.spate.internal.sink.Sinks;
import io.spate.internal.source.AssignmentListener;
import io.spate.internal.source.ConnectorSource;
import io.spate.internal.source.KafkaBatchSource;
import io.spate.internal.state.ScaleOut;
import io.spate.internal.state.StateRestore;
import io.spate.plan.Query;

/**
 * Wires and starts one pipeline on an actor system: its output topics, its compute actor, its
 * state (restored before the first batch), and its stream from source to sink; or, when running
 * state scales out, the pipeline's stages (see {@link ScaleOut}). The public facade
 * ({@code io.spate.javadsl.Spate}) delegates here.
 */
public final class PipelineRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

    private final SpateSettings settings;
    private final ClassicActorSystemProvider system;
    private final ActorSystem<?> typed;

    private PipelineRunner(SpateSettings settings, ClassicActorSystemProvider system) {
        this.settings = settings;
        this.system = system;
        this.typed = Adapter.toTyped(system.classicSystem());
    }

    /**
     * Creates the pipeline's missing output topics, starts its compute actor and its stream, and
     * returns at once. The stream runs until {@link RunningPipeline#stop()} or a failure.
     */
    public static RunningPipeline run(Pipeline pipeline, SpateSettings settings, ClassicActorSystemProvider system) {
        return new PipelineRunner(settings, system).run(pipeline);
    }

    private RunningPipeline run(Pipeline pipeline) {
        Preflight preflight;
        int deadLetterMaxBytes;
        boolean staged = ScaleOut.applies(settings, pipeline);
        List<Pipeline> stages = staged ? ScaleOut.stages(pipeline) : List.of(pipeline);
        if (!settings.output().emitInterval().isZero()) {
            // Before any topic is made: an output that cannot be merged is a configuration error.
            stages.forEach(Sinks::checkEmitInterval);
        }
        // One admin client for every start check and topic, since each new one has to find the cluster again.
        try (Admin admin = KafkaClients.startupAdmin(settings)) {
            // The cluster answers, the input exists, and the topics and producer can hold what it holds.
            preflight = Preflight.check(settings, pipeline, admin);
            if (staged) {
                // Output topics first, then repartition topics with as many partitions, then the rest.
                ScaleOut.createTopics(settings, admin, stages, preflight.createdTopicConfigs());
            }
            KafkaClients.createOutputTopics(settings, admin, stages.get(0), preflight.createdTopicConfigs());
            deadLetterMaxBytes = preflight.deadLetterMaxBytes(settings, admin, stages.get(0));
        }
        SpateSettings writing = preflight.producerSettings(settings);
        if (staged) {
            List<RunningPipeline> running = new ArrayList<>();
            for (Pipeline stage : stages) {
                boolean perPartition = stage != stages.get(0) || stage.windowed();
                running.add(runStage(stage, writing, deadLetterMaxBytes,
                        actor -> perPartition ? StateRestore.perPartition(settings, stage, actor, typed) : AssignmentListener.NONE));
            }
            return new Staged(pipeline, running);
        }
        boolean stateful = pipeline.plan().queries().stream().anyMatch(Query::stateful);
        return runStage(pipeline, writing, deadLetterMaxBytes, actor -> {
            StateRestore.restore(settings, pipeline, actor, typed);
            return stateful ? StateRestore.singleNode(settings, pipeline) : AssignmentListener.NONE;
        });
    }

    /**
     * Starts one pipeline whose output topics exist: its compute actor, then {@code state} (which
     * restores what the actor needs before the first batch and says what to do when partitions
     * move), then its stream.
     */
    private RunningPipeline runStage(Pipeline pipeline, SpateSettings writing, int deadLetterMaxBytes,
                                     Function<ActorRef<ComputeActor.Command>, AssignmentListener> state) {
        BatchSettings batch = pipeline.batch().orElse(settings.batch());
        PipelineMetrics metrics = new PipelineMetrics(pipeline);
        // Resolve the backend here, without building it, so that a bad choice fails in the caller, not in the actor.
        String backend = Backends.resolve(settings);
        ActorRef<ComputeActor.Command> actor = ComputeFlow.spawn(system, pipeline.name(), settings, ComputeListener.of(metrics));
        Lifecycle lifecycle = new Lifecycle();
        AssignmentListener assignments = lifecycle.tracking(state.apply(actor));
        ClientMeters clients = new ClientMeters(metrics);
        Materializer materializer = Materializer.matFromSystem(system);
        CompletionStage<Done> completion;
        Supplier<CompletionStage<Done>> stopper;
        if (settings.source().mode() == SourceSettings.Mode.CONNECTOR) {
            Consumer.DrainingControl<Done> control = ConnectorSource.source(pipeline, settings, clients)
                    .via(ConnectorSource.batcher(batch))
                    .via(ComputeFlow.flow(pipeline.plan(), actor, settings))
                    .map(result -> {
                        // The connector does not say when its group is joined: running from the first batch.
                        lifecycle.running();
                        return result;
                    })
                    .via(Sinks.encoder(pipeline, metrics, deadLetterMaxBytes, settings.output().emitInterval()))
                    .toMat(Sinks.atLeastOnce(writing, pipeline, metrics, clients), Consumer::createDrainingControl)
                    .run(materializer);
            completion = control.streamCompletion();
            stopper = () -> control.drainAndShutdown(system.classicSystem().dispatcher());
        } else {
            // The backend lends its staging buffers (pinned memory on a GPU) to the source that fills the batches.
            BatchSettings staged = batch.withBuffers(Backends.stagingBuffers(settings, pipeline.plan()));
            Sink<OutputBatch, CompletionStage<Done>> sink = settings.exactlyOnce()
                    ? Sinks.transactional(pipeline, writing, metrics, clients) : Sinks.atLeastOnce(writing, pipeline, metrics, clients);
            Pair<BatchSourceControl, CompletionStage<Done>> control = Source.fromGraph(
                            KafkaBatchSource.of(settings, pipeline, staged, assignments, clients))
                    .via(ComputeFlow.flow(pipeline.plan(), actor, settings))
                    .via(Sinks.encoder(pipeline, metrics, deadLetterMaxBytes, settings.output().emitInterval()))
                    .toMat(sink, Keep.both())
                    .run(materializer);
            completion = control.second();
            // The consumer outlives the stream's last element: the last batches still commit through it.
            completion.whenComplete((done, error) -> control.first().shutdown());
            stopper = () -> {
                control.first().stop();
                return completion.thenCompose(done -> control.first().shutdown().thenApply(closed -> done));
            };
        }
        LOG.info("pipeline {} started: {} -> {} ({} backend, {} source, {}, {})", pipeline.name(), pipeline.topics(),
                pipeline.outputTopics(), backend, settings.source().mode(), settings.delivery(), batch);
        completion.whenComplete((done, error) -> {
            ComputeFlow.stop(actor);
            clients.close();
            lifecycle.ended(error);
            if (error != null) {
                // One line for the operator; the stack trace at debug level.
                LOG.error("pipeline {} failed after {}: {}", pipeline.name(), metrics, rootMessage(error));
                LOG.debug("pipeline {} failure", pipeline.name(), error);
            } else {
                LOG.info("pipeline {} stopped after {}", pipeline.name(), metrics);
            }
        });
        return new Running(pipeline, metrics, backend, completion, () -> {
            lifecycle.stopping();
            return stopper.get();
        }, lifecycle);
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
        public PipelineState state() {
            return Lifecycle.combined(stages.stream().map(RunningPipeline::state).toList());
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
        private final Lifecycle lifecycle;

        Running(Pipeline pipeline, PipelineMetrics metrics, String backend, CompletionStage<Done> completion,
                Supplier<CompletionStage<Done>> stopper, Lifecycle lifecycle) {
            this.lifecycle = lifecycle;
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
        public PipelineState state() {
            return lifecycle.state();
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

    /** The message of the innermost cause, or its class when it has none. */
    private static String rootMessage(Throwable error) {
        Throwable root = Preflight.rootCause(error);
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
