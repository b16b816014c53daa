package io.spate.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.spate.broker.BrokerSettings;
import io.spate.broker.EmbeddedKafkaBroker;
import io.spate.it.GoldenTotals;
import io.spate.it.NasaLog;
import io.spate.testkit.KafkaTopics;

/** The hand-written Pekko Streams peer on the embedded broker, checked against golden-signal totals computed independently. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PekkoGoldenSignalsIT {

    @Test
    void shouldSumToTheGoldenTotalsKeyedAsSpateAndDeadLetterMalformedLines() throws Exception {
        List<byte[]> bad = List.of(
                "not a log line".getBytes(StandardCharsets.US_ASCII),
                "host - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" abc 12".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe});
        List<byte[]> input = new ArrayList<>(NasaLog.lines());
        // 5xx lines whatever the data (the bundled sample has none), one from a Latin-1 host.
        input.add("errhost.example - - [01/Jul/1995:00:00:02 -0400] \"GET /a HTTP/1.0\" 503 -".getBytes(StandardCharsets.US_ASCII));
        input.add("caf\u00e9.example - - [01/Jul/1995:00:00:03 -0400] \"GET /b HTTP/1.0\" 500 17".getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < bad.size(); i++) {
            input.add((i + 1) * input.size() / (bad.size() + 1), bad.get(i));
        }
        // Batches well under the input, so that totals are sums over many batches.
        PekkoGoldenSignals signals = PekkoGoldenSignals.create("weblogs", "pk-", 5_000);

        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(BrokerSettings.create().withPort(0)).start()) {
            String bootstrap = broker.bootstrapServers();
            broker.createTopic(signals.topics().input(), 3);
            for (String topic : signals.topics().outputs()) {
                broker.createTopic(topic, 3);
            }
            KafkaTopics.produce(bootstrap, signals.topics().input(), input);

            PeerRun run = PekkoStreamsRunner.runToEnd(bootstrap, signals.topics().input(), "pk-", "pk-golden-signals-it", 5_000);
            System.out.printf("Pekko Streams golden signals: %,d records (%,d bytes) in %.2f s, %,.0f records/s%n",
                    run.records(), run.bytes(), run.seconds(), run.recordsPerSecond());

            assertTrue(run.clean(), "drained cleanly");
            assertEquals(input.size(), run.records());
            assertEquals(input.stream().mapToLong(v -> v.length).sum(), run.bytes(), "every record read once");

            GoldenTotals expected = GoldenTotals.ofLines(input);
            assertEquals(input.size() - bad.size(), expected.totalRequests(), "every good line matches the independent regex");
            assertFalse(expected.errors.isEmpty());
            // Summed as Spate's per-batch records are, with every record keyed as Spate keys it.
            GoldenTotals actual = GoldenTotals.ofOutputs(KafkaTopics.readAll(bootstrap, signals.topics().traffic()),
                    KafkaTopics.readAll(bootstrap, signals.topics().errors()), KafkaTopics.readAll(bootstrap, signals.topics().mbSent()));
            assertEquals(expected.requests, actual.requests);
            assertEquals(expected.bytes, actual.bytes);
            assertEquals(expected.errors, actual.errors);
            assertTrue(KafkaTopics.readAll(bootstrap, signals.topics().traffic()).size() > expected.requests.size(),
                    "a host's requests are spread over several batches' records");

            List<ConsumerRecord<byte[], byte[]>> dlq = KafkaTopics.readAll(bootstrap, signals.topics().deadLetter());
            assertEquals(bad.size(), dlq.size());
            for (byte[] b : bad) {
                assertTrue(dlq.stream().anyMatch(r -> Arrays.equals(r.value(), b)), "dead-lettered as it came");
            }
        }
    }
}
