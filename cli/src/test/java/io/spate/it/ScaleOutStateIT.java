package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.spate.Pipeline;
import io.spate.RunningPipeline;
import io.spate.SpateSettings;
import io.spate.frame.ColumnType;
import io.spate.internal.node.IdleWatcher;
import io.spate.internal.config.NodeConfig;
import io.spate.javadsl.Spate;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;
import io.spate.testkit.KafkaTopics;

/**
 * Running state across nodes: the global word count on two nodes with {@code spate.state.scale-out},
 * exactly-once, node B joining while A works and A leaving while B works; each word's last total
 * is exact, because each word's state lives on the one node owning its repartition partition and
 * moves with it. Without scale-out, a second node is refused with a message naming the key.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ScaleOutStateIT extends EmbeddedBrokerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Pipeline wordCount(String suffix) {
        return Pipeline.builder("word-count-" + suffix)
                .source("texts-" + suffix)
                .format(new JsonFormat(List.of(new Field("text", ColumnType.UTF8))))
                .output("word-counts-" + suffix, q -> q.tokenize("text", "word", true).groupBy("word").count("count").running())
                .build();
    }

    private static Config config(String nodeId, boolean scaleOut) {
        return NodeConfig.load((File) null, broker.bootstrapServers(), List.of("spate.delivery=exactly-once", "spate.node-id=" + nodeId,
                "spate.batch.max-records=1500", "spate.output.partitions=4", "spate.state.scale-out=" + scaleOut,
                "spate.kafka.producer-properties.\"transaction.timeout.ms\"=10000", "spate.kafka.consumer-properties.\"session.timeout.ms\"=10000"));
    }

    @Test
    void shouldKeepEachWordsTotalExactAsNodesJoinAndLeave() throws Exception {
        List<byte[]> messages = new ArrayList<>();
        List<String> texts = WordCountIT.texts();
        for (String t : texts) {
            messages.add(JSON.writeValueAsBytes(Map.of("text", t)));
        }
        createTopic("texts-s", 4);
        int half = messages.size() / 2;
        KafkaTopics.produce(broker.bootstrapServers(), "texts-s", messages.subList(0, half));
        Pipeline pipeline = wordCount("s");
        Config configA = config("a", true);
        Config configB = config("b", true);
        ActorSystem<Void> nodeA = ActorSystem.create(Behaviors.empty(), "scale-a", configA);
        ActorSystem<Void> nodeB = ActorSystem.create(Behaviors.empty(), "scale-b", configB);
        try {
            RunningPipeline a = Spate.run(pipeline, SpateSettings.create(configA), nodeA);
            waitFor(() -> a.metrics().records() > 0);
            RunningPipeline b = Spate.run(pipeline, SpateSettings.create(configB), nodeB);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                waitFor(() -> bothMembersHoldPartitions(admin, "spate-word-count-s") && bothMembersHoldPartitions(admin, "spate-word-count-s-word-counts-s-merge"));
            }
            // Into every partition, so that B, which holds some of them, reads some of it (a small input
            // produced plainly may land in one partition, perhaps one of A's).
            KafkaTopics.produceSpread(broker.bootstrapServers(), "texts-s", messages.subList(half, messages.size()), 4);
            waitFor(() -> b.metrics().records() > 0);
            // A leaves: B takes over A's input partitions and A's words' state from the output topic.
            a.stop().toCompletableFuture().get(1, TimeUnit.MINUTES);
            SpateSettings settings = SpateSettings.create(configB);
            try (IdleWatcher idle = new IdleWatcher(settings, pipeline)) {
                idle.idle().toCompletableFuture().get(3, TimeUnit.MINUTES);
            }
            b.stop().toCompletableFuture().get(1, TimeUnit.MINUTES);
            assertTrue(a.metrics().records() > 0 && b.metrics().records() > 0, "both nodes read input: " + a.metrics() + " / " + b.metrics());
        } finally {
            nodeA.terminate();
            nodeB.terminate();
        }

        Map<String, Long> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(broker.bootstrapServers(), "word-counts-s")) {
            JsonNode v = JSON.readTree(r.value());
            last.put(v.get("word").asText(), v.get("count").asLong());
        }
        assertEquals(WordCountIT.count(texts), last, "each word's last total, whichever node wrote it");
    }

    @Test
    void shouldRefuseASecondNodeWithoutScaleOut() throws Exception {
        createTopic("texts-g", 2);
        KafkaTopics.produce(broker.bootstrapServers(), "texts-g", List.of(JSON.writeValueAsBytes(Map.of("text", "a b c"))));
        Pipeline pipeline = wordCount("g");
        Config configA = config("ga", false);
        Config configB = config("gb", false);
        ActorSystem<Void> nodeA = ActorSystem.create(Behaviors.empty(), "guard-a", configA);
        ActorSystem<Void> nodeB = ActorSystem.create(Behaviors.empty(), "guard-b", configB);
        try {
            RunningPipeline a = Spate.run(pipeline, SpateSettings.create(configA), nodeA);
            waitFor(() -> a.metrics().records() > 0);
            RunningPipeline b = Spate.run(pipeline, SpateSettings.create(configB), nodeB);
            CompletableFuture<Object> first = CompletableFuture.anyOf(a.completion().toCompletableFuture(), b.completion().toCompletableFuture());
            Throwable error = first.handle((v, e) -> e).get(2, TimeUnit.MINUTES);
            assertTrue(error != null && String.valueOf(rootMessage(error)).contains("spate.state.scale-out"),
                    "a node sharing running state fails naming the key: " + error);
        } finally {
            nodeA.terminate();
            nodeB.terminate();
        }
    }

    private static String rootMessage(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }
}
