package io.spate.internal.sink;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.kafka.ProducerMessage;
import org.apache.pekko.kafka.javadsl.Producer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

import io.spate.BatchResult;
import io.spate.OutputBatch;
import io.spate.Pipeline;
import io.spate.PipelineMetrics;
import io.spate.SourceOffsets;
import io.spate.SpateSettings;
import io.spate.internal.kafka.KafkaClients;

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

    /**
     * Produces the records, then commits each batch's offsets once all its records are acked
     * (at-least-once), in batch order. Batches hold thousands of records, so a commit per batch is
     * cheap and keeps the committed offsets close behind the output.
     */
    public static Sink<OutputBatch, CompletionStage<Done>> atLeastOnce(SpateSettings settings) {
        return Flow.<OutputBatch>create()
                .map(out -> out.records().isEmpty()
                        ? ProducerMessage.<byte[], byte[], SourceOffsets>passThrough(out.offsets())
                        : ProducerMessage.<byte[], byte[], SourceOffsets>multi(out.records(), out.offsets()))
                .via(Producer.<byte[], byte[], SourceOffsets>flexiFlow(KafkaClients.producer(settings)))
                .map(ProducerMessage.Results::passThrough)
                .mapAsync(1, SourceOffsets::commit)
                .toMat(Sink.ignore(), Keep.right());
    }

    /**
     * Writes each batch's records and commits its offsets in one Kafka transaction (exactly-once;
     * the batches must come from the batch source). The transactional producer is made and
     * initialised here, so a fenced or unreachable cluster fails the caller; it is closed when the
     * stream ends. Materialize the sink once. Its transactional id is the pipeline's group id and the
     * node id: stable across restarts, so a restarted node fences its old self.
     */
    public static Sink<OutputBatch, CompletionStage<Done>> transactional(Pipeline pipeline, SpateSettings settings) {
        TransactionalWriter writer = new TransactionalWriter(settings, pipeline);
        writer.init();
        return Flow.<OutputBatch>create()
                .mapAsync(1, writer::write)
                .toMat(Sink.ignore(), Keep.right())
                .mapMaterializedValue(done -> done.whenComplete((d, e) -> writer.close()));
    }
}
