package io.spate.internal.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.SpateSettings;
import io.spate.frame.LongColumn;
import io.spate.javadsl.SpateStreams;
import io.spate.plan.ClfFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;

class ComputeFlowTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final String LINE = "host1 - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 200 100";
    private static final Plan PLAN = Plan.of(new ClfFormat(), Query.builder("traffic").groupBy("host").count("requests").build());

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private static RecordBatch batch() {
        return RecordBatch.of("weblogs", List.of(LINE.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void shouldKeepAtMostInFlightBatchesAtTheComputeActor() {
        SpateSettings settings = SpateSettings.create(ConfigFactory.load()).withInFlight(2);
        TestProbe<ComputeActor.Command> actor = KIT.createTestProbe();
        TestSubscriber.Probe<BatchResult> out = Source.from(java.util.Collections.nCopies(5, batch()))
                .via(ComputeFlow.flow(PLAN, actor.ref(), settings))
                .runWith(TestSink.probe(KIT.system().classicSystem()), KIT.system());
        out.request(5);
        ComputeActor.Execute first = actor.expectMessageClass(ComputeActor.Execute.class);
        actor.expectMessageClass(ComputeActor.Execute.class);
        actor.expectNoMessage(Duration.ofMillis(300));
        first.replyTo().tell(StatusReply.success(new BatchResult(first.batch(), List.of(), new int[0], new String[0], "test")));
        out.expectNext();
        actor.expectMessageClass(ComputeActor.Execute.class);
    }

    @Test
    void shouldRunThePlanOnTheComputeActorsBackend() {
        SpateSettings settings = SpateSettings.create(ConfigFactory.load());
        var actor = SpateStreams.spawnComputeActor(KIT.system(), "test", settings);
        BatchResult result = Source.single(batch())
                .via(SpateStreams.compute(PLAN, actor, settings))
                .runWith(TestSink.probe(KIT.system().classicSystem()), KIT.system())
                .request(1).expectNext(Duration.ofSeconds(10));
        assertEquals("cpu", result.backend());
        assertEquals(1L, ((LongColumn) result.frames().get(0).column("requests")).get(0));
        actor.stop();
    }
}
