package io.spate.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.frame.ColumnType;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.spi.ComputeBackend;

/**
 * Hash group-by with {@code count} and {@code sum} over one batch of 1,000,000 {@code key\tvalue}
 * TSV records whose string keys take {@code keys} distinct values, each equally often, in random
 * order. The work includes decoding the two columns and building the result frame (one row per
 * key), as the CPU backend does it per batch. Scores are records per second; {@code bytes} is input
 * bytes per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class GroupByBenchmark {

    /** Records in the batch. */
    static final int RECORDS = 1_000_000;

    /** Number of distinct keys. */
    @Param({"10", "10000", "1000000"})
    public int keys;

    private RecordBatch batch;
    private Plan plan;
    private ComputeBackend backend;

    /** Builds the records, shuffled with a fixed seed, once per trial. */
    @Setup
    public void setUp() {
        Random random = new Random(42);
        int[] ids = new int[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            ids[i] = i % keys;
        }
        for (int i = RECORDS - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
        List<byte[]> records = new ArrayList<>(RECORDS);
        for (int id : ids) {
            String record = "host" + id + ".example.com\t" + random.nextInt(100_000);
            records.add(record.getBytes(StandardCharsets.UTF_8));
        }
        batch = BenchData.batch(records);
        plan = Plan.of(
                DelimitedFormat.tsv(List.of(new Field("key", ColumnType.UTF8), new Field("value", ColumnType.LONG))),
                Query.builder("by_key").groupBy("key").count("records").sum("value", "total").build());
        backend = BenchData.cpuBackend();
        System.out.printf(Locale.ROOT, "# %d keys: %d records, %.1f bytes per record, %d groups%n", keys,
                batch.count(), BenchData.averageBytes(records), backend.execute(plan, batch).frames().get(0).rows());
    }

    /** Decodes, groups and aggregates the batch. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public BatchResult groupBy(ByteCounter counter) {
        counter.bytes += batch.byteSize();
        return backend.execute(plan, batch);
    }
}
