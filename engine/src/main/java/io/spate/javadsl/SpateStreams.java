package io.spate.javadsl;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.kafka.ConsumerMessage;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

import io.spate.BatchResult;
import io.spate.BatchSettings;
import io.spate.BatchSourceControl;
import io.spate.OutputBatch;
import io.spate.Pipeline;
import io.spate.PipelineMetrics;
import io.spate.RecordBatch;
import io.spate.SpateSettings;
import io.spate.internal.compute.Backends;
import io.spate.internal.compute.ComputeFlow;
import io.spate.internal.compute.ComputeListener;
import io.spate.internal.kafka.ClientListener;
import io.spate.internal.sink.Sinks;
import io.spate.internal.source.AssignmentListener;
import io.spate.internal.source.ConnectorSource;
import io.spate.internal.source.KafkaBatchSource;
import io.spate.plan.Plan;

/**
 * The pieces of a Spate pipeline as Pekko Streams stages, for users who compose their own graphs.
 * The default graph, as {@link Spate#run} wires it (without state restore):
 *
 * <pre>{@code
 * ComputeRef actor = spawnComputeActor(system, pipeline.name(), settings);
 * batchSource(pipeline, settings)                       // Kafka -> RecordBatch, one element per batch
 *     .via(compute(pipeline.plan(), actor, settings))    // -> BatchResult (one frame per query)
 *     .via(encoder(pipeline, metrics))                   // -> records to produce + offsets
 *     .toMat(sink(settings), Keep.both())                // produce, then commit
 * }</pre>
 *
 * The connector variant reads with {@code source(pipeline, settings).via(batcher(batch))} instead
 * of {@code batchSource}.
 */
public final class SpateStreams {

    private SpateStreams() {
    }

    /**
     * The pipeline's batch source: a consumer on its own thread copies each record's value into the
     * open batch and closes it at the pipeline's (or the settings') batch limits; batches are built in
     * the staging memory of the backend the settings select, when it offers some. Its control stops
     * it and, after the stream has finished, closes the consumer.
     */
    public static Source<RecordBatch, BatchSourceControl> batchSource(Pipeline pipeline, SpateSettings settings) {
        BatchSettings batch = pipeline.batch().orElse(settings.batch()).withBuffers(Backends.stagingBuffers(settings, pipeline.plan()));
        return Source.fromGraph(KafkaBatchSource.of(settings, pipeline, batch, AssignmentListener.NONE));
    }

    /** The pipeline's committable Kafka source (pekko-connectors-kafka), byte[] values, no String per record. */
    public static Source<ConsumerMessage.CommittableMessage<byte[], byte[]>, Consumer.Control> source(
            Pipeline pipeline, SpateSettings settings) {
        return ConnectorSource.source(pipeline, settings);
    }

    /** Packs Kafka messages into batches (their value bytes, partitions, offsets and commit offsets). */
    public static Flow<ConsumerMessage.CommittableMessage<byte[], byte[]>, RecordBatch, NotUsed> batcher(BatchSettings settings) {
        return ConnectorSource.batcher(settings);
    }

    /** Packs plain byte arrays into batches (no offsets to commit); for tests and non-Kafka sources. */
    public static Flow<byte[], RecordBatch, NotUsed> bytesBatcher(BatchSettings settings, String topic) {
        return ConnectorSource.bytesBatcher(settings, topic);
    }

    /**
     * Starts a compute actor on the {@code spate.compute.dispatcher} thread, with the backend the
     * settings select. Stop it with {@link ComputeRef#stop()} when done.
     */
    public static ComputeRef spawnComputeActor(ClassicActorSystemProvider system, String name, SpateSettings settings) {
        return spawnComputeActor(system, name, settings, new AtomicLong());
    }

    /** As {@link #spawnComputeActor(ClassicActorSystemProvider, String, SpateSettings)}, counting re-run batches in {@code faults}. */
    public static ComputeRef spawnComputeActor(ClassicActorSystemProvider system, String name, SpateSettings settings, AtomicLong faults) {
        return new ComputeRef(ComputeFlow.spawn(system, name, settings, faults));
    }

    /**
     * As {@link #spawnComputeActor(ClassicActorSystemProvider, String, SpateSettings)}, recording each
     * batch's compute time and re-runs in {@code metrics}.
     */
    public static ComputeRef spawnComputeActor(ClassicActorSystemProvider system, String name, SpateSettings settings,
                                               PipelineMetrics metrics) {
        return new ComputeRef(ComputeFlow.spawn(system, name, settings, ComputeListener.of(metrics)));
    }

    /** Asks the compute actor to run {@code plan} on each batch, the settings' in-flight batches at a time, in order. */
    public static Flow<RecordBatch, BatchResult, NotUsed> compute(Plan plan, ComputeRef actor, SpateSettings settings) {
        return ComputeFlow.flow(plan, actor.actor(), settings);
    }

    /** Encodes results as JSON output records and dead letters, counting them in {@code metrics}. */
    public static Flow<BatchResult, OutputBatch, NotUsed> encoder(Pipeline pipeline, PipelineMetrics metrics) {
        return Sinks.encoder(pipeline, metrics);
    }

    /**
     * Produces the records, then commits each batch's offsets once all its records are acked
     * (at-least-once), in batch order.
     */
    public static Sink<OutputBatch, CompletionStage<Done>> sink(SpateSettings settings) {
        return Sinks.atLeastOnce(settings);
    }

    /** {@link #sink(SpateSettings)}, recording each batch's end-to-end latency in {@code metrics} once committed. */
    public static Sink<OutputBatch, CompletionStage<Done>> sink(SpateSettings settings, PipelineMetrics metrics) {
        return Sinks.atLeastOnce(settings, metrics, ClientListener.NONE);
    }

    /**
     * Writes each batch's records and commits its offsets in one Kafka transaction (exactly-once;
     * the batches must come from {@link #batchSource}). The transactional producer is made and
     * initialised by this call (its id: the pipeline's group id and the settings' node id) and closed
     * when the stream ends: materialize the sink once.
     */
    public static Sink<OutputBatch, CompletionStage<Done>> transactionalSink(Pipeline pipeline, SpateSettings settings) {
        return Sinks.transactional(pipeline, settings);
    }
}
