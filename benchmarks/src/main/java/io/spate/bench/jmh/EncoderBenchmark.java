package io.spate.bench.jmh;

import java.util.ArrayList;
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
import org.openjdk.jmh.infra.Blackhole;

import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;
import io.spate.internal.sink.FrameEncoder;
import io.spate.plan.ClfFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;

/**
 * Encoding result rows for Kafka: the record key and JSON value of every row of a 10,000-row frame
 * ({@code host}, {@code requests}, {@code bytes}: the requests-per-host result over the NASA log,
 * rows repeated if the log has fewer hosts). The score is rows per second; {@code bytes} is encoded
 * output (keys plus values) per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class EncoderBenchmark {

    /** Rows in the frame. */
    static final int ROWS = 10_000;

    private final FrameEncoder encoder = new FrameEncoder();
    private Frame frame;

    /** Computes the per-host frame once per trial and cuts it to {@value #ROWS} rows. */
    @Setup
    public void setUp() {
        Plan plan = Plan.of(new ClfFormat(),
                Query.builder("per_host").groupBy("host").count("requests").sum("bytes", "bytes").build());
        Frame perHost = BenchData.cpuBackend().execute(plan, BenchData.batch(BenchData.nasaLines())).frames().get(0);
        Utf8Column host = (Utf8Column) perHost.column("host");
        LongColumn requests = (LongColumn) perHost.column("requests");
        LongColumn bytes = (LongColumn) perHost.column("bytes");
        List<byte[]> hosts = new ArrayList<>(ROWS);
        long[] requestValues = new long[ROWS];
        long[] byteValues = new long[ROWS];
        for (int row = 0; row < ROWS; row++) {
            int from = row % perHost.rows();
            hosts.add(host.getBytes(from));
            requestValues[row] = requests.get(from);
            byteValues[row] = bytes.get(from);
        }
        frame = new Frame(List.of(Utf8Column.ofBytes("host", hosts), LongColumn.of("requests", requestValues),
                LongColumn.of("bytes", byteValues)), 1, ROWS);
        System.out.printf(Locale.ROOT, "# frame: %d rows from %d distinct hosts%n", ROWS, perHost.rows());
    }

    /** The key and the value of every row. */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void encode(ByteCounter counter, Blackhole bh) {
        long out = 0;
        for (int row = 0; row < ROWS; row++) {
            byte[] key = encoder.key(frame, row);
            byte[] value = encoder.value(frame, row);
            out += key.length + value.length;
            bh.consume(key);
            bh.consume(value);
        }
        counter.bytes += out;
    }
}
