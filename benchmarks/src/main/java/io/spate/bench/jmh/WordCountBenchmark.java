package io.spate.bench.jmh;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
import io.spate.frame.ColumnType;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.spi.ComputeBackend;

/**
 * The word-count workload's compute on one 50,000-record batch of {@code {"text": request}}
 * messages (the requests of the NASA log): decode, tokenize with lower-casing, group by word,
 * count, and merge into the running counts, as the CPU backend does it per batch. The running
 * state lives across invocations, as in a stream. Scores are input records per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 2)
public class WordCountBenchmark {

    /** Records in the batch, the bench's batch size. */
    static final int RECORDS = 50_000;

    private RecordBatch batch;
    private Plan plan;
    private ComputeBackend backend;

    /** Builds the batch and the plan once per trial. */
    @Setup
    public void setUp() {
        List<byte[]> records = BenchData.take(BenchData.jsonText(BenchData.nasaLines()), RECORDS);
        batch = BenchData.batch(records);
        plan = Plan.of(new JsonFormat(List.of(new Field("text", ColumnType.UTF8))),
                Query.builder("word-counts").tokenize("text", "word", true).groupBy("word").count("count").running().build());
        backend = BenchData.cpuBackend();
        System.out.printf(Locale.ROOT, "# json-text: %d records, %.1f bytes per record, %d words in the first batch's frame%n",
                batch.count(), BenchData.averageBytes(records), backend.execute(plan, batch).frames().get(0).rows());
    }

    /** Decode, tokenize, group, count and update the running counts of one batch. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public BatchResult wordCount(ByteCounter counter) {
        counter.bytes += batch.byteSize();
        return backend.execute(plan, batch);
    }
}
