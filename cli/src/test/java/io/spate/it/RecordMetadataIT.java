package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.spate.Pipeline;
import io.spate.SpateSettings;
import io.spate.frame.ColumnType;
import io.spate.internal.sink.ResultEncoder;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;
import io.spate.plan.Window;
import io.spate.testkit.KafkaTopics;

/**
 * Kafka record metadata through a real broker: keys, CreateTime timestamps, partitions and headers
 * as columns (group by the key, filter on a header, window by the record timestamp), checked
 * against totals computed here from what was produced; dead letters keep their key and headers.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RecordMetadataIT extends EmbeddedBrokerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECORDS = 20_000;
    private static final long START = 1_700_000_000_000L;

    @Test
    void shouldGroupByKeyFilterOnHeadersAndWindowByRecordTimestamp() throws Exception {
        createTopic("payments", 4);
        Random random = new Random(7);
        List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
        Map<String, Long> byAccount = new HashMap<>();
        Map<Integer, Long> acmePerPartition = new HashMap<>();
        Map<String, Long> perMinute = new HashMap<>();
        for (int i = 0; i < RECORDS; i++) {
            String account = "acct-" + random.nextInt(50);
            long amount = random.nextInt(1000);
            int partition = random.nextInt(4);
            // In order per partition (so that no record is late), spread over about 10 minutes.
            long timestamp = START + i * 30L;
            boolean acme = random.nextInt(3) == 0;
            RecordHeaders headers = new RecordHeaders();
            headers.add("tenant", (acme ? "acme" : "other").getBytes(StandardCharsets.UTF_8));
            input.add(new ProducerRecord<>("payments", partition, timestamp, account.getBytes(StandardCharsets.UTF_8),
                    ("{\"amount\": " + amount + "}").getBytes(StandardCharsets.UTF_8), headers));
            byAccount.merge(account, amount, Long::sum);
            if (acme) {
                acmePerPartition.merge(partition, 1L, Long::sum);
            }
            perMinute.merge((timestamp - timestamp % 60_000) + "/" + account, 1L, Long::sum);
        }
        RecordHeaders badHeaders = new RecordHeaders();
        badHeaders.add("tenant", "acme".getBytes(StandardCharsets.UTF_8));
        badHeaders.add("trace-id", new byte[] {1, 2, 3});
        input.add(new ProducerRecord<>("payments", 2, START, "acct-bad".getBytes(StandardCharsets.UTF_8),
                "{\"amount\": ".getBytes(StandardCharsets.UTF_8), badHeaders));
        KafkaTopics.produceRecords(broker.bootstrapServers(), input);

        Pipeline pipeline = Pipeline.builder("metadata")
                .source("payments")
                .format(new JsonFormat(List.of(new Field("amount", ColumnType.LONG))))
                .output("payments-by-account", q -> q.groupBy("_key as account").sum("amount", "total").running())
                .output("payments-acme", q -> q.where("_header.tenant = acme").groupBy("_partition as p").count("n").running())
                .output("payments-per-minute", q -> q.groupBy("_key as account").count("n").running()
                        .window(Window.tumbling(Duration.ofMinutes(1))))
                .build();
        SpateSettings settings = SpateSettings.create(ConfigFactory.load()).withBootstrapServers(broker.bootstrapServers());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "metadata");
        try {
            runUntilIdle(pipeline, settings, system);
        } finally {
            system.terminate();
        }

        String bs = broker.bootstrapServers();
        Map<String, Long> totals = new HashMap<>();
        for (JsonNode v : lastValues(bs, "payments-by-account").values()) {
            totals.put(v.get("account").asText(), v.get("total").asLong());
        }
        assertEquals(byAccount, totals);
        Map<Integer, Long> acme = new HashMap<>();
        for (JsonNode v : lastValues(bs, "payments-acme").values()) {
            acme.put(v.get("p").asInt(), v.get("n").asLong());
        }
        assertEquals(acmePerPartition, acme);
        Map<String, Long> windows = new HashMap<>();
        for (JsonNode v : lastValues(bs, "payments-per-minute").values()) {
            windows.put(v.get("window_start").asLong() + "/" + v.get("account").asText(), v.get("n").asLong());
        }
        assertEquals(perMinute, windows, "windows by the records' CreateTime");

        List<ConsumerRecord<byte[], byte[]>> dlq = KafkaTopics.readAll(bs, "payments.dlq");
        assertEquals(1, dlq.size());
        ConsumerRecord<byte[], byte[]> dead = dlq.get(0);
        assertEquals("acct-bad", new String(dead.key(), StandardCharsets.UTF_8));
        assertEquals("acme", new String(dead.headers().lastHeader("tenant").value(), StandardCharsets.UTF_8));
        assertArrayEquals(new byte[] {1, 2, 3}, dead.headers().lastHeader("trace-id").value());
        assertEquals(Long.toString(START), new String(dead.headers().lastHeader(ResultEncoder.TIMESTAMP_HEADER).value(),
                StandardCharsets.US_ASCII));
        assertEquals("2", new String(dead.headers().lastHeader(ResultEncoder.PARTITION_HEADER).value(), StandardCharsets.US_ASCII));
        Header reason = dead.headers().lastHeader(ResultEncoder.REASON_HEADER);
        assertNotNull(reason, "a reason");
        assertEquals("payments.dlq", dead.topic());
        // Spate's headers come after the record's own.
        List<String> names = new ArrayList<>();
        dead.headers().forEach(h -> names.add(h.key()));
        assertEquals(List.of("tenant", "trace-id"), names.subList(0, 2));
    }

    /** The last value written for each key of an upsert topic. */
    private static Map<String, JsonNode> lastValues(String bootstrap, String topic) throws Exception {
        Map<String, JsonNode> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(bootstrap, topic)) {
            last.put(new String(r.key(), StandardCharsets.UTF_8), JSON.readTree(r.value()));
        }
        return last;
    }
}
