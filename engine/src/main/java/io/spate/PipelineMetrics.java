package io.spate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.spate.frame.Frame;
import io.spate.spi.BackendStats;

/**
 * Running counts and meters of one pipeline, updated per batch (never per record) and safe to
 * read from any thread: the run summary, the node's status page and tests read the counts; bind
 * the meters to a Micrometer registry with {@link #bindTo(MeterRegistry)} (a node binds them to
 * its Prometheus registry). Every meter is tagged {@value #PIPELINE_TAG} with the pipeline's name.
 *
 * <p>The meters live in the pipeline's own {@link #meterRegistry() registry}, which forwards to
 * every registry they are bound to; counts are kept here, so a registry bound late still reads
 * every record, and the distributions (batch size, compute time, latency) are kept here too for
 * {@link #latency()} and the like.
 */
public final class PipelineMetrics implements MeterBinder {

    /** Tag naming the pipeline, on every meter. */
    public static final String PIPELINE_TAG = "pipeline";
    /** Tag naming an output (its topic). */
    public static final String OUTPUT_TAG = "output";
    /** Tag naming the backend that computed a batch ({@code cpu}, {@code gpu}). */
    public static final String BACKEND_TAG = "backend";
    /** Tag naming why records were dead-lettered: the reason up to its first ':' ({@code clf}, {@code json}, {@code late}, {@code overflow}, ...). */
    public static final String REASON_TAG = "reason";
    /** Counter of records read and computed (malformed ones included). */
    public static final String RECORDS_IN = "spate.input.records";
    /** Counter of payload bytes read and computed. */
    public static final String BYTES_IN = "spate.input.bytes";
    /** Counter of batches computed, by backend. */
    public static final String BATCHES = "spate.batches";
    /** Distribution of records per batch. */
    public static final String BATCH_SIZE = "spate.batch.size";
    /** Timer of the compute time per batch in the compute actor, by backend. */
    public static final String COMPUTE_TIME = "spate.compute.time";
    /** Counter of batches the backend failed on and that ran again. */
    public static final String FAULTS = "spate.compute.faults";
    /** Timer from a batch's oldest record's Kafka timestamp to its output being acked and its offsets committed. */
    public static final String LATENCY = "spate.latency";
    /** Counter of records sent to the dead-letter topic, by reason. */
    public static final String DEAD_LETTERS = "spate.dead.letters";
    /** Counter of records a windowed output did not count because all their windows had closed, by output. */
    public static final String LATE_RECORDS = "spate.late.records";
    /** Counter of result records produced, by output. */
    public static final String OUTPUT_RECORDS = "spate.output.records";
    /** Gauge of the records the pipeline's consumer is behind the end of its partitions, summed. */
    public static final String CONSUMER_LAG = "spate.consumer.lag";
    /** Gauge of the connections the pipeline's consumer holds to the cluster. */
    public static final String CONSUMER_CONNECTIONS = "spate.consumer.connections";
    /** Groups held by the pipeline's running outputs (gauge; absent until the backend says). */
    public static final String STATE_GROUPS = "spate.state.groups";
    /** Bytes copied from host to device (counter; 0 without a device). */
    public static final String DEVICE_COPIED_BYTES = "spate.device.copied";
    /** Time of the device's work: copies and kernels, timed around each batch's device run (counter). */
    public static final String DEVICE_TIME = "spate.device.time";
    /** Device memory the backend holds (gauge; 0 without a device). */
    public static final String DEVICE_MEMORY = "spate.device.memory";

    private static final double[] PERCENTILES = {0.5, 0.99};

    private final String pipeline;
    private final List<String> outputs;
    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    /**
     * The pipeline's own child of {@link #meters}: it has seen every recording. Distributions are
     * read here, since a composite answers from one child, which may be a registry bound later.
     */
    private final SimpleMeterRegistry own = new SimpleMeterRegistry();
    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder outputRecords = new LongAdder();
    private final LongAdder[] perOutput;
    private final AtomicLong faults = new AtomicLong();
    private final Map<String, LongAdder> batchesByBackend = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> deadLetters = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> late = new ConcurrentHashMap<>();
    private final Map<String, Timer> computeTimes = new ConcurrentHashMap<>();
    private volatile BackendStats backendStats = BackendStats.NONE;
    private final DistributionSummary batchSize;
    private final Timer latency;
    private volatile long firstBatchNanos;
    private volatile long lastBatchNanos;
    private volatile long firstBatchRecords;

    /** Metrics of an unnamed pipeline (tagged {@code pipeline=unnamed}), its outputs tagged by position. */
    public PipelineMetrics() {
        this("unnamed", List.of());
    }

    /** Metrics of {@code pipeline}, tagged with its name and its outputs' topics. */
    public PipelineMetrics(Pipeline pipeline) {
        this(pipeline.name(), pipeline.outputTopics());
    }

    private PipelineMetrics(String pipeline, List<String> outputs) {
        this.pipeline = pipeline;
        this.outputs = List.copyOf(outputs);
        // The pipeline's own copy of every meter, so that the distributions read the same bound or not.
        meters.add(own);
        meters.config().commonTags(PIPELINE_TAG, pipeline);
        FunctionCounter.builder(RECORDS_IN, records, LongAdder::doubleValue).description("records read and computed").register(meters);
        FunctionCounter.builder(BYTES_IN, bytes, LongAdder::doubleValue).baseUnit("bytes").description("payload bytes read and computed")
                .register(meters);
        FunctionCounter.builder(FAULTS, faults, AtomicLong::doubleValue).description("batches the backend failed on and ran again")
                .register(meters);
        perOutput = new LongAdder[this.outputs.size()];
        for (int q = 0; q < perOutput.length; q++) {
            perOutput[q] = new LongAdder();
            FunctionCounter.builder(OUTPUT_RECORDS, perOutput[q], LongAdder::doubleValue).tag(OUTPUT_TAG, this.outputs.get(q))
                    .description("result records produced").register(meters);
        }
        Gauge.builder(STATE_GROUPS, this, m -> m.backendStats.stateGroups() < 0 ? Double.NaN : m.backendStats.stateGroups())
                .description("groups held by the running outputs").register(meters);
        FunctionCounter.builder(DEVICE_COPIED_BYTES, this, m -> m.backendStats.deviceCopiedBytes()).baseUnit("bytes")
                .description("bytes copied from host to device").register(meters);
        FunctionCounter.builder(DEVICE_TIME, this, m -> m.backendStats.deviceNanos() / 1e9).baseUnit("seconds")
                .description("device work (copies and kernels) timed around each batch's device run").register(meters);
        Gauge.builder(DEVICE_MEMORY, this, m -> m.backendStats.deviceMemoryBytes()).baseUnit("bytes")
                .description("device memory the backend holds").register(meters);
        batchSize = DistributionSummary.builder(BATCH_SIZE).baseUnit("records").publishPercentiles(PERCENTILES)
                .description("records per batch").register(meters);
        latency = Timer.builder(LATENCY).publishPercentiles(PERCENTILES)
                .description("from a batch's oldest record timestamp to its output acked and offsets committed").register(meters);
    }

    /** The name the meters are tagged with. */
    public String pipeline() {
        return pipeline;
    }

    /**
     * Binds the pipeline's meters to {@code registry}: they show there (with their counts so far)
     * until {@link #unbindFrom(MeterRegistry)}. Micrometer warns once per JVM that recordings made
     * before a registry was added are missing from it: true of the distributions (batch size,
     * compute time, latency) only, as the counts are kept here.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        meters.add(registry);
    }

    /** Removes the pipeline's meters from {@code registry} (a node does when a pipeline is replaced or stopped). */
    public void unbindFrom(MeterRegistry registry) {
        meters.remove(registry);
        for (Meter m : meters.getMeters()) {
            registry.removeByPreFilterId(m.getId());
        }
    }

    /**
     * The pipeline's own registry, a composite forwarding to every registry the metrics are bound
     * to: meters of what the pipeline owns (its Kafka clients' metrics) are added here, tagged
     * with the pipeline, and show wherever the pipeline's meters do.
     */
    public MeterRegistry meterRegistry() {
        return meters;
    }

    /** Counts one computed batch and the {@code outputs} records made of it (called once per batch by the encoding stage). */
    public void batchComputed(BatchResult result, int outputs) {
        batchComputed(result);
        outputsEncoded(result.frames(), outputs);
    }

    /**
     * Counts {@code records} records made of {@code frames}, the results of one or more batches
     * (when results are written once per interval, the encoding stage counts them when it merges).
     */
    public void outputsEncoded(List<Frame> frames, int records) {
        outputRecords.add(records);
        for (int q = 0; q < frames.size() && q < perOutput.length; q++) {
            Frame f = frames.get(q);
            perOutput[q].add(f.nesting() != null ? f.nesting().records() : f.rows());
        }
    }

    /** Counts one computed batch's input: its records, dead letters and late records (its outputs are counted apart). */
    public void batchComputed(BatchResult result) {
        long now = System.nanoTime();
        int count = result.batch().count();
        if (firstBatchNanos == 0) {
            firstBatchRecords = count;
            firstBatchNanos = now;
        }
        lastBatchNanos = now;
        records.add(count);
        bytes.add(result.batch().byteSize());
        batches.increment();
        batchSize.record(count);
        counter(batchesByBackend, BATCHES, BACKEND_TAG, result.backend(), "batches computed").increment();
        rejected.add(result.rejectedCount() + result.late().length);
        if (result.rejectedCount() > 0) {
            countReasons(result.reasons());
        }
        if (result.late().length > 0) {
            countLate(result.late().length, result.lateQuery());
        }
    }

    /** Counts dead letters by the kind of their reason, once per kind per batch. */
    private void countReasons(String[] reasons) {
        Map<String, Integer> kinds = new HashMap<>();
        for (String reason : reasons) {
            kinds.merge(reasonKind(reason), 1, Integer::sum);
        }
        kinds.forEach((kind, n) -> counter(deadLetters, DEAD_LETTERS, REASON_TAG, kind, "records sent to the dead-letter topic").add(n));
    }

    private void countLate(int n, int[] lateQuery) {
        counter(deadLetters, DEAD_LETTERS, REASON_TAG, "late", "records sent to the dead-letter topic").add(n);
        Map<Integer, Integer> perQuery = new HashMap<>();
        for (int query : lateQuery) {
            perQuery.merge(query, 1, Integer::sum);
        }
        perQuery.forEach((query, k) -> {
            String output = query < outputs.size() ? outputs.get(query) : "output-" + (query + 1);
            counter(late, LATE_RECORDS, OUTPUT_TAG, output, "records too late for every window of an output").add(k);
        });
    }

    /** Keeps what the backend holds and has spent, said after a batch (called by the compute actor). */
    public void backendStats(BackendStats stats) {
        backendStats = stats;
    }

    /** What the backend said after its last batch ({@link BackendStats#NONE} before the first). */
    public BackendStats backendStats() {
        return backendStats;
    }

    /** Records how long the compute actor took over one batch, on {@code backend} (called by the compute actor). */
    public void batchComputeTime(String backend, long nanos) {
        computeTimes.computeIfAbsent(backend, b -> Timer.builder(COMPUTE_TIME).tag(BACKEND_TAG, b).publishPercentiles(PERCENTILES)
                .description("compute time per batch in the compute actor").register(meters)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Records that a batch whose oldest record has Kafka timestamp {@code oldestTimestamp} is
     * written and committed now (called by the sink); nothing for {@link RecordBatch#NO_TIMESTAMP}.
     */
    public void batchWritten(long oldestTimestamp) {
        if (oldestTimestamp != RecordBatch.NO_TIMESTAMP) {
            latency.record(Math.max(0, System.currentTimeMillis() - oldestTimestamp), TimeUnit.MILLISECONDS);
        }
    }

    private LongAdder counter(Map<String, LongAdder> counts, String name, String tag, String value, String description) {
        LongAdder count = counts.get(value);
        if (count == null) {
            count = counts.computeIfAbsent(value, v -> {
                LongAdder c = new LongAdder();
                FunctionCounter.builder(name, c, LongAdder::doubleValue).tag(tag, v).description(description).register(meters);
                return c;
            });
        }
        return count;
    }

    /** The kind of a dead letter's reason: what comes before its first ':' ({@code clf: too few fields} is {@code clf}), bounded. */
    static String reasonKind(String reason) {
        int end = reason.indexOf(':');
        end = end < 0 ? reason.length() : end;
        if (end == 0 || end > 24) {
            return "other";
        }
        for (int i = 0; i < end; i++) {
            char c = reason.charAt(i);
            if (!(c >= 'a' && c <= 'z' || i > 0 && (c >= '0' && c <= '9' || c == '_' || c == '-'))) {
                return "other";
            }
        }
        return reason.substring(0, end);
    }

    /** Records read and computed (including malformed ones). */
    public long records() {
        return records.sum();
    }

    /** Payload bytes read and computed. */
    public long bytes() {
        return bytes.sum();
    }

    /** Batches computed. */
    public long batches() {
        return batches.sum();
    }

    /** Batches computed by each backend, by name: {@code gpu}, and {@code cpu} for the CPU backend or the GPU backend's CPU twin. */
    public Map<String, Long> batchesByBackend() {
        return sums(batchesByBackend);
    }

    /** Records sent to the dead-letter topic: malformed ones, and late ones once per windowed output they missed. */
    public long rejected() {
        return rejected.sum();
    }

    /** Records sent to the dead-letter topic by the kind of their reason ({@code clf}, {@code json}, {@code late}, ...). */
    public Map<String, Long> deadLetters() {
        return sums(deadLetters);
    }

    /** Batches the compute backend failed on and ran again. */
    public long faults() {
        return faults.get();
    }

    /** The counter the compute actor adds its re-run batches to. */
    public AtomicLong faultCounter() {
        return faults;
    }

    /** Result records produced (one per group per batch), dead letters and event-time records included. */
    public long outputRecords() {
        return outputRecords.sum();
    }

    /** Records per batch. */
    public DistributionSummary batchSize() {
        return own.get(BATCH_SIZE).summary();
    }

    /** End-to-end latency per batch: from its oldest record's Kafka timestamp to its output acked and offsets committed. */
    public Timer latency() {
        return own.get(LATENCY).timer();
    }

    /** Compute time per batch on {@code backend}, or null before the first batch it computed. */
    public Timer computeTime(String backend) {
        return computeTimes.containsKey(backend) ? own.get(COMPUTE_TIME).tag(BACKEND_TAG, backend).timer() : null;
    }

    /** Compute time per batch, by backend. */
    public Map<String, Timer> computeTimes() {
        Map<String, Timer> byBackend = new TreeMap<>();
        computeTimes.keySet().forEach(b -> byBackend.put(b, computeTime(b)));
        return byBackend;
    }

    /** Records the pipeline's consumer is behind the ends of its partitions (as of its last fetch), or NaN before it knows. */
    public double consumerLag() {
        return gauge(CONSUMER_LAG);
    }

    /** Connections the pipeline's consumer holds to the cluster, or NaN before it exists: 0 while the cluster is out of reach. */
    public double consumerConnections() {
        return gauge(CONSUMER_CONNECTIONS);
    }

    private double gauge(String name) {
        Gauge g = meters.find(name).gauge();
        return g == null ? Double.NaN : g.value();
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /**
     * Records per second between the first and the last computed batch, the first batch's records
     * left out: the steady rate, without consumer-group join and start-up. NaN before two batches.
     */
    public double steadyRecordsPerSecond() {
        long span = lastBatchNanos - firstBatchNanos;
        return span <= 0 ? Double.NaN : (records() - firstBatchRecords) / (span / 1e9);
    }

    /** Bytes per second, measured like {@link #steadyRecordsPerSecond()} (assuming records of even size). */
    public double steadyBytesPerSecond() {
        long n = records();
        return n == 0 ? Double.NaN : steadyRecordsPerSecond() * bytes() / n;
    }

    @Override
    public String toString() {
        return records() + " records (" + bytes() + " bytes) in " + batches() + " batches, " + rejected()
                + " to the dead-letter topic, " + outputRecords() + " result records" + (faults() > 0 ? ", " + faults() + " batches run again after a backend fault" : "");
    }
}
