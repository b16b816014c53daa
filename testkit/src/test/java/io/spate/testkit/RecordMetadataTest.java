package io.spate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import io.spate.Pipeline;
import io.spate.SpateSettings;
import io.spate.frame.ColumnType;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;
import io.spate.plan.Window;

/** Kafka record metadata (key, timestamp, partition, offset, topic, headers) as columns, and dead letters that keep key and headers. */
class RecordMetadataTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SpateSettings CPU = SpateSettings.create(
            ConfigFactory.parseString("spate.compute.backend = cpu").withFallback(ConfigFactory.load()));

    private static final Pipeline PAYMENTS = Pipeline.builder("payments")
            .source("payments")
            .format(new JsonFormat(List.of(new Field("amount", ColumnType.LONG))))
            .output("by-key", q -> q.groupBy("_key as account").sum("amount", "total"))
            .output("acme", q -> q.where("_header.tenant = acme").groupBy("_partition as p").count("n"))
            .output("per-minute", q -> q.groupBy("_key as account").count("n").running()
                    .window(Window.tumbling(Duration.ofMinutes(1))))
            .output("by-trace", q -> q.where("_offset >= 2").groupBy("_header.trace-id as trace", "_topic").count("n"))
            .build();

    @Test
    void shouldGroupFilterAndWindowOnKeysHeadersAndRecordTimestamps() throws Exception {
        try (PipelineTestDriver driver = new PipelineTestDriver(PAYMENTS, CPU)) {
            driver.input("payments").pipeRecords(List.of(
                    TestRecord.of("alice", "{\"amount\": 5}").withTimestamp(60_000).withHeader("tenant", "acme"),
                    TestRecord.of("bob", "{\"amount\": 7}").withTimestamp(61_000).withHeader("tenant", "other"),
                    TestRecord.of("alice", "{\"amount\": 11}").withTimestamp(125_000).withHeader("tenant", "acme")
                            .withHeader("trace-id", "t1"),
                    TestRecord.of(null, "{\"amount\": 1}").withTimestamp(126_000)));
            driver.input("payments").pipeRecords(3, List.of(
                    TestRecord.of("bob", "{\"amount\": 100}").withTimestamp(130_000).withHeader("tenant", "acme")));

            Map<String, Long> totals = new HashMap<>();
            for (KeyValue kv : driver.output("by-key").readKeyValues()) {
                JsonNode v = JSON.readTree(kv.value());
                totals.merge(v.get("account").asText(), v.get("total").asLong(), Long::sum);
            }
            assertEquals(Map.of("alice", 16L, "bob", 107L, "", 1L), totals, "grouped by the record key; no key is the empty string");

            Map<Long, Long> acme = new HashMap<>();
            for (KeyValue kv : driver.output("acme").readKeyValues()) {
                JsonNode v = JSON.readTree(kv.value());
                acme.merge(v.get("p").asLong(), v.get("n").asLong(), Long::sum);
            }
            assertEquals(Map.of(0L, 2L, 3L, 1L), acme, "filtered on a header, grouped by partition");

            Map<String, String> windows = driver.output("per-minute").readKeyValuesToMap();
            Map<String, Long> perMinute = new HashMap<>();
            for (String value : windows.values()) {
                JsonNode v = JSON.readTree(value);
                perMinute.put(v.get("window_start").asLong() + "/" + v.get("account").asText(), v.get("n").asLong());
            }
            assertEquals(Map.of("60000/alice", 1L, "60000/bob", 1L, "120000/alice", 1L, "120000/", 1L, "120000/bob", 1L), perMinute,
                    "windows without a column go by the record timestamp");

            Map<String, Long> traces = new HashMap<>();
            for (KeyValue kv : driver.output("by-trace").readKeyValues()) {
                JsonNode v = JSON.readTree(kv.value());
                traces.merge(v.get("trace").asText() + "@" + v.get("_topic").asText(), v.get("n").asLong(), Long::sum);
            }
            // Offsets 2 and 3 of partition 0, offset 0 of partition 3 is below 2.
            assertEquals(Map.of("t1@payments", 1L, "@payments", 1L), traces);
        }
    }

    @Test
    void shouldKeepKeyAndHeadersInDeadLetters() {
        try (PipelineTestDriver driver = new PipelineTestDriver(PAYMENTS, CPU)) {
            driver.input("payments").pipeRecords(List.of(
                    TestRecord.of("carol", "not json").withTimestamp(42_000).withHeader("tenant", "acme").withHeader("trace-id", "t9")));
            List<TestRecord> dead = driver.deadLetters();
            assertEquals(1, dead.size());
            TestRecord d = dead.get(0);
            assertEquals("carol", d.key());
            assertEquals("not json", d.value());
            assertEquals("acme", d.header("tenant"));
            assertEquals("t9", d.header("trace-id"));
            assertEquals("42000", d.header("spate.source.timestamp"));
            assertTrue(d.reason() != null && !d.reason().isBlank());
            assertEquals(List.of("tenant", "trace-id"), List.copyOf(d.headers().keySet()).subList(0, 2),
                    "the record's own headers come first, Spate's after");
        }
    }

    @Test
    void shouldCutADeadLetterTooLargeForTheDeadLetterTopicAndSaySo() {
        String hugeKey = "k".repeat(2 << 20);
        String hugeValue = "v".repeat(3 << 20);
        try (PipelineTestDriver driver = new PipelineTestDriver(PAYMENTS, CPU)) {
            driver.input("payments").pipeRecords(List.of(TestRecord.of(hugeKey, hugeValue).withHeader("tenant", "acme")));
            TestRecord d = driver.deadLetters().get(0);
            int limit = 1_048_588;
            assertTrue(d.key().length() + d.value().length() < limit, "fits Kafka's default record limit");
            assertTrue(hugeKey.startsWith(d.key()) && hugeValue.startsWith(d.value()) && !d.value().isEmpty());
            assertEquals("value,key", d.header("spate.error.truncated"));
            assertEquals(Integer.toString(3 << 20), d.header("spate.source.size"));
            assertEquals("acme", d.header("tenant"), "small headers are kept");
        }
    }

    @Test
    void shouldNameMetadataColumnsWhenAColumnIsUnknown() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pipeline.builder("p")
                .source("t")
                .format(new JsonFormat(List.of(new Field("amount", ColumnType.LONG))))
                .output("o", q -> q.groupBy("_kye").count("n"))
                .build());
        assertTrue(e.getMessage().contains("_kye") && e.getMessage().contains("_header.NAME"), e.getMessage());
    }
}
