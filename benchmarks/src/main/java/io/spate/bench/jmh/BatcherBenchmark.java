package io.spate.bench.jmh;

import java.util.List;
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

import io.spate.RecordBatch;
import io.spate.RecordBatchBuilder;
import io.spate.SourceOffsets;

/**
 * The batcher's per-record cost: appending 50,000 NASA log lines (each its own array, as Kafka
 * hands them over) into a {@link RecordBatchBuilder} and sealing the batch. The score is records
 * per second; the {@code bytes} line is payload bytes per second.
 *
 * <p>{@code sizing=batcher} starts the builder as the batcher stage does (64 KiB and 4,096 records,
 * doubling from there); {@code sizing=presized} gives it the exact size, which isolates the copy
 * from the growth.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class BatcherBenchmark {

    /** Records per batch: the default {@code spate.batch.max-records}. */
    static final int RECORDS = 50_000;

    /** How the builder is first sized: {@code batcher} (as the stage does) or {@code presized}. */
    @Param({"batcher", "presized"})
    public String sizing;

    private List<byte[]> values;
    private int totalBytes;
    private long sequence;

    /** Loads the lines once per trial. */
    @Setup
    public void setUp() {
        values = BenchData.take(BenchData.nasaLines(), RECORDS);
        totalBytes = values.stream().mapToInt(v -> v.length).sum();
    }

    /** Appends every line and builds the batch. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public RecordBatch append(ByteCounter counter) {
        RecordBatchBuilder builder = "presized".equals(sizing)
                ? RecordBatch.builder(totalBytes, RECORDS)
                : RecordBatch.builder(64 * 1024, 4096);
        List<byte[]> vs = values;
        for (int i = 0; i < vs.size(); i++) {
            byte[] v = vs.get(i);
            builder.append(v, 0, v.length, BenchData.TOPIC, 0, i);
        }
        counter.bytes += builder.byteSize();
        return builder.build(SourceOffsets.NONE, sequence++);
    }
}
