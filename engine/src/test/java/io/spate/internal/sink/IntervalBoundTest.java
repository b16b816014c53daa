package io.spate.internal.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.spate.BatchResult;
import io.spate.OutputBatch;
import io.spate.Pipeline;
import io.spate.PipelineMetrics;
import io.spate.RecordBatch;
import io.spate.internal.cpu.CpuBackend;
import io.spate.plan.ClfFormat;

/**
 * {@code spate.output.emit-interval}: an interval that gathers {@link Sinks#MAX_HELD_ROWS} rows is
 * written before its time is up, so a sink slower than the compute cannot make it hold more.
 */
class IntervalBoundTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final int BATCHES = 120;
    private static final int HOSTS_PER_BATCH = 5_000;

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @Test
    void shouldWriteAnIntervalEarlyOnceItHoldsTheMostRows() throws Exception {
        Pipeline pipeline = Pipeline.builder("bound").source("in").format(new ClfFormat())
                .output("traffic", q -> q.groupBy("host").count("requests")).build();
        CpuBackend backend = new CpuBackend();
        List<BatchResult> results = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            List<byte[]> lines = new ArrayList<>();
            for (int h = 0; h < HOSTS_PER_BATCH; h++) {
                // Every host once in the whole input: merging shrinks nothing.
                lines.add(("h" + b + "-" + h + " - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 200 1")
                        .getBytes(StandardCharsets.UTF_8));
            }
            results.add(backend.execute(pipeline.plan(), RecordBatch.of("in", lines)));
        }
        // An hour's interval: only the row bound (or the end of the input) can close one here.
        List<OutputBatch> out = Source.from(results)
                .via(Sinks.encoder(pipeline, new PipelineMetrics(), 1 << 20, Duration.ofHours(1)))
                .runWith(Sink.seq(), KIT.system())
                .toCompletableFuture().get(2, TimeUnit.MINUTES);
        long total = 0;
        for (OutputBatch o : out) {
            assertTrue(o.records().size() <= Sinks.MAX_HELD_ROWS + HOSTS_PER_BATCH, "an interval of " + o.records().size() + " records");
            total += o.records().size();
        }
        assertEquals((long) BATCHES * HOSTS_PER_BATCH, total);
        assertTrue(out.size() >= (long) BATCHES * HOSTS_PER_BATCH / (Sinks.MAX_HELD_ROWS + HOSTS_PER_BATCH), out.size() + " intervals");
    }
}
