package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.spate.internal.sink.ResultEncoder;
import io.spate.internal.node.Node;
import io.spate.internal.config.NodeConfig;
import io.spate.testkit.KafkaTopics;
import io.spate.testkit.SampleData;

/**
 * Golden signals per hour of log time ({@code config/golden-signals-hourly.conf}), exactly-once,
 * stopped and restarted half way, with lines from a day before mixed in: the last value of every
 * (hour, host) in the compacted outputs equals a model computed record by record from the input as
 * each partition holds it, and every late line is in the dead-letter topic with the reason
 * {@code late}, once per output it missed.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WindowedGoldenSignalsIT extends EmbeddedBrokerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CLF = Pattern.compile("^(\\S+) \\S+ \\S+ \\[([^\\]]+)\\] \".*\" (\\d+) (\\S+)$");
    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final long HOUR = 3_600_000L;
    private static final long OUT_OF_ORDERNESS = 600_000L;

    @Test
    void shouldEndWithTheSameHourlyTotalsAcrossARestartAndDeadLetterLateLines() throws Exception {
        List<byte[]> log = SampleData.nasaLog();
        List<byte[]> late = List.of(
                "early.example.com - - [30/Jun/1995:10:15:00 -0400] \"GET /a HTTP/1.0\" 200 100".getBytes(StandardCharsets.US_ASCII),
                "early.example.com - - [30/Jun/1995:11:15:00 -0400] \"GET /b HTTP/1.0\" 503 0".getBytes(StandardCharsets.US_ASCII));
        createTopic("weblogs", 3);
        int half = log.size() / 2;
        List<String> sets = List.of("spate.delivery=exactly-once", "spate.node-id=hourly", "spate.batch.max-records=2500");
        for (List<byte[]> part : List.of(log.subList(0, half), log.subList(half, log.size()))) {
            List<byte[]> input = new ArrayList<>(part);
            input.addAll(late);
            KafkaTopics.produce(broker.bootstrapServers(), "weblogs", input);
            Node node = new Node(NodeConfig.load(new File("../config/golden-signals-hourly.conf"), broker.bootstrapServers(), sets));
            node.start();
            assertEquals(0, node.awaitAndStop(true));
        }

        Model model = new Model(KafkaTopics.readAll(broker.bootstrapServers(), "weblogs"));
        String bs = broker.bootstrapServers();
        Map<String, Integer> lateByOutput = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(bs, "weblogs.dlq")) {
            Header reason = r.headers().lastHeader(ResultEncoder.REASON_HEADER);
            if (reason != null && new String(reason.value(), StandardCharsets.UTF_8).equals(ResultEncoder.LATE)) {
                assertTrue(new String(r.value(), StandardCharsets.US_ASCII).startsWith("early.example.com"), "only the old lines are late: "
                        + new String(r.value(), StandardCharsets.US_ASCII) + " partition " + new String(r.headers().lastHeader(ResultEncoder.PARTITION_HEADER).value(), StandardCharsets.US_ASCII) + " offset " + new String(r.headers().lastHeader(ResultEncoder.OFFSET_HEADER).value(), StandardCharsets.US_ASCII));
                lateByOutput.merge(new String(r.headers().lastHeader(ResultEncoder.OUTPUT_HEADER).value(), StandardCharsets.UTF_8), 1, Integer::sum);
            }
        }
        assertEquals(model.late, lateByOutput, "each late line once per output it missed");
        assertSame(model.requests, last(KafkaTopics.readAll(bs, "traffic-hourly"), "requests", "host"), "requests per host and hour");
        assertSame(model.errors, last(KafkaTopics.readAll(bs, "errors-hourly"), "errors", "host", "response"), "5xx per host, status and hour");
        assertSame(model.bytes, last(KafkaTopics.readAll(bs, "mb-sent-hourly"), "bytes", "host"), "bytes per host and hour");

        assertTrue(model.late.get("traffic-hourly") >= 2, "the old lines were late: " + model.late);
    }

    /** Equal maps, or a failure listing the first differences. */
    private static void assertSame(Map<List<Object>, Long> expected, Map<List<Object>, Long> actual, String what) {
        List<String> differences = new ArrayList<>();
        Set<List<Object>> keys = new HashSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (List<Object> k : keys) {
            if (!Objects.equals(expected.get(k), actual.get(k))) {
                differences.add(k + ": expected " + expected.get(k) + ", output " + actual.get(k));
            }
        }
        assertTrue(differences.isEmpty(), what + ": " + differences.size() + " of " + expected.size() + " groups differ, e.g. "
                + differences.subList(0, Math.min(10, differences.size())));
    }

    /** The last value per (window_start, window_end, keys...) of an upsert output. */
    private static Map<List<Object>, Long> last(List<ConsumerRecord<byte[], byte[]>> records, String value, String... keys) throws Exception {
        Map<List<Object>, Long> out = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode v = JSON.readTree(r.value());
            List<Object> key = new ArrayList<>(List.of(v.get("window_start").asLong(), v.get("window_end").asLong()));
            for (String k : keys) {
                key.add(v.get(k).isNumber() ? (Object) v.get(k).asLong() : v.get(k).asText());
            }
            out.put(key, v.get(value).asLong());
        }
        return out;
    }

    /** Hourly windows computed line by line in each partition's order, with the config's 10-minute out-of-orderness. */
    private static final class Model {
        final Map<List<Object>, Long> requests = new HashMap<>();
        final Map<List<Object>, Long> errors = new HashMap<>();
        final Map<List<Object>, Long> bytes = new HashMap<>();
        final Map<String, Integer> late = new HashMap<>();

        Model(List<ConsumerRecord<byte[], byte[]>> input) {
            List<ConsumerRecord<byte[], byte[]>> ordered = new ArrayList<>(input);
            ordered.sort(Comparator.comparingInt((ConsumerRecord<byte[], byte[]> r) -> r.partition()).thenComparingLong(ConsumerRecord::offset));
            Map<Integer, Long> max = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : ordered) {
                Matcher m = CLF.matcher(new String(r.value(), StandardCharsets.ISO_8859_1));
                if (!m.matches()) {
                    continue;
                }
                long t = OffsetDateTime.parse(m.group(2), CLF_TIME).toInstant().toEpochMilli();
                long status = Long.parseLong(m.group(3));
                long sent = m.group(4).equals("-") ? 0 : Long.parseLong(m.group(4));
                Long seen = max.get(r.partition());
                long watermark = seen == null ? Long.MIN_VALUE : seen - OUT_OF_ORDERNESS - 1;
                long start = Math.floorDiv(t, HOUR) * HOUR;
                String host = m.group(1);
                if (start + HOUR - 1 > watermark) {
                    requests.merge(List.of(start, start + HOUR, host), 1L, Long::sum);
                    bytes.merge(List.of(start, start + HOUR, host), sent, Long::sum);
                    if (status >= 500) {
                        errors.merge(List.of(start, start + HOUR, host, status), 1L, Long::sum);
                    }
                } else {
                    late.merge("traffic-hourly", 1, Integer::sum);
                    late.merge("mb-sent-hourly", 1, Integer::sum);
                    if (status >= 500) {
                        late.merge("errors-hourly", 1, Integer::sum);
                    }
                }
                max.put(r.partition(), Math.max(seen == null ? Long.MIN_VALUE : seen, t));
            }
        }
    }
}
