package io.spate.internal.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.spate.BatchSettings;
import io.spate.RecordBatch;
import io.spate.javadsl.SpateStreams;

class BatcherStageTest {

    private static final Duration LONG = Duration.ofHours(1);
    private static ActorSystem system;

    @BeforeAll
    static void start() {
        system = ActorSystem.create("batcher-test");
    }

    @AfterAll
    static void stop() {
        TestKit.shutdownActorSystem(system);
    }

    private static Pair<TestPublisher.Probe<byte[]>, TestSubscriber.Probe<RecordBatch>> run(BatchSettings settings) {
        return TestSource.<byte[]>probe(system)
                .via(SpateStreams.bytesBatcher(settings, "t"))
                .toMat(TestSink.probe(system), Keep.both())
                // Buffers of one element, so every pull of the stage shows as one request upstream.
                .withAttributes(Attributes.inputBuffer(1, 1))
                .run(system);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> values(RecordBatch b) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < b.count(); i++) {
            out.add(new String(b.value(i), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void shouldCloseABatchAtMaxRecords() {
        var probes = run(BatchSettings.of(3, 1 << 20, LONG));
        var in = probes.first();
        var out = probes.second();
        out.request(10);
        for (int i = 0; i < 7; i++) {
            in.sendNext(bytes("r" + i));
        }
        assertEquals(List.of("r0", "r1", "r2"), values(out.expectNext()));
        assertEquals(List.of("r3", "r4", "r5"), values(out.expectNext()));
        in.sendComplete();
        RecordBatch last = out.expectNext();
        assertEquals(List.of("r6"), values(last));
        assertEquals(6, last.offset(0));
        out.expectComplete();
    }

    @Test
    void shouldCloseABatchBeforeItWouldExceedMaxBytes() {
        var probes = run(BatchSettings.of(1000, 10, LONG));
        var in = probes.first();
        var out = probes.second();
        out.request(10);
        in.sendNext(bytes("aaaa")).sendNext(bytes("bbbb")).sendNext(bytes("cccc"));
        RecordBatch first = out.expectNext();
        assertEquals(List.of("aaaa", "bbbb"), values(first));
        assertEquals(8, first.byteSize());
        in.sendComplete();
        assertEquals(List.of("cccc"), values(out.expectNext()));
        out.expectComplete();
    }

    @Test
    void shouldGiveARecordLargerThanMaxBytesABatchOfItsOwn() {
        var probes = run(BatchSettings.of(1000, 10, LONG));
        var in = probes.first();
        var out = probes.second();
        out.request(10);
        in.sendNext(bytes("ab")).sendNext(bytes("0123456789abcdef")).sendNext(bytes("cd"));
        assertEquals(List.of("ab"), values(out.expectNext()));
        assertEquals(List.of("0123456789abcdef"), values(out.expectNext()));
        in.sendComplete();
        assertEquals(List.of("cd"), values(out.expectNext()));
        out.expectComplete();
    }

    @Test
    void shouldCloseABatchAtMaxLatency() {
        var probes = run(BatchSettings.of(1000, 1 << 20, Duration.ofMillis(100)));
        var in = probes.first();
        var out = probes.second();
        out.request(10);
        in.sendNext(bytes("x")).sendNext(bytes("y"));
        RecordBatch batch = out.expectNext(Duration.ofSeconds(3));
        assertEquals(List.of("x", "y"), values(batch));
        // No further records: no empty batches either.
        out.expectNoMessage(Duration.ofMillis(300));
        in.sendNext(bytes("z"));
        assertEquals(List.of("z"), values(out.expectNext(Duration.ofSeconds(3))));
    }

    @Test
    void shouldStopPullingOnceABatchWaitsForDemand() {
        var probes = run(BatchSettings.of(2, 1 << 20, LONG));
        var in = probes.first();
        var out = probes.second();
        // No demand downstream: the stage reads ahead one batch, then backpressures. The stream's
        // input boundary holds one more element (c), and then nothing more is asked for.
        in.sendNext(bytes("a")).sendNext(bytes("b")).sendNext(bytes("c"));
        in.expectNoMessage(Duration.ofMillis(300));
        out.ensureSubscription();
        out.expectNoMessage(Duration.ofMillis(100));
        out.request(1);
        assertEquals(List.of("a", "b"), values(out.expectNext()));
        // Demand again: the stage takes c and the boundary asks upstream for more.
        in.expectRequest();
    }

    @Test
    void shouldEmitTheOpenBatchWhenUpstreamCompletes() {
        var probes = run(BatchSettings.of(100, 1 << 20, LONG));
        var in = probes.first();
        var out = probes.second();
        in.sendNext(bytes("only"));
        in.sendComplete();
        out.request(1);
        assertEquals(List.of("only"), values(out.expectNext()));
        out.expectComplete();
    }

    @Test
    void shouldCompleteWithoutABatchWhenNothingArrived() {
        var probes = run(BatchSettings.of(100, 1 << 20, LONG));
        probes.first().sendComplete();
        probes.second().request(1);
        probes.second().expectComplete();
    }

    @Test
    void shouldNumberBatchesInOrder() {
        var probes = run(BatchSettings.of(1, 1 << 20, LONG));
        var in = probes.first();
        var out = probes.second();
        out.request(3);
        in.sendNext(bytes("a")).sendNext(bytes("b")).sendNext(bytes("c"));
        assertEquals(0, out.expectNext().sequence());
        assertEquals(1, out.expectNext().sequence());
        assertEquals(2, out.expectNext().sequence());
    }
}
