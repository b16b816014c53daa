package io.spate.internal.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

import io.spate.BatchResult;
import io.spate.OutputBatch;
import io.spate.Pipeline;
import io.spate.PipelineMetrics;
import io.spate.SpateSettings;
import io.spate.internal.kafka.ClientListener;

/** The stream stages after compute: encoding results as records, and writing them with their offsets. */
public final class Sinks {

    private Sinks() {
    }

    /** Encodes results as JSON output records and dead letters, counting them in {@code metrics}. */
    public static Flow<BatchResult, OutputBatch, NotUsed> encoder(Pipeline pipeline, PipelineMetrics metrics) {
        return encoder(pipeline, metrics, ResultEncoder.DEFAULT_DEAD_LETTER_MAX_BYTES);
    }

    /** Like {@link #encoder(Pipeline, PipelineMetrics)}, cutting dead letters above {@code deadLetterMaxBytes} to fit. */
    public static Flow<BatchResult, OutputBatch, NotUsed> encoder(Pipeline pipeline, PipelineMetrics metrics, int deadLetterMaxBytes) {
        return Flow.<BatchResult>create().statefulMap(() -> new ResultEncoder(pipeline, deadLetterMaxBytes), (encoder, result) -> {
            metrics.batchComputed(result, ResultEncoder.recordCount(result));
            return Pair.create(encoder, encoder.encode(result));
        }, encoder -> Optional.empty());
    }

    /** Most batches held for one interval's output, whatever the interval, so that a stalled sink cannot make it grow unbounded. */
    static final int MAX_HELD_BATCHES = 1_000;
    /**
     * Most result rows and per-record records held for one interval's output: reached, the interval's
     * output is written early, as Kafka Streams' record cache flushes when full. Without it a sink
     * slower than the compute let the interval take in up to {@link #MAX_HELD_BATCHES} batches and
     * hold all their results ({@code groupedWithin} pulls until its group is full).
     */
    static final long MAX_HELD_ROWS = 250_000;

    /**
     * {@link #encoder(Pipeline, PipelineMetrics, int)}, or with a positive {@code emitInterval}, one
     * output batch per interval: the results of the batches computed meanwhile merged into one
     * record per key and output, with all their dead letters and their offsets (see
     * {@code spate.output.emit-interval}). Fails, naming the key, if an output cannot be merged.
     */
    public static Flow<BatchResult, OutputBatch, NotUsed> encoder(Pipeline pipeline, PipelineMetrics metrics, int deadLetterMaxBytes,
                                                                  Duration emitInterval) {
        if (emitInterval.isZero()) {
            return encoder(pipeline, metrics, deadLetterMaxBytes);
        }
        checkEmitInterval(pipeline);
        return Flow.<BatchResult>create()
                .statefulMap(() -> new ResultEncoder(pipeline, deadLetterMaxBytes), (encoder, result) -> {
                    metrics.batchComputed(result);
                    return Pair.create(encoder, IntervalEncoder.hold(encoder, result));
                }, encoder -> Optional.empty())
                .groupedWeightedWithin(MAX_HELD_ROWS, MAX_HELD_BATCHES, IntervalEncoder.Held::rows, emitInterval)
                .statefulMap(() -> new IntervalEncoder(pipeline, deadLetterMaxBytes),
                        (encoder, held) -> Pair.create(encoder, encoder.emit(held, metrics)), encoder -> Optional.empty())
                .mapConcat(batches -> batches);
    }

    /**
     * Fails, naming {@code spate.output.emit-interval}, when an output of {@code pipeline} cannot be
     * merged over an interval (a per-batch mean or having).
     */
    public static void checkEmitInterval(Pipeline pipeline) {
        IntervalEncoder.check(pipeline);
    }

    /**
     * Produces each batch's records, then commits its offsets once all of them are acked
     * (at-least-once), in batch order. Batches hold thousands of records, so a commit per batch is
     * cheap and keeps the committed offsets close behind the output. At most
     * {@code spate.output.batches-in-flight} batches are being produced at once, which bounds both
     * the memory held for acks and what a crash may write twice.
     */
    public static Sink<OutputBatch, CompletionStage<Done>> atLeastOnce(SpateSettings settings) {
        return atLeastOnce(settings, new PipelineMetrics(), ClientListener.NONE);
    }

    /**
     * {@link #atLeastOnce(SpateSettings)}, recording each batch's end-to-end latency in
     * {@code metrics} once its offsets are committed, and telling {@code clients} of the producer.
     * Each materialization has a producer of its own, closed when its stream ends.
     */
    public static Sink<OutputBatch, CompletionStage<Done>> atLeastOnce(SpateSettings settings, PipelineMetrics metrics,
                                                                      ClientListener clients) {
        return atLeastOnce(settings, metrics, () -> BatchWriter.atLeastOnce(settings, metrics.pipeline(), clients));
    }

    /**
     * {@link #atLeastOnce(SpateSettings, PipelineMetrics, ClientListener)} for {@code pipeline}: its
     * producer is made, and its topics' metadata fetched, as the stream starts rather than at the
     * first batch.
     */
    public static Sink<OutputBatch, CompletionStage<Done>> atLeastOnce(SpateSettings settings, Pipeline pipeline, PipelineMetrics metrics,
                                                                      ClientListener clients) {
        List<String> topics = new ArrayList<>(pipeline.outputTopics());
        topics.add(pipeline.deadLetterTopic());
        return atLeastOnce(settings, metrics, () -> {
            BatchWriter writer = BatchWriter.atLeastOnce(settings, metrics.pipeline(), clients);
            writer.open(topics);
            return writer;
        });
    }

    /** {@link #atLeastOnce(SpateSettings, PipelineMetrics, ClientListener)} writing through a writer from {@code writers}, one per materialization. */
    public static Sink<OutputBatch, CompletionStage<Done>> atLeastOnce(SpateSettings settings, PipelineMetrics metrics,
                                                                      Supplier<BatchWriter> writers) {
        return Sink.<OutputBatch, CompletionStage<Done>>fromMaterializer((materializer, attributes) -> {
            BatchWriter writer = writers.get();
            return Flow.<OutputBatch>create()
                    .mapAsync(settings.output().batchesInFlight(), out -> writer.write(out).thenApply(acked -> out))
                    .mapAsync(1, out -> out.offsets().commit().thenApply(done -> {
                        metrics.batchWritten(out.oldestTimestamp());
                        return done;
                    }))
                    .toMat(Sink.ignore(), Keep.right())
                    .mapMaterializedValue(done -> done.whenComplete((d, e) -> writer.close()));
        }).mapMaterializedValue(done -> done.thenCompose(inner -> inner));
    }

    /**
     * Writes each batch's records and commits its offsets in one Kafka transaction (exactly-once;
     * the batches must come from the batch source). The transactional producer is made and
     * initialised here, so a fenced or unreachable cluster fails the caller; it is closed when the
     * stream ends. Materialize the sink once. Its transactional id is the pipeline's group id and the
     * node id: stable across restarts, so a restarted node fences its old self.
     */
    public static Sink<OutputBatch, CompletionStage<Done>> transactional(Pipeline pipeline, SpateSettings settings) {
        return transactional(pipeline, settings, new PipelineMetrics(pipeline), ClientListener.NONE);
    }

    /**
     * {@link #transactional(Pipeline, SpateSettings)}, recording each batch's end-to-end latency in
     * {@code metrics} once its transaction has committed, and telling {@code clients} of the producer.
     */
    public static Sink<OutputBatch, CompletionStage<Done>> transactional(Pipeline pipeline, SpateSettings settings,
                                                                        PipelineMetrics metrics, ClientListener clients) {
        BatchWriter writer = BatchWriter.exactlyOnce(settings, pipeline, clients);
        writer.init();
        // Transactions are sequential on the writer's thread; batches that wait meanwhile share the next one.
        return Flow.<OutputBatch>create()
                .mapAsync(settings.output().batchesInFlight() + 1, out -> writer.write(out).thenApply(done -> {
                    metrics.batchWritten(out.oldestTimestamp());
                    return done;
                }))
                .toMat(Sink.ignore(), Keep.right())
                .mapMaterializedValue(done -> done.whenComplete((d, e) -> writer.close()));
    }
}
