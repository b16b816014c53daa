package io.spate.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.typesafe.config.ConfigFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.BatchResult;
import io.spate.PartitionTime;
import io.spate.Pipeline;
import io.spate.RecordBatch;
import io.spate.RecordBatchBuilder;
import io.spate.SourceOffsets;
import io.spate.SpateSettings;
import io.spate.frame.Frame;
import io.spate.internal.compute.Backends;
import io.spate.internal.sink.ResultEncoder;
import io.spate.internal.state.StateRecords;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.spi.ComputeBackend;

/**
 * Runs a {@link Pipeline} without a broker, as Kafka Streams' {@code TopologyTestDriver} runs a
 * topology: pipe values into its input topics, read what it would write to Kafka.
 *
 * <pre>{@code
 * try (PipelineTestDriver driver = new PipelineTestDriver(pipeline)) {
 *     driver.input("weblogs").pipe(line1, line2);
 *     List<KeyValue> traffic = driver.output("traffic").readKeyValues();
 *     List<TestRecord> rejected = driver.deadLetters();
 * }
 * }</pre>
 *
 * <p>It runs the engine's own code from the batch on: the backend a node would pick
 * ({@code spate.compute.backend}: with {@code auto}, the GPU one when its jar is on the class
 * path and a device answers, else the CPU one), the node's record batches, its result encoder
 * (the same keys, JSON values, dead letters with their headers and event-time changelog records)
 * and its state restore. Only Kafka and the stream around them are left out.
 *
 * <p>What that means for a test:
 * <ul>
 *   <li>Each {@code pipe} call is one batch, and Spate computes per batch: an output without
 *       {@code running} writes each group once per batch with that batch's aggregates (as
 *       cuStreamz does), a running output writes the groups the batch changed with their totals
 *       (an upsert stream), a model ({@link io.spate.plan.Inference}) answers each record that
 *       decodes. The batch limits of {@link Pipeline#batch()} and
 *       {@link SpateSettings#batch()} do not apply: a pipe is one batch however large.</li>
 *   <li>A pipe goes to one partition (0 unless given) of one input topic, at offsets that go up
 *       from 0 per partition; those are the offsets dead letters name. An input topic starts
 *       with partition 0; piping to a higher one adds the partitions up to it, as partitions
 *       added to a topic while a node runs (windowed queries learn of those not read from yet at
 *       the next restart). An empty pipe does nothing (a node never makes an empty batch).</li>
 *   <li>Output records come in the order the node produces them: each output's groups, then dead
 *       letters, then event-time changelog records; a topic is one list (a node's producer spreads
 *       it over partitions by key). Reading consumes them ({@link TestOutputTopic}).</li>
 *   <li>{@link #restart()} is a node restarting after a crash with exactly-once delivery: a new
 *       backend, its state restored from everything written so far (running outputs from their
 *       topics, event times from {@link Pipeline#eventTimeTopic()}) when {@code spate.state.restore}
 *       is on, and the offsets going on after the last batch piped.</li>
 *   <li>The pipeline runs as on one node: {@code spate.state.scale-out} (stages joined by
 *       repartition topics), delivery mode, in-flight batches and timeouts play no part, and
 *       batches are built on the heap, never in a backend's staging memory. A batch the backend
 *       throws on is run once more, as the compute actor does.</li>
 * </ul>
 *
 * <p>Not thread-safe: use a driver from one thread (a GPU backend keeps its context on it).
 * Close it to release the backend.
 */
public final class PipelineTestDriver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineTestDriver.class);

    private final Pipeline pipeline;
    private final SpateSettings settings;
    private final ResultEncoder encoder;
    private final Map<String, TestOutputTopic> outputs = new LinkedHashMap<>();
    /** The next offset of every input partition: 0 up to the highest piped to (at least 0) of each input topic. */
    private final Map<TopicPartition, Long> nextOffsets = new LinkedHashMap<>();
    private ComputeBackend backend;
    private long sequence;
    private boolean closed;

    /** A driver for {@code pipeline} with the settings of {@code ConfigFactory.load()} (reference.conf and application.conf). */
    public PipelineTestDriver(Pipeline pipeline) {
        this(pipeline, SpateSettings.create(ConfigFactory.load()));
    }

    /** A driver for {@code pipeline} with {@code settings}; starts the backend as a node starts the pipeline. */
    public PipelineTestDriver(Pipeline pipeline, SpateSettings settings) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.encoder = new ResultEncoder(pipeline);
        pipeline.outputTopics().forEach(t -> outputs.put(t, new TestOutputTopic(t)));
        outputs.put(pipeline.deadLetterTopic(), new TestOutputTopic(pipeline.deadLetterTopic()));
        if (pipeline.windowed()) {
            outputs.put(pipeline.eventTimeTopic(), new TestOutputTopic(pipeline.eventTimeTopic()));
        }
        pipeline.topics().forEach(t -> nextOffsets.put(new TopicPartition(t, 0), 0L));
        this.backend = start();
    }

    /** The input topic {@code topic}; fails when the pipeline does not read it. */
    public TestInputTopic input(String topic) {
        if (!pipeline.topics().contains(topic)) {
            throw new IllegalArgumentException("pipeline '" + pipeline.name() + "' does not read topic '" + topic + "'; it reads "
                    + pipeline.topics());
        }
        return new TestInputTopic(this, topic);
    }

    /**
     * The topic {@code topic} the pipeline writes: one of its outputs, its dead-letter topic, or
     * (windowed pipelines) its event-time changelog; fails for any other.
     */
    public TestOutputTopic output(String topic) {
        TestOutputTopic out = outputs.get(topic);
        if (out == null) {
            throw new IllegalArgumentException("pipeline '" + pipeline.name() + "' does not write topic '" + topic + "'; it writes "
                    + outputs.keySet());
        }
        return out;
    }

    /** The dead letters not read yet, with their headers, and consumes them: {@code output(deadLetterTopic).readRecords()}. */
    public List<TestRecord> deadLetters() {
        return output(pipeline.deadLetterTopic()).readRecords();
    }

    /**
     * Restarts the pipeline as a node restarts after a crash: closes the backend, makes a new one
     * and restores its state from everything written so far. Nothing written is lost, nothing is
     * read again, and what was not read yet stays to be read. If the restore fails, the driver
     * is closed.
     */
    public void restart() {
        checkOpen();
        ComputeBackend old = backend;
        backend = null;
        old.close();
        try {
            backend = start();
        } catch (RuntimeException e) {
            closed = true;
            throw e;
        }
    }

    /** Closes the backend; the driver cannot be used afterwards. Closing twice does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }

    /** Runs {@code records}, read from {@code topic}/{@code partition}, as one batch, and keeps what it writes. */
    void process(String topic, int partition, List<TestRecord> records) {
        checkOpen();
        if (records.isEmpty()) {
            return;
        }
        // A Kafka topic with partition p has partitions 0 to p: a restart tells windowed queries of each.
        for (int p = 0; p < partition; p++) {
            nextOffsets.putIfAbsent(new TopicPartition(topic, p), 0L);
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        long offset = nextOffsets.getOrDefault(tp, 0L);
        RecordBatchBuilder builder = RecordBatch.builder(1024, records.size());
        long now = System.currentTimeMillis();
        for (TestRecord r : records) {
            byte[] v = utf8(r.value());
            builder.append(v, 0, v.length, topic, partition, offset++, r.timestamp() < 0 ? now : r.timestamp(),
                    r.key() == null ? null : utf8(r.key()));
            r.headers().forEach((name, value) -> builder.header(name, value == null ? null : utf8(value)));
        }
        BatchResult result = execute(builder.build(SourceOffsets.NONE, sequence++));
        nextOffsets.put(tp, offset);
        for (ProducerRecord<byte[], byte[]> r : encoder.encode(result).records()) {
            output(r.topic()).add(r);
        }
    }

    /** The UTF-8 bytes of {@code text}; a {@code null} value (a tombstone) reads as an empty record. */
    private static byte[] utf8(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }

    /** Runs a batch as the compute actor does: once more if the backend throws. */
    private BatchResult execute(RecordBatch batch) {
        try {
            return backend.execute(pipeline.plan(), batch);
        } catch (RuntimeException first) {
            LOG.warn("{} backend failed on {}, running it again: {}", backend.name(), batch, first.toString());
            try {
                return backend.execute(pipeline.plan(), batch);
            } catch (RuntimeException second) {
                second.addSuppressed(first);
                throw second;
            }
        }
    }

    /**
     * A new backend with the state a node gives it before its first batch (see
     * {@code io.spate.internal.state.StateRestore}): each running query's last value per key in
     * its output topic, then the saved event times and every input partition known as not read
     * from yet ({@link Long#MIN_VALUE}); the saved state only when {@code spate.state.restore} is on.
     */
    private ComputeBackend start() {
        sequence = 0;
        ComputeBackend started = Backends.create(settings);
        try {
            boolean restore = settings.state().restore();
            Plan plan = pipeline.plan();
            for (int q = 0; q < plan.queries().size(); q++) {
                Query query = plan.queries().get(q);
                if (restore && query.running()) {
                    String topic = pipeline.outputTopics().get(q);
                    Frame saved = StateRecords.runningFrame(plan, query, lastValues(topic), topic);
                    started.restore(plan, q, saved);
                }
            }
            if (pipeline.windowed()) {
                List<PartitionTime> times = new ArrayList<>(restore
                        ? StateRecords.eventTimes(pipeline, lastValues(pipeline.eventTimeTopic())) : List.of());
                times.addAll(StateRecords.unread(plan, nextOffsets.keySet()));
                times.forEach(t -> started.restoreTime(plan, t));
            }
            return started;
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    /** The last value per key of everything written to {@code topic}: a changelog's state. */
    private Collection<byte[]> lastValues(String topic) {
        StateRecords.LastValues last = new StateRecords.LastValues();
        for (ProducerRecord<byte[], byte[]> r : output(topic).written()) {
            last.add(r.key(), r.value());
        }
        return last.values();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the test driver of pipeline '" + pipeline.name() + "' is closed");
        }
    }
}
