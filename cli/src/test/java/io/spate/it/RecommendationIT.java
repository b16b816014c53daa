package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.spate.internal.SharedData;
import io.spate.internal.train.AlsTrainer;
import io.spate.internal.train.Ratings;
import io.spate.internal.model.Recommender;
import io.spate.internal.train.SyntheticRatings;
import io.spate.internal.node.Node;
import io.spate.internal.config.NodeConfig;
import io.spate.testkit.KafkaTopics;

/** The shipped recommendations pipeline on the embedded broker, with a model trained here (MovieLens when present). */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RecommendationIT extends EmbeddedBrokerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldAnswerEachUserWithTheModelsTopItemsLeavingOutRatedOnes(@TempDir Path dir) throws Exception {
        Optional<Path> movielens = SharedData.find("movielens_ml-100k/u.data.gz");
        Ratings ratings;
        Map<Long, String> titles;
        if (movielens.isPresent()) {
            ratings = Ratings.load(movielens.get());
            titles = Ratings.loadTitles(movielens.get().resolveSibling("u.item"));
        } else {
            SyntheticRatings.create().write(dir.resolve("r.tsv"), dir.resolve("t.txt"));
            ratings = Ratings.load(dir.resolve("r.tsv"));
            titles = Ratings.loadTitles(dir.resolve("t.txt"));
        }
        Recommender model = AlsTrainer.create().train(ratings, titles).model();
        Path file = dir.resolve("mf.safetensors");
        model.save(file);

        List<byte[]> events = new ArrayList<>();
        for (int u = 0; u < model.users(); u += 7) {
            events.add(("{\"uid\": " + model.userId(u) + "}").getBytes(StandardCharsets.US_ASCII));
        }
        int good = events.size();
        events.add("{\"uid\": 99999999}".getBytes(StandardCharsets.US_ASCII));
        events.add("{\"user\": 1}".getBytes(StandardCharsets.US_ASCII));
        createTopic("uid-events", 2);
        KafkaTopics.produce(broker.bootstrapServers(), "uid-events", events);

        Node node = new Node(NodeConfig.load(new File("../config/recommendations.conf"), broker.bootstrapServers(),
                List.of("spate.models.mf=" + file, "spate.batch.max-records=25")));
        node.start();
        assertEquals(0, node.awaitAndStop(true));

        List<ConsumerRecord<byte[], byte[]>> out = KafkaTopics.readAll(broker.bootstrapServers(), "recommendation-events");
        assertEquals(good, out.size(), "one answer per known user's event");
        Map<Long, JsonNode> byUser = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            JsonNode v = JSON.readTree(r.value());
            assertEquals(v.get("uid").asText(), new String(r.key(), StandardCharsets.UTF_8));
            byUser.put(v.get("uid").asLong(), v.get("items"));
        }
        for (Map.Entry<Long, JsonNode> e : byUser.entrySet()) {
            int user = model.userIndex(e.getKey());
            double[] best = bruteForceTop(model, ratings, user, 10);
            JsonNode items = e.getValue();
            assertEquals(10, items.size());
            for (int j = 0; j < items.size(); j++) {
                JsonNode item = items.get(j);
                int index = itemIndex(model, item.get("item").asLong());
                assertTrue(!rated(ratings, e.getKey(), item.get("item").asLong()), "rated items are left out");
                assertEquals(model.title(index), item.get("title").asText());
                // Within float precision of the double-precision reference, rank by rank.
                assertEquals(best[j], item.get("score").asDouble(), 1e-4, "rank " + j + " of user " + e.getKey());
            }
        }
        List<ConsumerRecord<byte[], byte[]>> dlq = KafkaTopics.readAll(broker.bootstrapServers(), "uid-events.dlq");
        assertEquals(2, dlq.size());
        assertTrue(dlq.stream().anyMatch(r -> new String(r.headers().lastHeader("spate.error.reason").value(), StandardCharsets.UTF_8)
                .contains("unknown user 99999999")));
    }

    /** The k best scores of unrated items for {@code user}, in double precision, best first. */
    private static double[] bruteForceTop(Recommender model, Ratings ratings, int user, int k) {
        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < model.items(); i++) {
            if (!rated(ratings, model.userId(user), model.itemId(i))) {
                scores.add(model.score(user, i));
            }
        }
        scores.sort((a, b) -> Double.compare(b, a));
        double[] out = new double[k];
        for (int j = 0; j < k; j++) {
            out[j] = scores.get(j);
        }
        return out;
    }

    private static final Map<String, Boolean> RATED = new HashMap<>();

    private static boolean rated(Ratings ratings, long user, long item) {
        if (RATED.isEmpty()) {
            for (int i = 0; i < ratings.size(); i++) {
                RATED.put(ratings.userId(ratings.user(i)) + "/" + ratings.itemId(ratings.item(i)), true);
            }
        }
        return RATED.containsKey(user + "/" + item);
    }

    private static int itemIndex(Recommender model, long itemId) {
        for (int i = 0; i < model.items(); i++) {
            if (model.itemId(i) == itemId) {
                return i;
            }
        }
        throw new AssertionError("no item " + itemId);
    }
}
