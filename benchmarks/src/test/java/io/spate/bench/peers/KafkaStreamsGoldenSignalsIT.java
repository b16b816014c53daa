package io.spate.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.spate.broker.BrokerSettings;
import io.spate.broker.EmbeddedKafkaBroker;
import io.spate.it.GoldenTotals;
import io.spate.it.NasaLog;
import io.spate.testkit.KafkaTopics;

/** The Kafka Streams peer on the embedded broker, checked against golden-signal totals computed independently. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KafkaStreamsGoldenSignalsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    @Test
    void shouldEndWithTheGoldenTotalsAsLastValuesAndDeadLetterMalformedLines() throws Exception {
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
        KafkaStreamsGoldenSignals signals = KafkaStreamsGoldenSignals.create("weblogs", "ks-");

        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(BrokerSettings.create().withPort(0)).start()) {
            String bootstrap = broker.bootstrapServers();
            broker.createTopic(signals.topics().input(), 3);
            for (String topic : signals.topics().outputs()) {
                broker.createTopic(topic, 3);
            }
            KafkaTopics.produce(bootstrap, signals.topics().input(), input);

            PeerRun run = KafkaStreamsRunner.runToEnd(signals,
                    KafkaStreamsGoldenSignals.properties(bootstrap, "ks-golden-signals-it", stateDir), Duration.ofMinutes(2));
            System.out.printf("Kafka Streams golden signals: %,d records (%,d bytes) in %.2f s, %,.0f records/s%n",
                    run.records(), run.bytes(), run.seconds(), run.recordsPerSecond());

            assertTrue(run.clean(), "ended cleanly");
            assertEquals(input.size(), run.records());
            assertEquals(input.stream().mapToLong(v -> v.length).sum(), run.bytes());
            assertEquals(bad.size(), signals.counts().malformedLines());

            GoldenTotals expected = GoldenTotals.ofLines(input);
            assertEquals(input.size() - bad.size(), expected.totalRequests(), "every good line matches the independent regex");
            assertFalse(expected.errors.isEmpty());
            assertEquals(expected.requests, lastValues(KafkaTopics.readAll(bootstrap, signals.topics().traffic()), "requests"));
            assertEquals(expected.bytes, lastValues(KafkaTopics.readAll(bootstrap, signals.topics().mbSent()), "bytes"));
            assertEquals(expected.errors, lastErrors(KafkaTopics.readAll(bootstrap, signals.topics().errors())));

            List<ConsumerRecord<byte[], byte[]>> dlq = KafkaTopics.readAll(bootstrap, signals.topics().deadLetter());
            assertEquals(bad.size(), dlq.size());
            for (byte[] b : bad) {
                assertTrue(dlq.stream().anyMatch(r -> Arrays.equals(r.value(), b)), "dead-lettered as it came");
            }
        }
    }

    /** The last {@code field} of each host: Kafka Streams' output is an upsert changelog, unlike Spate's partial sums. */
    private static Map<String, Long> lastValues(List<ConsumerRecord<byte[], byte[]>> records, String field) throws IOException {
        Map<String, Long> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            // Jackson rejects invalid UTF-8, so reading the value checks the encoding too.
            JsonNode value = JSON.readTree(r.value());
            String host = value.get("host").asText();
            assertEquals(host, new String(r.key(), StandardCharsets.UTF_8), "keyed by its host");
            last.put(host, value.get(field).asLong());
        }
        return last;
    }

    /** The last count of each host and status, as "host\tstatus" like {@link GoldenTotals#errors}. */
    private static Map<String, Long> lastErrors(List<ConsumerRecord<byte[], byte[]>> records) throws IOException {
        Map<String, Long> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode value = JSON.readTree(r.value());
            JsonNode key = JSON.readTree(r.key());
            assertEquals(key.get("host"), value.get("host"), "keyed by its host");
            assertEquals(key.get("response"), value.get("response"), "keyed by its status");
            last.put(value.get("host").asText() + "\t" + value.get("response").asInt(), value.get("errors").asLong());
        }
        return last;
    }
}
