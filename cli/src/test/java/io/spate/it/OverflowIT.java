package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

import io.spate.cli.SpateCli;
import io.spate.internal.sink.ResultEncoder;
import io.spate.testkit.KafkaTopics;

/**
 * {@code spate run --until-idle} over CLF lines whose bytes would overflow a long sum, and a record
 * of several lines: the output holds the exact sums, never wrapped values, and the dead-letter topic
 * the records refused, with their reasons.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class OverflowIT extends EmbeddedBrokerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String clf(String host, long bytes) {
        return host + " - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 200 " + bytes;
    }

    @Test
    void shouldDeadLetterTheRecordThatWouldOverflowTheSumAndTheRecordOfSeveralLines(@TempDir Path dir) throws Exception {
        createTopic("clf-in", 1);
        List<String> lines = List.of(clf("a.com", Long.MAX_VALUE), clf("a.com", Long.MAX_VALUE), clf("b.com", 5),
                (clf("c.com", 1) + "\n").repeat(999) + clf("c.com", 1));
        List<byte[]> records = new ArrayList<>();
        for (String l : lines) {
            records.add(l.getBytes(StandardCharsets.US_ASCII));
        }
        String bs = broker.bootstrapServers();
        KafkaTopics.produce(bs, "clf-in", records);
        // Running totals, so that the second a.com line overflows the sum whichever batch it lands in.
        Path config = Files.writeString(dir.resolve("overflow.conf"), """
                spate.pipelines = [{
                  name = overflow, source { topics = [clf-in], group-id = spate-overflow }, format { type = clf }
                  outputs = [{ topic = mb-total, group-by = [host], aggregates = ["count as requests", "sum(bytes) as bytes"], running = true }]
                }]
                """);

        assertEquals(0, SpateCli.execute("run", "--config", config.toString(), "--bootstrap", bs, "--until-idle"));

        Map<String, JsonNode> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(bs, "mb-total")) {
            JsonNode value = JSON.readTree(r.value());
            last.put(value.get("host").asText(), value);
        }
        assertEquals(Map.of("a.com", Long.MAX_VALUE, "b.com", 5L), Map.of("a.com", last.get("a.com").get("bytes").asLong(),
                "b.com", last.get("b.com").get("bytes").asLong()));
        assertTrue(last.get("a.com").get("bytes").isIntegralNumber() && last.get("a.com").get("bytes").canConvertToLong(), "written exactly");
        assertEquals(1, last.get("a.com").get("requests").asLong(), "the refused line counts nowhere");
        assertEquals(2, last.size(), "the record of 1,000 lines is no request of c.com");

        List<ConsumerRecord<byte[], byte[]>> dlq = KafkaTopics.readAll(bs, "clf-in.dlq");
        assertEquals(2, dlq.size());
        Map<Long, String> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
            String offset = new String(r.headers().lastHeader(ResultEncoder.OFFSET_HEADER).value(), StandardCharsets.US_ASCII);
            reasons.put(Long.parseLong(offset), new String(r.headers().lastHeader(ResultEncoder.REASON_HEADER).value(), StandardCharsets.UTF_8));
        }
        assertEquals(Map.of(1L, "overflow: sum(bytes) of the record's group in mb-total exceeds the long range",
                3L, "clf: record holds more than one line"), reasons);
    }
}
