package io.spate.javadsl;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.kafka.ConsumerMessage;
import org.apache.pekko.kafka.ProducerMessage;
import org.apache.pekko.kafka.Subscriptions;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.kafka.javadsl.Producer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorFlow;

import io.spate.BatchResult;
import io.spate.OutputBatch;
import io.spate.BatchSettings;
import io.spate.Pipeline;
import io.spate.PipelineMetrics;
import io.spate.RecordBatch;
import io.spate.SourceOffsets;
import io.spate.SpateSettings;
import io.spate.internal.compute.Backends;
import io.spate.internal.compute.ComputeActor;
import io.spate.internal.kafka.KafkaClients;
import io.spate.internal.source.KafkaRecordAppender;
import io.spate.internal.sink.ResultEncoder;
import io.spate.internal.source.BatchAppender;
import io.spate.internal.source.BatcherStage;
import io.spate.plan.Plan;

/**
 * The pieces of a Spate pipeline as Pekko Streams stages, for users who compose their own graphs:
 *
 * <pre>{@code
 * source(pipeline, settings)                       // Kafka -> CommittableMessage<byte[], byte[]>
 *     .via(batcher(settings.batch()))               // -> RecordBatch
 *     .via(compute(pipeline.plan(), actor, settings)) // -> BatchResult (one frame per query)
 *     .via(encoder(pipeline, metrics))              // -> records to produce + offsets
 *     .toMat(sink(settings), Keep.both())           // produce, then commit
 * }</pre>
 *
 * {@link Spate#run} wires exactly this.
 */
public final class SpateStreams {

    private static final AtomicLong ACTOR_IDS = new AtomicLong();

    private SpateStreams() {
    }

    /** The pipeline's Kafka source: committable messages with byte[] values, no String per record. */
    public static Source<ConsumerMessage.CommittableMessage<byte[], byte[]>, Consumer.Control> source(
            Pipeline pipeline, SpateSettings settings) {
        return Consumer.committableSource(KafkaClients.consumer(settings, pipeline),
                Subscriptions.topics(pipeline.topics().toArray(new String[0])));
    }

    /** Packs Kafka messages into batches (their value bytes, partitions, offsets and commit offsets). */
    public static Flow<ConsumerMessage.CommittableMessage<byte[], byte[]>, RecordBatch, NotUsed> batcher(BatchSettings settings) {
        return Flow.fromGraph(new BatcherStage<>(settings, new KafkaRecordAppender()));
    }

    /** Packs plain byte arrays into batches (no offsets to commit); for tests and non-Kafka sources. */
    public static Flow<byte[], RecordBatch, NotUsed> bytesBatcher(BatchSettings settings, String topic) {
        AtomicLong offsets = new AtomicLong();
        BatchAppender<byte[]> appender = new BatchAppender<>() {
            @Override
            public void append(byte[] value, io.spate.RecordBatchBuilder builder, io.spate.internal.source.CommitTracker commits) {
                builder.append(value, 0, value.length, topic, 0, offsets.getAndIncrement());
            }

            @Override
            public int sizeOf(byte[] value) {
                return value.length;
            }
        };
        return Flow.fromGraph(new BatcherStage<>(settings, appender));
    }

    /**
     * Starts a compute actor on the {@code spate.compute.dispatcher} thread, with the backend that
     * {@code spate.compute.backend} selects. Stop it with {@link #stopComputeActor} when done.
     */
    public static ActorRef<ComputeActor.Command> spawnComputeActor(ClassicActorSystemProvider system, String name, SpateSettings settings) {
        return spawnComputeActor(system, name, settings, new java.util.concurrent.atomic.AtomicLong());
    }

    /** As {@link #spawnComputeActor(ClassicActorSystemProvider, String, SpateSettings)}, counting re-run batches in {@code faults}. */
    public static ActorRef<ComputeActor.Command> spawnComputeActor(ClassicActorSystemProvider system, String name, SpateSettings settings,
                                                                   java.util.concurrent.atomic.AtomicLong faults) {
        String actorName = "spate-compute-" + name.replaceAll("[^A-Za-z0-9_-]", "_") + "-" + ACTOR_IDS.incrementAndGet();
        // A system actor, because a typed system with its own guardian refuses new top-level user actors.
        return Adapter.toTyped(system.classicSystem()).systemActorOf(ComputeActor.create(() -> Backends.create(settings.config()),
                        settings.config().getInt("spate.compute.inject-fault-every"), faults),
                actorName, DispatcherSelector.fromConfig("spate.compute.dispatcher"));
    }

    /** Stops a compute actor (its backend is closed). */
    public static void stopComputeActor(ActorRef<ComputeActor.Command> actor) {
        actor.tell(ComputeActor.Stop.INSTANCE);
    }

    /** Asks the compute actor to run {@code plan} on each batch, {@code settings.inFlight()} batches at a time, in order. */
    public static Flow<RecordBatch, BatchResult, NotUsed> compute(Plan plan, ActorRef<ComputeActor.Command> actor, SpateSettings settings) {
        return ActorFlow.askWithStatus(settings.inFlight(), actor, settings.computeTimeout(),
                (RecordBatch batch, ActorRef<org.apache.pekko.pattern.StatusReply<BatchResult>> replyTo) ->
                        new ComputeActor.Execute(plan, batch, replyTo));
    }

    /** Encodes results as JSON output records and dead letters, counting them in {@code metrics}. */
    public static Flow<BatchResult, OutputBatch, NotUsed> encoder(
            Pipeline pipeline, PipelineMetrics metrics) {
        return Flow.<BatchResult>create().statefulMap(() -> new ResultEncoder(pipeline), (encoder, result) -> {
            metrics.batchComputed(result, ResultEncoder.recordCount(result));
            return org.apache.pekko.japi.Pair.create(encoder, encoder.encode(result));
        }, encoder -> java.util.Optional.empty());
    }

    /**
     * Writes each batch's records and commits its offsets in one Kafka transaction (exactly-once;
     * the batches must come from the batch source).
     */
    public static Sink<OutputBatch, java.util.concurrent.CompletionStage<org.apache.pekko.Done>> transactionalSink(
            io.spate.internal.sink.TransactionalWriter writer) {
        return Flow.<OutputBatch>create()
                .mapAsync(1, writer::write)
                .toMat(Sink.ignore(), org.apache.pekko.stream.javadsl.Keep.right());
    }

    /**
     * Produces the records, then commits each batch's offsets once all its records are acked
     * (at-least-once), in batch order. Batches hold thousands of records, so a commit per batch is
     * cheap and keeps the committed offsets close behind the output.
     */
    public static Sink<OutputBatch, java.util.concurrent.CompletionStage<org.apache.pekko.Done>> sink(
            SpateSettings settings) {
        return Flow.<OutputBatch>create()
                .map(out -> out.records().isEmpty()
                        ? ProducerMessage.<byte[], byte[], SourceOffsets>passThrough(out.offsets())
                        : ProducerMessage.<byte[], byte[], SourceOffsets>multi(out.records(), out.offsets()))
                .via(Producer.<byte[], byte[], SourceOffsets>flexiFlow(KafkaClients.producer(settings)))
                .map(ProducerMessage.Results::passThrough)
                .mapAsync(1, SourceOffsets::commit)
                .toMat(Sink.ignore(), org.apache.pekko.stream.javadsl.Keep.right());
    }
}
