package io.spate.internal.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.frame.LongColumn;
import io.spate.internal.cpu.CpuBackend;
import io.spate.plan.ClfFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.spi.ComputeBackend;

class ComputeActorTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final Plan PLAN = Plan.of(new ClfFormat(), Query.builder("traffic").groupBy("host").count("requests").build());

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    /** The CPU backend, noting every prepare and execute; the first execute waits until {@code go} opens. */
    private static final class Recording implements ComputeBackend {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch go = new CountDownLatch(1);
        private final CpuBackend cpu = new CpuBackend();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void prepare(Plan plan, RecordBatch batch) {
            calls.add("prepare " + batch.sequence());
        }

        @Override
        public BatchResult execute(Plan plan, RecordBatch batch) {
            calls.add("execute " + batch.sequence());
            try {
                assertTrue(go.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return cpu.execute(plan, batch);
        }
    }

    private static RecordBatch batch(int sequence) {
        io.spate.RecordBatchBuilder b = RecordBatch.builder(64, sequence + 1);
        for (int i = 0; i <= sequence; i++) {
            byte[] line = ("host" + sequence + " - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 200 100").getBytes(StandardCharsets.US_ASCII);
            b.append(line, 0, line.length, "weblogs", 0, i);
        }
        return b.build(io.spate.SourceOffsets.NONE, sequence);
    }

    @Test
    void shouldPrepareTheQueuedBatchBeforeRunningTheOneAheadAndKeepTheOrder() {
        Recording backend = new Recording();
        ActorRef<ComputeActor.Command> actor = KIT.spawn(ComputeActor.create(() -> backend));
        TestProbe<StatusReply<BatchResult>> replies = KIT.createTestProbe();
        int n = 5;
        for (int i = 0; i < n; i++) {
            actor.tell(new ComputeActor.Execute(PLAN, batch(i), replies.ref()));
        }
        backend.go.countDown();
        for (int i = 0; i < n; i++) {
            BatchResult r = replies.receiveMessage(Duration.ofSeconds(10)).getValue();
            assertEquals(i, r.batch().sequence());
            assertEquals(i + 1L, ((LongColumn) r.frames().get(0).column("requests")).get(0));
        }
        List<String> calls = List.copyOf(backend.calls);
        // Batch 0 may run before the others arrive; from then on every batch is queued behind one.
        for (int i = 1; i < n; i++) {
            int execute = calls.indexOf("execute " + i);
            int prepare = calls.indexOf("prepare " + i);
            assertTrue(execute >= 0, calls::toString);
            assertEquals(calls.lastIndexOf("execute " + i), execute, calls::toString);
            if (i >= 2) {
                assertTrue(prepare >= 0 && prepare < calls.indexOf("execute " + (i - 1)), calls::toString);
            }
            assertTrue(prepare < execute, calls::toString);
            assertEquals(calls.lastIndexOf("prepare " + i), prepare, calls::toString);
        }
        KIT.stop(actor);
    }

    @Test
    void shouldRunQueuedBatchesBeforeStopping() {
        Recording backend = new Recording();
        backend.go.countDown();
        ActorRef<ComputeActor.Command> actor = KIT.spawn(ComputeActor.create(() -> backend));
        TestProbe<StatusReply<BatchResult>> replies = KIT.createTestProbe();
        actor.tell(new ComputeActor.Execute(PLAN, batch(0), replies.ref()));
        actor.tell(new ComputeActor.Execute(PLAN, batch(1), replies.ref()));
        actor.tell(ComputeActor.Stop.INSTANCE);
        assertEquals(0, replies.receiveMessage(Duration.ofSeconds(10)).getValue().batch().sequence());
        assertEquals(1, replies.receiveMessage(Duration.ofSeconds(10)).getValue().batch().sequence());
    }
}
