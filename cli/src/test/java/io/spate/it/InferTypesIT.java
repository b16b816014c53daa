package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.spate.Pipeline;
import io.spate.SpateSettings;
import io.spate.frame.ColumnType;
import io.spate.internal.config.PipelineConfig;
import io.spate.plan.Field;
import io.spate.testkit.KafkaTopics;

/** {@code infer-types = true}: a TSV whose header names the columns gets its types from the first batch in the topic. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class InferTypesIT extends EmbeddedBrokerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Config config(String topic) {
        return ConfigFactory.parseString("spate.kafka.bootstrap-servers = \"" + broker.bootstrapServers() + "\"\n"
                + "spate.pipelines = [{ name = tsv, source { topics = [" + topic + "] },\n"
                + "  format { type = tsv, header = \"host\\tlogname\\ttime\\tmethod\\turl\\tresponse\\tbytes\", infer-types = true },\n"
                + "  outputs = [{ topic = " + topic + "-errors, where = [\"response >= 500\"], group-by = [host], "
                + "aggregates = [\"count as errors\", \"sum(bytes) as bytes\"] }] }]").withFallback(ConfigFactory.load()).resolve();
    }

    @Test
    void shouldTypeColumnsFromTheFirstBatchAndAggregateOnThem() throws Exception {
        createTopic("nasa-tsv", 2);
        Random random = new Random(3);
        List<byte[]> lines = new ArrayList<>();
        lines.add("host\tlogname\ttime\tmethod\turl\tresponse\tbytes".getBytes(StandardCharsets.UTF_8));
        Map<String, long[]> expected = new HashMap<>();
        for (int i = 0; i < 5_000; i++) {
            String host = "h" + random.nextInt(20) + ".example";
            int response = random.nextInt(4) == 0 ? 500 + random.nextInt(4) : 200;
            long bytes = random.nextInt(100_000);
            lines.add((host + "\t-\t" + (804571200 + i) + "\tGET\t/x/" + i + "\t" + response + "\t" + bytes).getBytes(StandardCharsets.UTF_8));
            if (response >= 500) {
                long[] e = expected.computeIfAbsent(host, h -> new long[2]);
                e[0]++;
                e[1] += bytes;
            }
        }
        KafkaTopics.produce(broker.bootstrapServers(), "nasa-tsv", lines);

        Pipeline pipeline = PipelineConfig.pipelines(config("nasa-tsv")).get(0);
        assertEquals(List.of(new Field("host", ColumnType.UTF8), new Field("logname", ColumnType.UTF8), new Field("time", ColumnType.LONG),
                new Field("method", ColumnType.UTF8), new Field("url", ColumnType.UTF8), new Field("response", ColumnType.LONG),
                new Field("bytes", ColumnType.LONG)), pipeline.plan().format().schema());

        SpateSettings settings = SpateSettings.create(config("nasa-tsv"));
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "infer-types");
        try {
            runUntilIdle(pipeline, settings, system);
        } finally {
            system.terminate();
        }
        Map<String, long[]> actual = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(broker.bootstrapServers(), "nasa-tsv-errors")) {
            JsonNode v = JSON.readTree(r.value());
            long[] a = actual.computeIfAbsent(v.get("host").asText(), h -> new long[2]);
            a[0] += v.get("errors").asLong();
            a[1] += v.get("bytes").asLong();
        }
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((host, e) -> assertEquals(List.of(e[0], e[1]), List.of(actual.get(host)[0], actual.get(host)[1]), host));
    }

    @Test
    void shouldSayWhenTheTopicHasNothingToInferFrom() {
        createTopic("nasa-tsv-empty", 1);
        ConfigException e = assertThrows(ConfigException.class, () -> PipelineConfig.pipelines(config("nasa-tsv-empty")));
        assertTrue(e.getMessage().contains("spate.pipelines[0].format.infer-types") && e.getMessage().contains("no records"),
                e.getMessage());
    }
}
