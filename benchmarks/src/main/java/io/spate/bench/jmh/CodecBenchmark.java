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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.frame.ColumnType;
import io.spate.internal.codec.BatchDecoder;
import io.spate.internal.codec.BatchDecoders;
import io.spate.internal.codec.DecodedBatch;
import io.spate.plan.ClfFormat;
import io.spate.plan.CompareOp;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;
import io.spate.plan.Filter;
import io.spate.plan.InputFormat;
import io.spate.plan.JsonFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.spi.ComputeBackend;

/**
 * Decoding cost per input format, on batches of 50,000 records carrying the same NASA log values:
 * CLF lines as they are, {@code host\tstatus\tbytes} TSV, JSON objects with a nested
 * {@code request}, and the word-count workload's {@code {"text": request}} JSON. Each reads three
 * fields but the last: CLF and TSV {@code host}, {@code status}, {@code bytes}; JSON {@code host},
 * {@code bytes} and the nested {@code request.method}; {@code json-text} only {@code text}.
 *
 * <p>{@code decode} runs the format's decoder alone into reused columns. {@code decodeAndCount} runs
 * the whole CPU backend on a plan that needs those fields but does trivial work with them (one
 * group: a {@code != ""} filter on the strings, a count and sums of the longs), so it is decode
 * plus the fixed cost of a query. Scores are records per second; {@code bytes} is input bytes per
 * second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
// Jackson's parser needs about 6 s to reach steady state; longer warmup iterations keep "-wi 2" enough.
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 3, time = 2)
public class CodecBenchmark {

    /** Records per batch: the default {@code spate.batch.max-records}. */
    static final int RECORDS = 50_000;

    /** The input format: {@code clf}, {@code tsv}, {@code json} or {@code json-text}. */
    @Param({"clf", "tsv", "json", "json-text"})
    public String format;

    private RecordBatch batch;
    private Plan plan;
    private ComputeBackend backend;
    private BatchDecoder decoder;
    private DecodedBatch decoded;

    /** Builds the batch and the plan once per trial. */
    @Setup
    public void setUp() {
        List<byte[]> lines = BenchData.nasaLines();
        Field host = new Field("host", ColumnType.UTF8);
        Field status = new Field("status", ColumnType.LONG);
        Field bytes = new Field("bytes", ColumnType.LONG);
        Query.Builder query = Query.builder("trivial").where(new Filter("host", CompareOp.NE, "")).count("records");
        InputFormat input;
        List<byte[]> records;
        switch (format) {
            case "clf":
                input = new ClfFormat();
                records = lines;
                query.sum("status", "status_sum").sum("bytes", "bytes_sum");
                break;
            case "tsv":
                input = DelimitedFormat.tsv(List.of(host, status, bytes));
                records = BenchData.tsv(lines);
                query.sum("status", "status_sum").sum("bytes", "bytes_sum");
                break;
            case "json":
                input = new JsonFormat(List.of(host, bytes, new Field("request.method", ColumnType.UTF8)));
                records = BenchData.json(lines);
                query.where(new Filter("request.method", CompareOp.NE, "")).sum("bytes", "bytes_sum");
                break;
            case "json-text":
                input = new JsonFormat(List.of(new Field("text", ColumnType.UTF8)));
                records = BenchData.jsonText(lines);
                query = Query.builder("trivial").where(new Filter("text", CompareOp.NE, "")).count("records");
                break;
            default:
                throw new IllegalArgumentException("unknown format " + format);
        }
        records = BenchData.take(records, RECORDS);
        batch = BenchData.batch(records);
        plan = Plan.of(input, query.build());
        backend = BenchData.cpuBackend();
        decoder = BatchDecoders.forFormat(input, plan.referencedFields());
        decoded = new DecodedBatch(plan.referencedFields());
        System.out.printf(Locale.ROOT, "# %s: %d records, %.1f bytes per record, %d rejected%n", format,
                batch.count(), BenchData.averageBytes(records), backend.execute(plan, batch).rejectedCount());
    }

    /** The decoder alone, into columns reused across batches. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public int decode(ByteCounter counter) {
        decoded.reset(batch);
        decoder.decode(batch, decoded);
        counter.bytes += batch.byteSize();
        int accepted = decoded.acceptedCount();
        decoded.release();
        return accepted;
    }

    /** Decode plus a one-group query over the decoded fields, through the CPU backend. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public BatchResult decodeAndCount(ByteCounter counter) {
        counter.bytes += batch.byteSize();
        return backend.execute(plan, batch);
    }
}
