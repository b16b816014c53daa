package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.ConfigFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.spate.BatchSettings;
import io.spate.Pipeline;
import io.spate.RunningPipeline;
import io.spate.SpateSettings;
import io.spate.internal.sink.ResultEncoder;
import io.spate.internal.node.IdleWatcher;
import io.spate.javadsl.Spate;
import io.spate.plan.ClfFormat;
import io.spate.testkit.KafkaTopics;

/**
 * 100,000 malformed records of every kind mixed into real log lines: every bad one lands in the
 * dead-letter topic with a reason, every good one is counted, and the stream never restarts.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BadInputIT extends EmbeddedBrokerTest {

    private static final int BAD = 100_000;

    @Test
    void shouldDeadLetterEveryBadRecordAndCountEveryGoodOne() throws Exception {
        List<byte[]> good = NasaLog.lines();
        Random random = new Random(1);
        List<byte[]> input = new ArrayList<>(good.size() + BAD);
        int g = 0;
        for (int b = 0; b < BAD; b++) {
            input.add(bad(random, good.get(random.nextInt(good.size())), b));
            for (int k = 0; k < 2 && g < good.size(); k++) {
                input.add(good.get(g++));
            }
        }
        input.addAll(good.subList(g, good.size()));
        createTopic("weblogs-bad", 3);
        KafkaTopics.produce(broker.bootstrapServers(), "weblogs-bad", input);

        Pipeline pipeline = Pipeline.builder("bad-input")
                .source("weblogs-bad")
                .format(new ClfFormat())
                .output("traffic-bad", q -> q.groupBy("host").count("requests"))
                .output("errors-bad", q -> q.where("status >= 500").groupBy("host", "status as response").count("errors"))
                .output("mb-sent-bad", q -> q.groupBy("host").sum("bytes", "bytes"))
                .batch(BatchSettings.of(20_000, 8 << 20, Duration.ofMillis(100)))
                .build();
        SpateSettings settings = SpateSettings.create(ConfigFactory.load()).withBootstrapServers(broker.bootstrapServers());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bad-input");
        try {
            RunningPipeline running = Spate.run(pipeline, settings, system);
            try (IdleWatcher idle = new IdleWatcher(settings, pipeline)) {
                idle.idle().toCompletableFuture().get(4, TimeUnit.MINUTES);
            }
            assertFalse(running.completion().toCompletableFuture().isDone(), "the stream never stopped for bad input");
            running.stop().toCompletableFuture().get(1, TimeUnit.MINUTES);
            assertEquals(input.size(), running.metrics().records());
            assertEquals(BAD, running.metrics().rejected());
        } finally {
            system.terminate();
        }

        String bs = broker.bootstrapServers();
        GoldenTotals expected = GoldenTotals.ofLines(good);
        GoldenTotals actual = GoldenTotals.ofOutputs(KafkaTopics.readAll(bs, "traffic-bad"), KafkaTopics.readAll(bs, "errors-bad"),
                KafkaTopics.readAll(bs, "mb-sent-bad"));
        assertEquals(expected.requests, actual.requests);
        assertEquals(expected.bytes, actual.bytes);
        assertEquals(expected.errors, actual.errors);
        List<ConsumerRecord<byte[], byte[]>> dlq = KafkaTopics.readAll(bs, "weblogs-bad.dlq");
        assertEquals(BAD, dlq.size(), "every bad record dead-lettered once");
        Set<String> sources = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
            String reason = new String(r.headers().lastHeader(ResultEncoder.REASON_HEADER).value(), StandardCharsets.UTF_8);
            assertFalse(reason.isBlank());
            sources.add(new String(r.headers().lastHeader(ResultEncoder.PARTITION_HEADER).value(), StandardCharsets.US_ASCII) + "/"
                    + new String(r.headers().lastHeader(ResultEncoder.OFFSET_HEADER).value(), StandardCharsets.US_ASCII));
        }
        assertEquals(BAD, sources.size(), "each dead letter names its own source record");
    }

    /** One malformed record of kind {@code i % 7}, derived from a real line where that makes it harder to spot. */
    private static byte[] bad(Random random, byte[] line, int i) {
        String text = new String(line, StandardCharsets.ISO_8859_1);
        switch (i % 7) {
            case 0: {
                byte[] garbage = new byte[1 + random.nextInt(200)];
                random.nextBytes(garbage);
                garbage[0] = 0;
                return garbage;
            }
            case 1:
                // Invalid UTF-8 where the status should be.
                return (text.substring(0, text.lastIndexOf('"') + 2) + "\u00ff\u00fe 12").getBytes(StandardCharsets.ISO_8859_1);
            case 2:
                // Truncated inside the request.
                return text.substring(0, Math.max(1, text.indexOf('"') + 3)).getBytes(StandardCharsets.ISO_8859_1);
            case 3:
                // Wrong field count: the bytes field is gone.
                return text.substring(0, text.lastIndexOf(' ')).getBytes(StandardCharsets.ISO_8859_1);
            case 4:
                // A bytes count that does not fit a long.
                return (text.substring(0, text.lastIndexOf(' ') + 1) + "99999999999999999999999").getBytes(StandardCharsets.ISO_8859_1);
            case 5: {
                if (i % 7_000 == 5) {
                    // Now and then a huge line: a 200 KB host name and nothing else.
                    byte[] huge = new byte[200_000];
                    Arrays.fill(huge, (byte) 'x');
                    return huge;
                }
                // Tabs where the format has spaces.
                return text.replace(' ', '\t').getBytes(StandardCharsets.ISO_8859_1);
            }
            default:
                return new byte[0];
        }
    }
}
