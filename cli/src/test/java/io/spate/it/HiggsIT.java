package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.spate.internal.train.AtlasCsv;
import io.spate.internal.model.Mlp;
import io.spate.internal.node.Node;
import io.spate.internal.config.NodeConfig;
import io.spate.testkit.KafkaTopics;

/** The shipped higgs pipeline on the embedded broker: every event classified as the model says. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class HiggsIT extends EmbeddedBrokerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldClassifyEveryEventAsTheModelDoes(@TempDir Path dir) throws Exception {
        // Random weights: the test is about the stream computing the model faithfully, not about training.
        Mlp model = Mlp.random(new int[] {30, 500, 1000, 500, 2}, 11);
        Path file = dir.resolve("mlp.safetensors");
        model.save(file, Map.of());
        List<String> names = AtlasCsv.FEATURES;
        Random random = new Random(5);
        int n = 3000;
        float[] features = new float[n * 30];
        List<byte[]> events = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("EventId", 100_000L + e);
            for (int f = 0; f < 30; f++) {
                // Integers and -999.0 (missing) as in the ATLAS data, so both number forms are parsed.
                float v = f % 7 == 0 && random.nextInt(4) == 0 ? -999f : (float) (random.nextGaussian() * 40 + 60);
                features[e * 30 + f] = v;
                event.put(names.get(f), f == 22 ? (Object) (long) Math.abs(Math.round(v)) : (Object) v);
                if (f == 22) {
                    features[e * 30 + f] = Math.abs(Math.round(v));
                }
            }
            events.add(JSON.writeValueAsBytes(event));
        }
        events.add(500, "{\"EventId\": 1, \"DER_mass_MMC\": \"not a number\"}".getBytes(StandardCharsets.US_ASCII));
        createTopic("higgs-events", 2);
        KafkaTopics.produce(broker.bootstrapServers(), "higgs-events", events);

        Node node = new Node(NodeConfig.load(new File("../config/higgs.conf"), broker.bootstrapServers(),
                List.of("spate.models.mlp=" + file, "spate.batch.max-records=700")));
        node.start();
        assertEquals(0, node.awaitAndStop(true));

        float[] expected = new float[n * 2];
        model.runner().predict(features, n, expected);
        Map<Long, JsonNode> byId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(broker.bootstrapServers(), "higgs-predictions")) {
            JsonNode v = JSON.readTree(r.value());
            assertEquals(v.get("EventId").asText(), new String(r.key(), StandardCharsets.UTF_8));
            byId.put(v.get("EventId").asLong(), v);
        }
        assertEquals(n, byId.size());
        int zeros = 0;
        for (int e = 0; e < n; e++) {
            JsonNode v = byId.get(100_000L + e);
            double p = v.get("p_signal").asDouble();
            assertEquals(expected[2 * e + 1], p, 1e-5, "event " + e);
            assertEquals(p >= 0.5 ? 1 : 0, v.get("label").asInt());
            zeros += v.get("label").asInt() == 0 ? 1 : 0;
        }
        assertTrue(zeros > 0 && zeros < n, "random weights still split the events: " + zeros);
        assertEquals(1, KafkaTopics.readAll(broker.bootstrapServers(), "higgs-events.dlq").size());
    }
}
