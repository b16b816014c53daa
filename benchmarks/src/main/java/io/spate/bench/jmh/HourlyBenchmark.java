package io.spate.bench.jmh;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.bench.Workload;
import io.spate.plan.Plan;
import io.spate.spi.ComputeBackend;

/**
 * The hourly windows' compute ({@code config/golden-signals-hourly.conf}, as {@code spate bench
 * --workloads hourly} runs it) on 50,000-record batches of the NASA log, each cycle's dates moved
 * on by whole days: decode, the three windowed running queries (requests and bytes per host and
 * hour, 5xx errors per host, status and hour), their merge into the running state and the
 * eviction of closed windows, as the CPU backend does per batch. Each invocation takes the next
 * batch (made before it, not timed), so event time moves forward as in a stream. Scores are input
 * records per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 2)
public class HourlyBenchmark {

    /** Records in a batch, the bench's batch size. */
    static final int RECORDS = 50_000;

    private List<byte[]> input;
    private int next;
    private RecordBatch batch;
    private Plan plan;
    private ComputeBackend backend;

    /** Makes the input view and the plan once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        Workload hourly = Workload.named("hourly");
        // A view that makes each record when asked: far more than a trial takes, none held.
        input = hourly.input(BenchData.nasaLines(), Integer.MAX_VALUE);
        plan = hourly.pipeline(BenchData.TOPIC, "jmh-", RECORDS).plan();
        backend = BenchData.cpuBackend();
        nextBatch();
        int rows = backend.execute(plan, batch).frames().stream().mapToInt(io.spate.frame.Frame::rows).sum();
        System.out.printf(Locale.ROOT, "# hourly: %d records a batch, %d result rows in the first%n", batch.count(), rows);
    }

    /** The next batch of the input, made outside the timing. */
    @Setup(Level.Invocation)
    public void nextBatch() {
        batch = BenchData.batch(input.subList(next, next + RECORDS));
        next += RECORDS;
    }

    /** Decode, window, group, aggregate and merge one batch into the running windows. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public BatchResult hourly(ByteCounter counter) {
        counter.bytes += batch.byteSize();
        return backend.execute(plan, batch);
    }
}
